import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { AttendanceFacts, AttendanceStatus, ExcuseDecision, ExcuseRecord, LessonAttendance } from './attendance.rules';
import { AttendanceEvent, AttendanceEventKind, AttendanceMark, ExcuseRequest } from './attendance.schema';

/** Everything recorded about one student and one lesson. */
/** Recorded attendance by enrolment id, then by lesson key. */
export type AttendanceByEnrollment = Map<string, Map<string, LessonAttendance>>;

interface Subject {
  cohortId: string;
  enrollmentId: string;
  lessonKey: string;
}

const pairId = (s: Subject) => `${s.enrollmentId}:${s.lessonKey}`;

/** What attendanceState needs, by enrolment id and then lesson key. */
export type AttendanceFactsByEnrollment = Map<string, Map<string, AttendanceFacts>>;

/**
 * A cohort's recorded attendance handed out enrolment by enrolment, for reports that walk the whole
 * cohort: see AttendanceRepository.cohortFacts.
 */
export interface CohortFacts {
  /** The facts of these enrolments (none recorded: no entry); each enrolment is asked for once. */
  take(enrollmentIds: string[]): Promise<AttendanceFactsByEnrollment>;
  close(): Promise<void>;
}

interface FactDoc {
  enrollmentId: Types.ObjectId;
  lessonKey: string;
}

/** One collection's documents of a cohort in enrolment id order, read as far as asked. */
class FactsInEnrollmentOrder<T extends FactDoc> {
  /** The document read but not handed on yet, with its enrolment id; null once the cursor is done. */
  private pending: { doc: T; id: string } | null | undefined;

  constructor(private readonly cursor: mongo.FindCursor<T>) {}

  /** Hands on every document up to and including enrolment `lastId` (hex ids sort as ObjectIds do). */
  async readUpTo(lastId: string, add: (id: string, doc: T) => void): Promise<void> {
    for (;;) {
      if (this.pending === undefined) {
        const doc = await this.cursor.next();
        this.pending = doc && { doc, id: doc.enrollmentId.toHexString() };
      }
      if (this.pending === null || this.pending.id > lastId) return;
      add(this.pending.id, this.pending.doc);
      this.pending = undefined;
    }
  }

  close(): Promise<void> {
    return this.cursor.close();
  }
}

function toExcuse(doc: ExcuseRequest): ExcuseRecord {
  return {
    enrollmentId: doc.enrollmentId.toHexString(),
    lessonKey: doc.lessonKey,
    reason: doc.reason,
    requestedAt: doc.requestedAt,
    decision: doc.decision ?? null,
    decidedBy: doc.decidedBy ?? null,
    decidedAt: doc.decidedAt ?? null,
  };
}

@Injectable()
export class AttendanceRepository {
  constructor(
    @InjectModel(AttendanceEvent.name, COURSE_FUNNEL_CONNECTION) private readonly events: Model<AttendanceEvent>,
    @InjectModel(AttendanceMark.name, COURSE_FUNNEL_CONNECTION) private readonly marks: Model<AttendanceMark>,
    @InjectModel(ExcuseRequest.name, COURSE_FUNNEL_CONNECTION) private readonly excuses: Model<ExcuseRequest>,
  ) {}

  /** Records the event unless it was recorded before; returns when it (first) happened. */
  async record(subject: Subject, kind: AttendanceEventKind, at: Date, notes?: string): Promise<Date> {
    const _id = `${pairId(subject)}:${kind}`;
    try {
      await this.events.create({
        _id,
        cohortId: new Types.ObjectId(subject.cohortId),
        enrollmentId: new Types.ObjectId(subject.enrollmentId),
        lessonKey: subject.lessonKey,
        kind,
        at,
        ...(notes ? { notes } : {}),
      });
      return at;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const first = await this.events.findById(_id).lean<AttendanceEvent>().exec();
      return first?.at ?? at;
    }
  }

  /** An instructor's mark replaces their earlier one. */
  async mark(subject: Subject, status: AttendanceStatus, by: string, at: Date): Promise<void> {
    await this.marks
      .updateOne(
        { _id: pairId(subject) },
        {
          $set: {
            cohortId: new Types.ObjectId(subject.cohortId),
            enrollmentId: new Types.ObjectId(subject.enrollmentId),
            lessonKey: subject.lessonKey,
            status,
            markedBy: by,
            markedAt: at,
          },
        },
        { upsert: true },
      )
      .exec();
  }

  /** Files a request to be excused; asking again returns the first request. */
  async requestExcuse(subject: Subject, reason: string, at: Date): Promise<ExcuseRecord> {
    try {
      const created = await this.excuses.create({
        _id: pairId(subject),
        cohortId: new Types.ObjectId(subject.cohortId),
        enrollmentId: new Types.ObjectId(subject.enrollmentId),
        lessonKey: subject.lessonKey,
        reason,
        requestedAt: at,
      });
      return toExcuse(created.toObject());
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const first = await this.excuses.findById(pairId(subject)).lean<ExcuseRequest>().exec();
      if (!first) throw error;
      return toExcuse(first);
    }
  }

  async decideExcuse(subject: Subject, decision: ExcuseDecision, by: string, at: Date): Promise<ExcuseRecord | null> {
    const doc = await this.excuses
      .findOneAndUpdate(
        { _id: pairId(subject), cohortId: new Types.ObjectId(subject.cohortId) },
        { $set: { decision, decidedBy: by, decidedAt: at } },
        { returnDocument: 'after' },
      )
      .lean<ExcuseRequest>()
      .exec();
    return doc ? toExcuse(doc) : null;
  }

  /** A cohort's requests still waiting for a decision, oldest first. */
  async undecidedExcuses(cohortId: string, limit: number): Promise<ExcuseRecord[]> {
    const docs = await this.excuses
      .find({ cohortId: new Types.ObjectId(cohortId), decision: trusted({ $exists: false }) })
      .sort({ requestedAt: 1 })
      .limit(limit)
      .lean<ExcuseRequest[]>()
      .exec();
    return docs.map(toExcuse);
  }

  /** Check-ins to one lesson of a cohort (through the {cohortId, enrollmentId} index's prefix). */
  countCheckIns(cohortId: string, lessonKey: string): Promise<number> {
    return this.events.countDocuments({ cohortId: new Types.ObjectId(cohortId), lessonKey, kind: 'checked_in' }).exec();
  }

  /** What is recorded for these enrolments of a cohort: three queries for a whole page of them. */
  async forEnrollments(cohortId: string, enrollmentIds: string[]): Promise<AttendanceByEnrollment> {
    const result: AttendanceByEnrollment = new Map(
      enrollmentIds.map((id) => [id, new Map<string, LessonAttendance>()]),
    );
    if (enrollmentIds.length === 0) return result;
    const filter = {
      cohortId: new Types.ObjectId(cohortId),
      enrollmentId: trusted({ $in: enrollmentIds.map((id) => new Types.ObjectId(id)) }),
    };
    const [events, marks, excuses] = await Promise.all([
      this.events.find(filter).lean<AttendanceEvent[]>().exec(),
      this.marks.find(filter).lean<AttendanceMark[]>().exec(),
      this.excuses.find(filter).lean<ExcuseRequest[]>().exec(),
    ]);
    const entry = (enrollmentId: Types.ObjectId, lessonKey: string): LessonAttendance => {
      const lessons = result.get(enrollmentId.toHexString()) ?? new Map<string, LessonAttendance>();
      result.set(enrollmentId.toHexString(), lessons);
      const found = lessons.get(lessonKey) ?? {};
      lessons.set(lessonKey, found);
      return found;
    };
    for (const e of events) {
      const facts = entry(e.enrollmentId, e.lessonKey);
      if (e.kind === 'joined') facts.joinedAt = e.at;
      else {
        facts.checkedInAt = e.at;
        if (e.notes) facts.notes = e.notes;
      }
    }
    for (const m of marks)
      entry(m.enrollmentId, m.lessonKey).mark = { status: m.status, by: m.markedBy, at: m.markedAt };
    for (const x of excuses) entry(x.enrollmentId, x.lessonKey).excuse = toExcuse(x);
    return result;
  }

  /**
   * A whole cohort's recorded attendance for a report that walks its enrolments batch by batch:
   * one cursor per collection in enrolment id order, however large the cohort, instead of a query
   * per batch, reading only what attendanceState needs. Each `take` reads every cursor up to the
   * largest id asked for and keeps what belongs to enrolments not asked for yet. Enrolments taken
   * in seat order come in nearly id order (ids grow with sign-up time, as seats do), so little is
   * kept and memory stays flat; any order is still exact, it only keeps more.
   */
  cohortFacts(cohortId: string, batchSize: number): CohortFacts {
    const filter = { cohortId: new Types.ObjectId(cohortId) };
    // Straight through the driver, as a report reads every document of the cohort: mongoose's cursor
    // added a fifth to the garbage of reading them. The filter is built here, from no caller's input.
    const inOrder = (field: string): mongo.FindOptions => ({
      projection: { _id: 0, enrollmentId: 1, lessonKey: 1, [field]: 1 },
      sort: { enrollmentId: 1 },
      batchSize,
    });
    const events = new FactsInEnrollmentOrder(
      this.events.collection.find<FactDoc & Pick<AttendanceEvent, 'at'>>(filter, inOrder('at')),
    );
    const marks = new FactsInEnrollmentOrder(
      this.marks.collection.find<FactDoc & Pick<AttendanceMark, 'status'>>(filter, inOrder('status')),
    );
    const excuses = new FactsInEnrollmentOrder(
      this.excuses.collection.find<FactDoc & Pick<ExcuseRequest, 'decision'>>(filter, inOrder('decision')),
    );
    const kept: AttendanceFactsByEnrollment = new Map();
    const facts = (id: string, lessonKey: string): AttendanceFacts => {
      const lessons = kept.get(id) ?? new Map<string, AttendanceFacts>();
      kept.set(id, lessons);
      const found = lessons.get(lessonKey) ?? {};
      lessons.set(lessonKey, found);
      return found;
    };
    return {
      async take(enrollmentIds: string[]): Promise<AttendanceFactsByEnrollment> {
        const lastId = enrollmentIds.reduce((max, id) => (id > max ? id : max), '');
        await Promise.all([
          // Opening the lesson and checking in are both sightings: the earliest decides.
          events.readUpTo(lastId, (id, e) => {
            const f = facts(id, e.lessonKey);
            if (!f.firstSeenAt || e.at < f.firstSeenAt) f.firstSeenAt = e.at;
          }),
          marks.readUpTo(lastId, (id, m) => (facts(id, m.lessonKey).instructorMark = m.status)),
          excuses.readUpTo(lastId, (id, x) => {
            if (x.decision === 'approved') facts(id, x.lessonKey).excused = true;
          }),
        ]);
        const taken: AttendanceFactsByEnrollment = new Map();
        for (const id of enrollmentIds) {
          const found = kept.get(id);
          if (!found) continue;
          taken.set(id, found);
          kept.delete(id);
        }
        return taken;
      },
      async close(): Promise<void> {
        await Promise.all([events.close(), marks.close(), excuses.close()]);
      },
    };
  }
}

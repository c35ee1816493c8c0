import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { inBatches } from '../common/concurrency';
import { Locale } from '../common/locale';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError, isTransientWriteConflict } from '../database/mongo-errors';
import { identityKey } from '../students/email.rules';
import { Enrollment, EnrollmentStatus, seatKey, signupKey } from './enrollment.schema';

export interface EnrollmentRecord {
  id: string;
  cohortId: string;
  studentId: string;
  emailKey: string;
  email: string;
  name: string;
  seat: number;
  status: EnrollmentStatus;
  locale: Locale;
  timezone: string | null;
  referralCode: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
}

export interface NewEnrollment {
  cohortId: string;
  studentId: string;
  emailKey: string;
  email: string;
  identity: string;
  name: string;
  locale: Locale;
  timezone?: string;
  referralCode?: string;
  createdAt: Date;
}

export type SeatResult =
  | { kind: 'created'; enrollment: EnrollmentRecord }
  | { kind: 'existing'; enrollment: EnrollmentRecord }
  | { kind: 'full' };

type StoredEnrollment = Enrollment & { _id: Types.ObjectId };

function toRecord(doc: StoredEnrollment): EnrollmentRecord {
  return {
    id: doc._id.toHexString(),
    cohortId: doc.cohortId.toHexString(),
    studentId: doc.studentId.toHexString(),
    emailKey: doc.emailKey,
    email: doc.email,
    name: doc.name,
    seat: doc.seat,
    status: doc.status,
    locale: doc.locale,
    timezone: doc.timezone ?? null,
    referralCode: doc.referralCode ?? null,
    createdAt: doc.createdAt,
    confirmedAt: doc.confirmedAt ?? null,
  };
}

@Injectable()
export class EnrollmentsRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger('Enrollments');

  constructor(
    @InjectModel(Enrollment.name, COURSE_FUNNEL_CONNECTION) private readonly enrollments: Model<Enrollment>,
  ) {}

  /** Gives enrolments written before the single-field unique keys existed their keys (once). */
  async onApplicationBootstrap(): Promise<void> {
    let filled = 0;
    for (;;) {
      const batch = await this.enrollments
        .find({ seatKey: trusted({ $exists: false }) }, { cohortId: 1, seat: 1, emailKey: 1 })
        .limit(500)
        .lean<Pick<StoredEnrollment, '_id' | 'cohortId' | 'seat' | 'emailKey'>[]>()
        .exec();
      if (batch.length === 0) break;
      for (const doc of batch) {
        const cohortId = doc.cohortId.toHexString();
        await this.enrollments
          .updateOne(
            { _id: doc._id },
            {
              $set: {
                seatKey: seatKey(cohortId, doc.seat),
                signupKey: signupKey(cohortId, identityKey(doc.emailKey)),
              },
            },
          )
          .exec();
      }
      filled += batch.length;
    }
    if (filled > 0) this.logger.log({ msg: 'gave earlier enrolments their unique keys', count: filled });
  }

  /**
   * Takes the next free seat for this email, or returns the enrolment it already has, or reports the
   * cohort full. A duplicate key is either our email (someone raced us with the same sign-up: return
   * theirs) or our seat number (someone took it: try the next one).
   */
  async takeSeat(enrollment: NewEnrollment, capacity: number): Promise<SeatResult> {
    const existing = await this.findByInbox(enrollment.cohortId, enrollment.identity);
    if (existing) return { kind: 'existing', enrollment: existing };
    const cohortId = new Types.ObjectId(enrollment.cohortId);
    let seat = (await this.enrollments.countDocuments({ cohortId }).exec()) + 1;
    while (seat <= capacity) {
      try {
        const claimed = seat;
        const created = await this.enrollments.create({
          ...enrollment,
          cohortId,
          studentId: new Types.ObjectId(enrollment.studentId),
          seat: claimed,
          seatKey: seatKey(enrollment.cohortId, claimed),
          signupKey: signupKey(enrollment.cohortId, enrollment.identity),
          status: 'pending',
        });
        return { kind: 'created', enrollment: toRecord(created.toObject()) };
      } catch (error) {
        // A deadlock (FerretDB 2 + DocumentDB) is a race lost like a duplicate: someone else is
        // taking this seat or this email. Either way, look again rather than insist on this seat.
        if (!isDuplicateKeyError(error) && !isTransientWriteConflict(error)) throw error;
        const raced = await this.findByInbox(enrollment.cohortId, enrollment.identity);
        if (raced) return { kind: 'existing', enrollment: raced };
        // Jump past the seats taken meanwhile instead of trying each one in turn.
        seat = Math.max(seat + 1, (await this.enrollments.countDocuments({ cohortId }).exec()) + 1);
      }
    }
    return { kind: 'full' };
  }

  /** Whether this person (by student or inbox) has an enrolment in these cohorts other than `exceptId`. */
  async existsElsewhere(
    person: { studentId: string; identity: string },
    cohortIds: string[],
    exceptId: string,
  ): Promise<boolean> {
    if (cohortIds.length === 0) return false;
    const found = await this.enrollments
      .exists({
        cohortId: trusted({ $in: cohortIds.map((id) => new Types.ObjectId(id)) }),
        _id: trusted({ $ne: new Types.ObjectId(exceptId) }),
        $or: [{ studentId: new Types.ObjectId(person.studentId) }, { identity: person.identity }],
      })
      .exec();
    return found !== null;
  }

  /** A cohort's sign-ups, and how many of them ever confirmed (counted in the database). */
  async signUpCounts(cohortId: string): Promise<{ enrolled: number; confirmed: number }> {
    const cohort = new Types.ObjectId(cohortId);
    const [enrolled, confirmed] = await Promise.all([
      this.enrollments.countDocuments({ cohortId: cohort }).exec(),
      this.enrollments.countDocuments({ cohortId: cohort, confirmedAt: trusted({ $exists: true }) }).exec(),
    ]);
    return { enrolled, confirmed };
  }

  /**
   * The cohort's enrolment for this inbox (`identity`, see identityKey): by its unique sign-up key,
   * or, for enrolments keyed by address before one inbox had one seat, by `identity`.
   */
  async findByInbox(cohortId: string, identity: string): Promise<EnrollmentRecord | null> {
    // One round trip: a new sign-up, the common case, finds neither.
    const doc = await this.enrollments
      .findOne({
        $or: [{ signupKey: signupKey(cohortId, identity) }, { identity, cohortId: new Types.ObjectId(cohortId) }],
      })
      .lean<StoredEnrollment>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** findByInbox for many inboxes in one query (an import looks up a whole file at once). */
  async findByInboxes(cohortId: string, identities: readonly string[]): Promise<EnrollmentRecord[]> {
    if (identities.length === 0) return [];
    const docs = await this.enrollments
      .find({
        $or: [
          { signupKey: trusted({ $in: identities.map((identity) => signupKey(cohortId, identity)) }) },
          { identity: trusted({ $in: [...identities] }), cohortId: new Types.ObjectId(cohortId) },
        ],
      })
      .lean<StoredEnrollment[]>()
      .exec();
    return docs.map(toRecord);
  }

  async findById(id: string): Promise<EnrollmentRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.enrollments.findById(id).lean<StoredEnrollment>().exec();
    return doc ? toRecord(doc) : null;
  }

  /**
   * All of a cohort's enrolments in the given statuses through one cursor (one query however large
   * the cohort), handed out in batches so memory stays bounded.
   */
  async *stream(
    cohortId: string,
    statuses: readonly EnrollmentStatus[],
    batchSize: number,
  ): AsyncGenerator<EnrollmentRecord[]> {
    const cursor = this.enrollments
      .find({ cohortId: new Types.ObjectId(cohortId), status: trusted({ $in: [...statuses] }) })
      .lean<StoredEnrollment>()
      .cursor({ batchSize });
    for await (const batch of inBatches(cursor, batchSize)) yield batch.map(toRecord);
  }

  /**
   * All of a cohort's enrolments in seat order through one cursor, handed out in batches: the
   * cohort-wide reports (attendance CSV and rates, the funnel). Small driver batches, because the
   * driver keeps every document of a batch until the batch is used up.
   */
  async *streamInSeatOrder(cohortId: string, batchSize: number): AsyncGenerator<EnrollmentRecord[]> {
    // Straight through the driver: this reads a whole cohort, and mongoose's cursor adds a fifth
    // to the work of each document. The filter is built here, from no caller's input.
    const cursor = this.enrollments.collection.find<StoredEnrollment>(
      { cohortId: new Types.ObjectId(cohortId) },
      { sort: { seat: 1 }, batchSize },
    );
    try {
      for await (const batch of inBatches(cursor, batchSize)) yield batch.map(toRecord);
    } finally {
      await cursor.close();
    }
  }

  /** A page of a cohort's enrolments in seat order; pass the last seat as `afterSeat`. */
  async listPage(
    cohortId: string,
    limit: number,
    afterSeat = 0,
    statuses?: readonly EnrollmentStatus[],
  ): Promise<EnrollmentRecord[]> {
    const filter: Record<string, unknown> = {
      cohortId: new Types.ObjectId(cohortId),
      seat: trusted({ $gt: afterSeat }),
    };
    if (statuses) filter['status'] = trusted({ $in: [...statuses] });
    const docs = await this.enrollments.find(filter).sort({ seat: 1 }).limit(limit).lean<StoredEnrollment[]>().exec();
    return docs.map(toRecord);
  }

  /**
   * A page of a cohort's enrolments in seat order whose name or email contains `search` (any case,
   * taken literally), optionally of one status.
   */
  async searchPage(
    cohortId: string,
    limit: number,
    afterSeat: number,
    filter: { search?: string; status?: EnrollmentStatus },
  ): Promise<EnrollmentRecord[]> {
    const query: Record<string, unknown> = {
      cohortId: new Types.ObjectId(cohortId),
      seat: trusted({ $gt: afterSeat }),
    };
    if (filter.status) query['status'] = filter.status;
    if (filter.search) {
      const pattern = new RegExp(filter.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      query['$or'] = [{ name: trusted({ $regex: pattern }) }, { email: trusted({ $regex: pattern }) }];
    }
    const docs = await this.enrollments.find(query).sort({ seat: 1 }).limit(limit).lean<StoredEnrollment[]>().exec();
    return docs.map(toRecord);
  }

  /** The cohorts a student has enrolled in. */
  async cohortsOf(studentId: string): Promise<string[]> {
    const docs = await this.enrollments
      .find({ studentId: new Types.ObjectId(studentId) }, { cohortId: 1 })
      .lean<Pick<StoredEnrollment, 'cohortId'>[]>()
      .exec();
    return [...new Set(docs.map((d) => d.cohortId.toHexString()))];
  }

  async unsubscribeStudent(studentId: string, at: Date): Promise<void> {
    await this.enrollments
      .updateMany(
        { studentId: new Types.ObjectId(studentId) },
        { $set: { status: 'unsubscribed', unsubscribedAt: at } },
      )
      .exec();
  }

  /** pending -> confirmed; confirming again keeps the first time. */
  /** A refunded buyer's paid place is given back; the seat stays taken by the record (history). */
  async withdraw(id: string, at: Date): Promise<void> {
    await this.enrollments
      .updateOne({ _id: id, status: 'confirmed' }, { $set: { status: 'withdrawn', unsubscribedAt: at } })
      .exec();
  }

  async confirm(id: string, at: Date): Promise<EnrollmentRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    await this.enrollments
      .updateOne({ _id: id, status: 'pending' }, { $set: { status: 'confirmed', confirmedAt: at } })
      .exec();
    return this.findById(id);
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { csvRows, toCsv } from '../common/csv';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';
import { DomainEventMap, DomainEvents } from '../events/domain-events.service';
import { NotFoundError } from '../common/domain-error';
import { AttendanceError } from './attendance.errors';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentRecord } from '../enrollments/enrollments.repository';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { StudentCourse, StudentLessons } from '../enrollments/student-lessons.service';
import { isFreeLesson, LessonSpec } from '../funnels/funnel-content';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { FunnelsService } from '../funnels/funnels.service';
import { CohortRecord } from '../cohorts/cohorts.repository';
import {
  AttendanceFacts,
  attendanceRate,
  AttendanceState,
  attendanceState,
  AttendanceStatus,
  canCheckIn,
  checkInOpensAt,
  windowClosesAt,
} from './attendance.rules';
import { AttendancePolicy } from '../cohorts/cohort-policies';
import {
  AttendanceFactsByEnrollment,
  AttendanceRepository,
  ExcuseRecord,
  LessonAttendance,
} from './attendance.repository';
import { ExcuseDecision } from './attendance.schema';

/** One student's attendance for one lesson, as staff reports and the lesson page show it. */
export interface LessonAttendanceView {
  lessonKey: string;
  title: string;
  startsAt: Date;
  checkInOpensAt: Date;
  closesAt: Date;
  state: AttendanceState;
  joinedAt: Date | null;
  checkedInAt: Date | null;
  notes: string | null;
  excuse: ExcuseRecord | null;
}

export interface AttendanceRow {
  enrollmentId: string;
  seat: number;
  name: string;
  email: string;
  enrollmentStatus: EnrollmentRecord['status'];
  lessons: Record<string, AttendanceState>;
  attended: number;
}

export interface LessonRate {
  lessonKey: string;
  title: string;
  present: number;
  late: number;
  absent: number;
  excused: number;
  /** Window not closed yet and nothing recorded (open or upcoming). */
  pending: number;
  /** (present + late) / confirmed students. */
  rate: number;
}

/** When each free lesson starts for a student (see AttendanceService.lessonTimes). */
type LessonTimes = (enrollment: EnrollmentRecord) => Promise<Date[]>;

interface PinnedCohort {
  cohort: CohortRecord;
  version: FunnelVersionRecord;
  lessons: LessonSpec[];
}

/**
 * The cohort-wide reports (CSV, rates, the funnel) walk the enrolments in seat order in batches of
 * this many, with what is recorded alongside (AttendanceRepository.cohortFacts): one cursor per
 * collection for the whole walk, so the batch size costs no queries. Small on purpose: the driver
 * keeps a batch's documents until the batch is used up, and at 1,000 they outlived the young
 * generation, so a 20,000-student report grew the heap by 50-100 MB of garbage; at 200 it stays flat.
 */
const REPORT_BATCH = 200;

const ATTENDED = new Set<AttendanceState>(['present', 'late']);

/**
 * What a student's lesson times depend on (studentLessonTimes), for reports to work them out once per
 * key: outside evergreen cohorts the cohort's schedule read on the student's own clock, so their zone
 * alone; an evergreen student runs on their own dates, so no key (each is worked out by itself).
 */
export function lessonTimesKey(
  cohort: Pick<CohortRecord, 'evergreen'>,
  student: Pick<EnrollmentRecord, 'timezone'>,
): string | null {
  return cohort.evergreen ? null : (student.timezone ?? '');
}

/** What attendanceState needs from what is recorded: the earliest sighting, a mark, an approved excuse. */
export function factsOf(recorded: LessonAttendance): AttendanceFacts {
  const seen = [recorded.joinedAt, recorded.checkedInAt].filter((d): d is Date => !!d);
  const firstSeenAt = seen.length ? new Date(Math.min(...seen.map((d) => d.getTime()))) : undefined;
  return {
    ...(firstSeenAt ? { firstSeenAt } : {}),
    ...(recorded.mark ? { instructorMark: recorded.mark.status } : {}),
    excused: recorded.excuse?.decision === 'approved',
  };
}

/** Attendance views of one student's course from what is recorded (pure, given `now`). */
export function attendanceViews(
  course: StudentCourse,
  recorded: Map<string, LessonAttendance>,
  policy: AttendancePolicy,
  now: Date,
): LessonAttendanceView[] {
  return course.lessons
    .filter((l) => isFreeLesson(l.spec))
    .map(({ spec, startsAt }) => {
      const facts = recorded.get(spec.key) ?? {};
      return {
        lessonKey: spec.key,
        title: spec.title,
        startsAt,
        checkInOpensAt: checkInOpensAt(startsAt, policy),
        closesAt: windowClosesAt(startsAt, policy),
        state: attendanceState(factsOf(facts), startsAt, policy, now),
        joinedAt: facts.joinedAt ?? null,
        checkedInAt: facts.checkedInAt ?? null,
        notes: facts.notes ?? null,
        excuse: facts.excuse ?? null,
      };
    });
}

@Injectable()
export class AttendanceService implements OnModuleInit {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly studentLessons: StudentLessons,
    private readonly enrollments: EnrollmentsService,
    private readonly cohorts: CohortsService,
    private readonly funnels: FunnelsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.apply('attendance.recorded', (recorded) => this.applyRecord(recorded));
  }

  /** The student opened the lesson through their link. */
  async opened(course: StudentCourse, lessonKey: string): Promise<void> {
    await this.publish(course, lessonKey, { kind: 'joined' });
  }

  /** A check-in from the lesson page, with optional notes; checking in again keeps the first. */
  async checkIn(course: StudentCourse, lessonKey: string, notes: string | undefined): Promise<LessonAttendanceView> {
    const lesson = this.studentLessons.releasedLesson(course, lessonKey, this.opensBeforeMs(course));
    if (!canCheckIn(lesson.startsAt, course.cohort.attendance, this.clock.now())) {
      throw new AttendanceError('check_in_not_open', 'Check-in for this class has not opened yet');
    }
    const trimmed = notes?.trim();
    await this.publish(course, lessonKey, { kind: 'checked_in', ...(trimmed ? { notes: trimmed } : {}) });
    return this.lessonView(course, lessonKey);
  }

  /** Asking in advance to be excused; only until the class's window closes. */
  async requestExcuse(course: StudentCourse, lessonKey: string, reason: string): Promise<ExcuseRecord> {
    const lesson = this.freeLesson(course, lessonKey);
    if (this.clock.now() >= windowClosesAt(lesson.startsAt, course.cohort.attendance)) {
      throw new AttendanceError('class_over', 'This class is over; ask your instructor instead');
    }
    return this.attendance.requestExcuse(this.subject(course, lessonKey), reason.trim(), this.clock.now());
  }

  async mark(
    cohortId: string,
    enrollmentId: string,
    lessonKey: string,
    status: AttendanceStatus,
    by: string,
    tenancy: Tenancy,
  ): Promise<LessonAttendanceView> {
    const course = await this.studentLessons.courseOf(cohortId, enrollmentId, tenancy);
    this.freeLesson(course, lessonKey);
    await this.publish(course, lessonKey, { kind: 'mark', status, by });
    return this.lessonView(course, lessonKey);
  }

  async decideExcuse(
    cohortId: string,
    enrollmentId: string,
    lessonKey: string,
    decision: ExcuseDecision,
    by: string,
    tenancy: Tenancy,
  ): Promise<ExcuseRecord> {
    await this.cohorts.find(cohortId, tenancy);
    const decided = await this.attendance.decideExcuse(
      { cohortId, enrollmentId, lessonKey },
      decision,
      by,
      this.clock.now(),
    );
    if (!decided) throw new NotFoundError('excuse_request', `${enrollmentId}:${lessonKey}`);
    return decided;
  }

  async undecidedExcuses(cohortId: string, tenancy: Tenancy): Promise<ExcuseRecord[]> {
    await this.cohorts.find(cohortId, tenancy);
    return this.attendance.undecidedExcuses(cohortId, 200);
  }

  /** How many classes a student attended (present or late) so far. */
  async attendedCount(course: StudentCourse): Promise<number> {
    return (await this.history(course)).filter((v) => ATTENDED.has(v.state)).length;
  }

  /** One student's attendance, lesson by lesson. */
  async history(course: StudentCourse): Promise<LessonAttendanceView[]> {
    const recorded = await this.attendance.forEnrollments(course.enrollment.cohortId, [course.enrollment.id]);
    return attendanceViews(
      course,
      recorded.get(course.enrollment.id) ?? new Map<string, LessonAttendance>(),
      course.cohort.attendance,
      this.clock.now(),
    );
  }

  async historyOf(cohortId: string, enrollmentId: string, tenancy: Tenancy): Promise<LessonAttendanceView[]> {
    return this.history(await this.studentLessons.courseOf(cohortId, enrollmentId, tenancy));
  }

  /**
   * Of these enrolments of a cohort, the ones absent from a class at `now` (nothing recorded, no
   * mark or approved excuse, window closed): whom the missed-class nudge goes to.
   */
  async absentees(
    cohort: CohortRecord,
    version: FunnelVersionRecord,
    lessonKey: string,
    enrollments: EnrollmentRecord[],
  ): Promise<EnrollmentRecord[]> {
    const recorded = await this.attendance.forEnrollments(
      cohort.id,
      enrollments.map((e) => e.id),
    );
    const now = this.clock.now();
    const absent: EnrollmentRecord[] = [];
    for (const enrollment of enrollments) {
      const views = await this.viewsOf(enrollment, { cohort, version }, recorded, now);
      if (views.find((v) => v.lessonKey === lessonKey)?.state === 'absent') absent.push(enrollment);
    }
    return absent;
  }

  /** A page of the student x lesson matrix, in seat order; pass the last seat as `afterSeat`. */
  async matrixPage(
    cohortId: string,
    tenancy: Tenancy,
    limit: number,
    afterSeat = 0,
  ): Promise<{ lessons: string[]; rows: AttendanceRow[] }> {
    const pinned = await this.pinned(cohortId, tenancy);
    return { lessons: pinned.lessons.map((l) => l.key), rows: await this.rows(pinned, limit, afterSeat) };
  }

  /** The matrix as CSV (BOM and header first), streamed page by page. */
  async *csv(cohortId: string, tenancy: Tenancy): AsyncGenerator<string> {
    const pinned = await this.pinned(cohortId, tenancy);
    const lessons = pinned.lessons.map((l) => l.key);
    yield toCsv(['seat', 'name', 'email', 'status', ...lessons, 'attended'], []);
    for await (const rows of this.allRows(pinned)) {
      yield csvRows(
        rows.map((row) => [
          row.seat,
          row.name,
          row.email,
          row.enrollmentStatus,
          ...lessons.map((key) => row.lessons[key] ?? ''),
          row.attended,
        ]),
      );
    }
  }

  /** Per lesson: how many came, were late, absent or excused, over the confirmed students. */
  async lessonRates(cohortId: string, tenancy: Tenancy): Promise<LessonRate[]> {
    const pinned = await this.pinned(cohortId, tenancy);
    const rates = new Map<string, LessonRate>(
      pinned.lessons.map((l) => [
        l.key,
        { lessonKey: l.key, title: l.title, present: 0, late: 0, absent: 0, excused: 0, pending: 0, rate: 0 },
      ]),
    );
    let confirmed = 0;
    for await (const rows of this.allRows(pinned)) {
      for (const row of rows) {
        if (row.enrollmentStatus !== 'confirmed') continue;
        confirmed++;
        for (const [key, state] of Object.entries(row.lessons)) {
          const rate = rates.get(key);
          if (!rate) continue;
          if (state === 'open' || state === 'upcoming') rate.pending++;
          else rate[state]++;
        }
      }
    }
    return [...rates.values()].map((r) => ({ ...r, rate: attendanceRate(r.present + r.late, confirmed) }));
  }

  /** The cohort, its pinned funnel version and its free lessons: read once per report. */
  private async pinned(cohortId: string, tenancy: Tenancy): Promise<PinnedCohort> {
    const cohort = await this.cohorts.find(cohortId, tenancy);
    const version = await this.funnels.getVersion(cohort.funnelId, cohort.funnelVersion, ALL_ORGANIZATIONS);
    return { cohort, version, lessons: version.lessons.filter(isFreeLesson) };
  }

  /** One page of matrix rows: one enrolment query and one attendance read for the page. */
  private async rows(pinned: PinnedCohort, limit: number, afterSeat: number): Promise<AttendanceRow[]> {
    const page = await this.enrollments.page(pinned.cohort.id, limit, afterSeat);
    const recorded = await this.attendance.forEnrollments(
      pinned.cohort.id,
      page.items.map((e) => e.id),
    );
    const facts: AttendanceFactsByEnrollment = new Map(
      [...recorded].map(([id, lessons]) => [id, new Map([...lessons].map(([key, r]) => [key, factsOf(r)]))]),
    );
    return this.rowsOf(page.items, pinned, this.lessonTimes(pinned), facts, this.clock.now());
  }

  /** Matrix rows of these enrolments from what is recorded about them: each lesson's state at `now`. */
  private async rowsOf(
    enrollments: EnrollmentRecord[],
    pinned: PinnedCohort,
    lessonTimes: LessonTimes,
    recorded: AttendanceFactsByEnrollment,
    now: Date,
  ): Promise<AttendanceRow[]> {
    const policy = pinned.cohort.attendance;
    const rows: AttendanceRow[] = [];
    for (const enrollment of enrollments) {
      const startsAt = await lessonTimes(enrollment);
      const facts = recorded.get(enrollment.id);
      const states: Record<string, AttendanceState> = {};
      let attended = 0;
      pinned.lessons.forEach((lesson, i) => {
        const state = attendanceState(facts?.get(lesson.key) ?? {}, startsAt[i], policy, now);
        states[lesson.key] = state;
        if (ATTENDED.has(state)) attended++;
      });
      rows.push({
        enrollmentId: enrollment.id,
        seat: enrollment.seat,
        name: enrollment.name,
        email: enrollment.email,
        enrollmentStatus: enrollment.status,
        lessons: states,
        attended,
      });
    }
    return rows;
  }

  /**
   * When each free lesson of the report's cohort starts for a student, in `pinned.lessons` order:
   * worked out once per lessonTimesKey (a zone) in a report, not once per student.
   */
  private lessonTimes(pinned: PinnedCohort): LessonTimes {
    const byKey = new Map<string, Date[]>();
    return async (enrollment) => {
      const key = lessonTimesKey(pinned.cohort, enrollment);
      const known = key === null ? undefined : byKey.get(key);
      if (known) return known;
      const course = await this.studentLessons.course(enrollment, pinned.cohort, pinned.version);
      const times = course.lessons.filter((l) => isFreeLesson(l.spec)).map((l) => l.startsAt);
      if (key !== null) byKey.set(key, times);
      return times;
    };
  }

  /** One enrolment's attendance views from a batch read of what is recorded. */
  private async viewsOf(
    enrollment: EnrollmentRecord,
    pinned: Pick<PinnedCohort, 'cohort' | 'version'>,
    recorded: Map<string, Map<string, LessonAttendance>>,
    now: Date,
  ): Promise<LessonAttendanceView[]> {
    const course = await this.studentLessons.course(enrollment, pinned.cohort, pinned.version);
    return attendanceViews(
      course,
      recorded.get(enrollment.id) ?? new Map<string, LessonAttendance>(),
      pinned.cohort.attendance,
      now,
    );
  }

  /**
   * Every row of the matrix in seat order, a batch at a time (CSV export and rates), never the whole
   * cohort at once: one cursor over the enrolments and one per attendance collection, however large
   * the cohort. The next batch of enrolments is read while this one's attendance is, so the two
   * streams wait on the database together rather than in turn.
   */
  private async *allRows(pinned: PinnedCohort): AsyncGenerator<AttendanceRow[]> {
    const now = this.clock.now();
    const lessonTimes = this.lessonTimes(pinned);
    const facts = this.attendance.cohortFacts(pinned.cohort.id, REPORT_BATCH);
    const batches = this.enrollments.inSeatOrder(pinned.cohort.id, REPORT_BATCH);
    const nextBatch = () => {
      const next = batches.next();
      next.catch(() => undefined); // awaited below, unless the reader stops first
      return next;
    };
    try {
      for (let next = nextBatch(); ;) {
        const batch = await next;
        if (batch.done) return;
        next = nextBatch();
        const recorded = await facts.take(batch.value.map((e) => e.id));
        yield await this.rowsOf(batch.value, pinned, lessonTimes, recorded, now);
      }
    } finally {
      await Promise.all([batches.return(undefined), facts.close()]);
    }
  }

  private async lessonView(course: StudentCourse, lessonKey: string): Promise<LessonAttendanceView> {
    const view = (await this.history(course)).find((v) => v.lessonKey === lessonKey);
    if (!view) throw new NotFoundError('lesson', lessonKey);
    return view;
  }

  /** One of the course's free classes (attendance is not kept for the paid course here). */
  private freeLesson(course: StudentCourse, lessonKey: string): StudentCourse['lessons'][number] {
    const lesson = course.lessons.find((l) => l.spec.key === lessonKey && isFreeLesson(l.spec));
    if (!lesson) throw new NotFoundError('lesson', lessonKey);
    return lesson;
  }

  /** A live class's page opens when check-in does, ahead of the class. */
  opensBeforeMs(course: StudentCourse): number {
    return course.cohort.attendance.checkInOpensBeforeMinutes * 60_000;
  }

  /**
   * Attendance is an event: recorded once (a student's open or check-in; each staff mark on its
   * own), written to the attendance records by `applyRecord`, then seen by referral progress.
   */
  private async publish(
    course: StudentCourse,
    lessonKey: string,
    change: DomainEventMap['attendance.recorded']['change'],
  ): Promise<void> {
    const subject = this.subject(course, lessonKey);
    const once = change.kind === 'mark' ? `mark:${randomUUID()}` : change.kind;
    await this.events.publish('attendance.recorded', `${subject.enrollmentId}:${lessonKey}:${once}`, {
      ...subject,
      change,
      at: this.clock.now(),
    });
  }

  private async applyRecord({ change, at, ...subject }: DomainEventMap['attendance.recorded']): Promise<void> {
    if (change.kind === 'mark') await this.attendance.mark(subject, change.status, change.by, at);
    else await this.attendance.record(subject, change.kind, at, change.notes);
  }

  private subject(course: StudentCourse, lessonKey: string) {
    return { cohortId: course.enrollment.cohortId, enrollmentId: course.enrollment.id, lessonKey };
  }
}

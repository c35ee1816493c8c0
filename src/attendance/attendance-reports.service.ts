import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { csvRows, toCsv } from '../common/csv';
import { Tenancy } from '../common/tenancy';
import { CohortRecord } from '../cohorts/cohorts.repository';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentRecord } from '../enrollments/enrollments.repository';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { StudentLessons } from '../enrollments/student-lessons.service';
import { isFreeLesson, LessonSpec } from '../funnels/funnel-content';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { AttendanceFactsByEnrollment, AttendanceRepository } from './attendance.repository';
import {
  AttendanceRow,
  attendanceViews,
  factsOf,
  LessonAttendance,
  LessonAttendanceView,
  LessonRate,
  LessonRateTally,
  lessonTimesKey,
  matrixCsvHeader,
  matrixCsvRecord,
  matrixRow,
} from './attendance.rules';

/** When each free lesson starts for a student (see AttendanceReports.lessonTimes). */
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

/**
 * What staff read about a cohort's attendance (the student x lesson matrix, its CSV, per-lesson
 * rates) and whom the missed-class nudge goes to: reads only, walking the cohort in seat order.
 */
@Injectable()
export class AttendanceReports {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly studentLessons: StudentLessons,
    private readonly enrollments: EnrollmentsService,
    private readonly cohorts: CohortsService,
    private readonly clock: Clock,
  ) {}

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
  ): Promise<{ lessons: string[]; rows: AttendanceRow[]; next: number | null }> {
    const pinned = await this.pinned(cohortId, tenancy);
    const rows = await this.rows(pinned, limit, afterSeat);
    return {
      lessons: pinned.lessons.map((l) => l.key),
      rows,
      next: rows.length === limit ? (rows[rows.length - 1]?.seat ?? null) : null,
    };
  }

  /** The matrix as CSV (BOM and header first), streamed page by page. */
  async *csv(cohortId: string, tenancy: Tenancy): AsyncGenerator<string> {
    const pinned = await this.pinned(cohortId, tenancy);
    const lessons = pinned.lessons.map((l) => l.key);
    yield toCsv(matrixCsvHeader(lessons), []);
    for await (const rows of this.allRows(pinned)) yield csvRows(rows.map((row) => matrixCsvRecord(row, lessons)));
  }

  /** Per lesson: how many came, were late, absent or excused, over the confirmed students. */
  async lessonRates(cohortId: string, tenancy: Tenancy): Promise<LessonRate[]> {
    const pinned = await this.pinned(cohortId, tenancy);
    const tally = new LessonRateTally(pinned.lessons);
    for await (const rows of this.allRows(pinned)) tally.add(rows);
    return tally.result();
  }

  /** How many students checked in to each of these lessons (a group's milestones). */
  async checkedInCounts(cohortId: string, lessonKeys: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const lessonKey of lessonKeys) counts.set(lessonKey, await this.attendance.countCheckIns(cohortId, lessonKey));
    return counts;
  }

  /** The cohort, its pinned funnel version and its free lessons: read once per report. */
  private async pinned(cohortId: string, tenancy: Tenancy): Promise<PinnedCohort> {
    const cohort = await this.cohorts.find(cohortId, tenancy);
    const version = await this.cohorts.pinnedVersion(cohort);
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
    const rows: AttendanceRow[] = [];
    for (const enrollment of enrollments) {
      const startsAt = await lessonTimes(enrollment);
      rows.push(
        matrixRow(enrollment, pinned.lessons, startsAt, recorded.get(enrollment.id), pinned.cohort.attendance, now),
      );
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
}

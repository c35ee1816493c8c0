import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { DomainError, NotFoundError } from '../common/domain-error';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentRecord } from '../enrollments/enrollments.repository';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { StudentCourse, StudentLessons } from '../enrollments/student-lessons.service';
import { isFreeLesson, LessonSpec } from '../funnels/funnel-content';
import { FunnelVersionRecord } from '../funnels/funnels.repository';
import { FunnelsService } from '../funnels/funnels.service';
import { CohortRecord } from '../cohorts/cohorts.repository';
import {
  AttendancePolicy,
  attendanceRate,
  AttendanceState,
  attendanceState,
  AttendanceStatus,
  canCheckIn,
  checkInOpensAt,
  windowClosesAt,
} from './attendance.rules';
import { AttendanceRepository, ExcuseRecord, LessonAttendance } from './attendance.repository';
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

interface PinnedCohort {
  cohort: CohortRecord;
  version: FunnelVersionRecord;
  lessons: LessonSpec[];
}

/**
 * Pages of this many enrolments stream the cohort-wide reports, so memory stays flat at any size;
 * large pages, because each page costs a few queries (and on the FerretDB test server, scans).
 */
const REPORT_PAGE = 1000;

const ATTENDED = new Set<AttendanceState>(['present', 'late']);

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
      const seen = [facts.joinedAt, facts.checkedInAt].filter((d): d is Date => !!d);
      const firstSeenAt = seen.length ? new Date(Math.min(...seen.map((d) => d.getTime()))) : undefined;
      return {
        lessonKey: spec.key,
        title: spec.title,
        startsAt,
        checkInOpensAt: checkInOpensAt(startsAt, policy),
        closesAt: windowClosesAt(startsAt, policy),
        state: attendanceState(
          {
            ...(firstSeenAt ? { firstSeenAt } : {}),
            ...(facts.mark ? { instructorMark: facts.mark.status } : {}),
            excused: facts.excuse?.decision === 'approved',
          },
          startsAt,
          policy,
          now,
        ),
        joinedAt: facts.joinedAt ?? null,
        checkedInAt: facts.checkedInAt ?? null,
        notes: facts.notes ?? null,
        excuse: facts.excuse ?? null,
      };
    });
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // Quote what would break the row, and defuse formulas when the file is opened in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

@Injectable()
export class AttendanceService {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly studentLessons: StudentLessons,
    private readonly enrollments: EnrollmentsService,
    private readonly cohorts: CohortsService,
    private readonly funnels: FunnelsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** The student opened the lesson through their link. */
  async opened(course: StudentCourse, lessonKey: string): Promise<void> {
    await this.attendance.record(this.subject(course, lessonKey), 'joined', this.clock.now());
    await this.events.emit('attendance.recorded', this.subject(course, lessonKey));
  }

  /** A check-in from the lesson page, with optional notes; checking in again keeps the first. */
  async checkIn(course: StudentCourse, lessonKey: string, notes: string | undefined): Promise<LessonAttendanceView> {
    const lesson = this.studentLessons.releasedLesson(course, lessonKey, this.opensBeforeMs(course));
    if (!canCheckIn(lesson.startsAt, course.cohort.attendance, this.clock.now())) {
      throw new DomainError('rule', 'check_in_not_open', 'Check-in for this class has not opened yet');
    }
    await this.attendance.record(this.subject(course, lessonKey), 'checked_in', this.clock.now(), notes?.trim());
    await this.events.emit('attendance.recorded', this.subject(course, lessonKey));
    return this.lessonView(course, lessonKey);
  }

  /** Asking in advance to be excused; only until the class's window closes. */
  async requestExcuse(course: StudentCourse, lessonKey: string, reason: string): Promise<ExcuseRecord> {
    const lesson = this.freeLesson(course, lessonKey);
    if (this.clock.now() >= windowClosesAt(lesson.startsAt, course.cohort.attendance)) {
      throw new DomainError('rule', 'class_over', 'This class is over; ask your instructor instead');
    }
    return this.attendance.requestExcuse(this.subject(course, lessonKey), reason.trim(), this.clock.now());
  }

  async mark(
    cohortId: string,
    enrollmentId: string,
    lessonKey: string,
    status: AttendanceStatus,
    by: string,
  ): Promise<LessonAttendanceView> {
    const course = await this.studentLessons.courseOf(cohortId, enrollmentId);
    this.freeLesson(course, lessonKey);
    await this.attendance.mark(this.subject(course, lessonKey), status, by, this.clock.now());
    await this.events.emit('attendance.recorded', this.subject(course, lessonKey));
    return this.lessonView(course, lessonKey);
  }

  async decideExcuse(
    cohortId: string,
    enrollmentId: string,
    lessonKey: string,
    decision: ExcuseDecision,
    by: string,
  ): Promise<ExcuseRecord> {
    const decided = await this.attendance.decideExcuse(
      { cohortId, enrollmentId, lessonKey },
      decision,
      by,
      this.clock.now(),
    );
    if (!decided) throw new NotFoundError('excuse_request', `${enrollmentId}:${lessonKey}`);
    return decided;
  }

  async undecidedExcuses(cohortId: string): Promise<ExcuseRecord[]> {
    await this.cohorts.find(cohortId);
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

  async historyOf(cohortId: string, enrollmentId: string): Promise<LessonAttendanceView[]> {
    return this.history(await this.studentLessons.courseOf(cohortId, enrollmentId));
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
    limit: number,
    afterSeat = 0,
  ): Promise<{ lessons: string[]; rows: AttendanceRow[] }> {
    const pinned = await this.pinned(cohortId);
    return { lessons: pinned.lessons.map((l) => l.key), rows: await this.rows(pinned, limit, afterSeat) };
  }

  /** The matrix as CSV lines (header first), streamed page by page. */
  async *csv(cohortId: string): AsyncGenerator<string> {
    const pinned = await this.pinned(cohortId);
    const lessons = pinned.lessons.map((l) => l.key);
    yield ['seat', 'name', 'email', 'status', ...lessons, 'attended'].map(csvCell).join(',') + '\n';
    for await (const rows of this.allRows(pinned)) {
      yield rows
        .map(
          (row) =>
            [
              row.seat,
              row.name,
              row.email,
              row.enrollmentStatus,
              ...lessons.map((key) => row.lessons[key] ?? ''),
              row.attended,
            ]
              .map(csvCell)
              .join(',') + '\n',
        )
        .join('');
    }
  }

  /** Per lesson: how many came, were late, absent or excused, over the confirmed students. */
  async lessonRates(cohortId: string): Promise<LessonRate[]> {
    const pinned = await this.pinned(cohortId);
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
  private async pinned(cohortId: string): Promise<PinnedCohort> {
    const cohort = await this.cohorts.find(cohortId);
    const version = await this.funnels.getVersion(cohort.funnelId, cohort.funnelVersion);
    return { cohort, version, lessons: version.lessons.filter(isFreeLesson) };
  }

  /** One page of matrix rows: one enrolment query and one attendance read for the page. */
  private async rows(pinned: PinnedCohort, limit: number, afterSeat: number): Promise<AttendanceRow[]> {
    const { cohort, version } = pinned;
    const page = await this.enrollments.page(cohort.id, limit, afterSeat);
    const recorded = await this.attendance.forEnrollments(
      cohort.id,
      page.items.map((e) => e.id),
    );
    const now = this.clock.now();
    const rows: AttendanceRow[] = [];
    for (const enrollment of page.items) {
      const views = await this.viewsOf(enrollment, { cohort, version }, recorded, now);
      rows.push({
        enrollmentId: enrollment.id,
        seat: enrollment.seat,
        name: enrollment.name,
        email: enrollment.email,
        enrollmentStatus: enrollment.status,
        lessons: Object.fromEntries(views.map((v) => [v.lessonKey, v.state])),
        attended: views.filter((v) => ATTENDED.has(v.state)).length,
      });
    }
    return rows;
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

  /** Every page of the matrix in turn (CSV export and rates), never the whole cohort at once. */
  private async *allRows(pinned: PinnedCohort): AsyncGenerator<AttendanceRow[]> {
    let afterSeat = 0;
    for (;;) {
      const rows = await this.rows(pinned, REPORT_PAGE, afterSeat);
      if (rows.length > 0) yield rows;
      if (rows.length < REPORT_PAGE) return;
      afterSeat = rows[rows.length - 1].seat;
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

  private subject(course: StudentCourse, lessonKey: string) {
    return { cohortId: course.enrollment.cohortId, enrollmentId: course.enrollment.id, lessonKey };
  }
}

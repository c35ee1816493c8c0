import { AttendancePolicy, AttendanceWindow } from '../cohorts/cohort-policies';
import type { CohortRecord } from '../cohorts/cohorts.repository';
import type { EnrollmentRecord } from '../enrollments/enrollments.repository';
import type { StudentCourse } from '../enrollments/student-lessons.service';
import { isFreeLesson, LessonSpec } from '../funnels/funnel-content';
export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const EXCUSE_DECISIONS = ['approved', 'rejected'] as const;
export type ExcuseDecision = (typeof EXCUSE_DECISIONS)[number];

/** What is recorded about one student and one lesson. */
export interface LessonAttendance {
  joinedAt?: Date;
  checkedInAt?: Date;
  notes?: string;
  mark?: { status: AttendanceStatus; by: string; at: Date };
  excuse?: ExcuseRecord;
}

export interface ExcuseRecord {
  enrollmentId: string;
  lessonKey: string;
  reason: string;
  requestedAt: Date;
  decision: ExcuseDecision | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** Before the check-in window opens a lesson is 'upcoming'; while it is open and nothing is recorded, 'open'. */
export type AttendanceState = AttendanceStatus | 'upcoming' | 'open';

export interface AttendanceFacts {
  /** Earliest time the student opened the lesson or checked in (earliest wins), if ever. */
  firstSeenAt?: Date;
  /** What an instructor marked, which overrides everything else. */
  instructorMark?: AttendanceStatus;
  /** An excuse the student asked for and an instructor approved. */
  excused?: boolean;
}

const MINUTE_MS = 60_000;

function minutesAfter(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * MINUTE_MS);
}

export function checkInOpensAt(startsAt: Date, policy: AttendanceWindow): Date {
  return minutesAfter(startsAt, -policy.checkInOpensBeforeMinutes);
}

export function windowClosesAt(startsAt: Date, policy: AttendanceWindow): Date {
  return minutesAfter(startsAt, policy.closeAfterMinutes);
}

/** Whether a check-in may be recorded now: from when the window opens (no upper bound: a late check-in still counts as late). */
export function canCheckIn(startsAt: Date, policy: AttendanceWindow, now: Date): boolean {
  return now >= checkInOpensAt(startsAt, policy);
}

/**
 * A student's attendance for one lesson at `now`. People outrank the clock: an instructor's mark
 * wins, then an approved excuse. Otherwise the first sighting decides (present up to and including
 * `lateAfterMinutes` past the start, late after that, even once the window has closed: they came).
 * Only with nothing seen does time decide: upcoming, open, then absent from the moment the window
 * closes.
 *
 * `startsAt` is when the lesson starts for this student (their release time).
 */
export function attendanceState(
  facts: AttendanceFacts,
  startsAt: Date,
  policy: AttendanceWindow,
  now: Date,
): AttendanceState {
  if (facts.instructorMark) return facts.instructorMark;
  if (facts.excused) return 'excused';
  if (facts.firstSeenAt) {
    return facts.firstSeenAt <= minutesAfter(startsAt, policy.lateAfterMinutes) ? 'present' : 'late';
  }
  if (now >= windowClosesAt(startsAt, policy)) return 'absent';
  if (now < checkInOpensAt(startsAt, policy)) return 'upcoming';
  return 'open';
}

/** Attendance rate as a fraction rounded to 4 decimals; 0 when there is nobody. attended = present + late. */
export function attendanceRate(attended: number, enrolled: number): number {
  if (enrolled <= 0) return 0;
  return Math.round((attended / enrolled) * 10_000) / 10_000;
}

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

/** The states that count as having come to a class. */
export const ATTENDED: ReadonlySet<AttendanceState> = new Set<AttendanceState>(['present', 'late']);

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

/** A student x lesson matrix row: each free lesson's state at `now`, given when it starts for them. */
export function matrixRow(
  enrollment: EnrollmentRecord,
  lessons: LessonSpec[],
  startsAt: Date[],
  facts: Map<string, AttendanceFacts> | undefined,
  policy: AttendancePolicy,
  now: Date,
): AttendanceRow {
  const states: Record<string, AttendanceState> = {};
  let attended = 0;
  lessons.forEach((lesson, i) => {
    const state = attendanceState(facts?.get(lesson.key) ?? {}, startsAt[i], policy, now);
    states[lesson.key] = state;
    if (ATTENDED.has(state)) attended++;
  });
  return {
    enrollmentId: enrollment.id,
    seat: enrollment.seat,
    name: enrollment.name,
    email: enrollment.email,
    enrollmentStatus: enrollment.status,
    lessons: states,
    attended,
  };
}

/** Per-lesson tallies of the confirmed students' rows, added to batch by batch. */
export class LessonRateTally {
  private readonly rates: Map<string, LessonRate>;
  private confirmed = 0;

  constructor(lessons: Pick<LessonSpec, 'key' | 'title'>[]) {
    this.rates = new Map(
      lessons.map((l) => [
        l.key,
        { lessonKey: l.key, title: l.title, present: 0, late: 0, absent: 0, excused: 0, pending: 0, rate: 0 },
      ]),
    );
  }

  add(rows: AttendanceRow[]): void {
    for (const row of rows) {
      if (row.enrollmentStatus !== 'confirmed') continue;
      this.confirmed++;
      for (const [key, state] of Object.entries(row.lessons)) {
        const rate = this.rates.get(key);
        if (!rate) continue;
        if (state === 'open' || state === 'upcoming') rate.pending++;
        else rate[state]++;
      }
    }
  }

  result(): LessonRate[] {
    return [...this.rates.values()].map((r) => ({ ...r, rate: attendanceRate(r.present + r.late, this.confirmed) }));
  }
}

/** The CSV columns of the matrix, and one row's cells. */
export const matrixCsvHeader = (lessonKeys: string[]) => ['seat', 'name', 'email', 'status', ...lessonKeys, 'attended'];
export const matrixCsvRecord = (row: AttendanceRow, lessonKeys: string[]) => [
  row.seat,
  row.name,
  row.email,
  row.enrollmentStatus,
  ...lessonKeys.map((key) => row.lessons[key] ?? ''),
  row.attended,
];

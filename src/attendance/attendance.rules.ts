import { AttendanceWindow } from '../cohorts/cohort-policies';
export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

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

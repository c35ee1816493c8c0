// What a cohort sets for its classes (the check-in window, what completes the course), with
// defaults and checks. The cohort carries them; attendance and homework apply them.

/** When a class's check-in opens, when arriving counts as late, and when the window closes. */
export interface AttendanceWindow {
  /** Check-in opens this many minutes before the lesson starts (live classes ask people to arrive early). */
  checkInOpensBeforeMinutes: number;
  /** Arriving more than this many minutes after the start counts as late. */
  lateAfterMinutes: number;
  /** The window closes this many minutes after the start; with nothing recorded the student is absent. */
  closeAfterMinutes: number;
}

export interface AttendancePolicy extends AttendanceWindow {
  /** Once the window has closed, students absent from the class get a "we missed you" message. */
  nudgeAbsent: boolean;
}

/** A whole day to turn up: opening the lesson later that day still counts (as late), not absent. */
export const DEFAULT_ATTENDANCE_POLICY: AttendancePolicy = {
  checkInOpensBeforeMinutes: 15,
  lateAfterMinutes: 15,
  closeAfterMinutes: 24 * 60,
  nudgeAbsent: true,
};

/**
 * Why a policy cannot work, naming the field, or null when it is fine. Minutes are whole and never
 * negative, and the window must close after lateness starts, or nobody could ever be late.
 */
export function validateAttendancePolicy(policy: AttendanceWindow): string | null {
  const fields = ['checkInOpensBeforeMinutes', 'lateAfterMinutes', 'closeAfterMinutes'] as const;
  for (const field of fields) {
    const minutes = policy[field];
    if (!Number.isInteger(minutes) || minutes < 0) {
      return `attendance.${field} must be a whole number of minutes, 0 or more`;
    }
  }
  if (policy.closeAfterMinutes <= policy.lateAfterMinutes) {
    return 'attendance.closeAfterMinutes must be greater than lateAfterMinutes';
  }
  return null;
}
/** What a student must do to complete a course: attend enough lessons and pass enough homework. */
export interface CompletionRule {
  minAttended: number;
  minHomeworkPassed: number;
}

/** Attendance alone completes a course unless it asks for homework. */
export const DEFAULT_COMPLETION_RULE: CompletionRule = { minAttended: 5, minHomeworkPassed: 0 };

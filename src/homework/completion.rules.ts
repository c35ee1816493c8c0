import { CompletionRule } from '../cohorts/cohort-policies';
export interface Progress {
  attended: number;
  homeworkPassed: number;
  lessons: number;
  complete: boolean;
}

/**
 * A student's progress from their per-lesson attendance statuses. Only 'present' and 'late' count
 * as attended: an excuse keeps a lesson from counting against a student's rate, but it is not
 * attendance. Complete once both minimums are met.
 */
export function progressOf(
  statuses: readonly string[],
  homeworkPassed: number,
  lessons: number,
  rule: CompletionRule,
): Progress {
  const attended = statuses.filter((status) => status === 'present' || status === 'late').length;
  const complete = attended >= rule.minAttended && homeworkPassed >= rule.minHomeworkPassed;
  return { attended, homeworkPassed, lessons, complete };
}

import { LessonPhase, LessonSpec, OfferSpec } from '../funnels/funnel-content';
import { addDuration, releaseAt, studentReleaseAt } from '../schedule/schedule.rules';

export const COHORT_STATUSES = ['draft', 'open', 'running', 'completed', 'cancelled'] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

export const RELEASE_CLOCKS = ['cohort', 'student'] as const;
/** `cohort`: everyone at the same instant; `student`: the same wall time in each student's zone. */
export type ReleaseClock = (typeof RELEASE_CLOCKS)[number];

export interface ScheduledLesson {
  key: string;
  phase: LessonPhase;
  title: string;
  /** On the cohort clock, in UTC. */
  releaseAt: Date;
}

export interface CohortSchedule {
  lessons: ScheduledLesson[];
  /** When the paid offer closes: `deadlineAfter` past the last closing lesson. */
  offerDeadlineAt: Date;
}

/** The cohort's lesson schedule in UTC, computed in its timezone (DST-correct). */
export function materializeSchedule(
  lessons: LessonSpec[],
  offer: OfferSpec,
  startAt: Date,
  timezone: string,
): CohortSchedule {
  const scheduled = lessons.map((lesson) => ({
    key: lesson.key,
    phase: lesson.phase,
    title: lesson.title,
    releaseAt: releaseAt(startAt, lesson.release, timezone),
  }));
  const lastClosing = [...scheduled].reverse().find((l) => l.phase === 'closing') ?? scheduled[scheduled.length - 1];
  const anchor = lastClosing?.releaseAt ?? startAt;
  return { lessons: scheduled, offerDeadlineAt: addDuration(anchor, offer.deadlineAfter, timezone) };
}

/** Keys of the classes a schedule has already released by `now` (on the cohort clock). */
export function lessonsAlreadyDue(lessons: Pick<ScheduledLesson, 'key' | 'releaseAt'>[], now: Date): string[] {
  return lessons.filter((lesson) => lesson.releaseAt <= now).map((lesson) => lesson.key);
}

/** Which status changes staff may make by hand; running/completed follow the schedule. */
const TRANSITIONS: Record<CohortStatus, readonly CohortStatus[]> = {
  draft: ['open', 'cancelled'],
  open: ['running', 'cancelled'],
  running: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function canTransition(from: CohortStatus, to: CohortStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Moving the start is allowed until the first lesson has gone out. */
export function canReschedule(status: CohortStatus): boolean {
  return status === 'draft' || status === 'open';
}

/**
 * When each lesson reaches one student. On the cohort clock that is the cohort's instant; on the
 * student clock it is the lesson's local time of day in the student's zone (their own, or the
 * cohort's when they gave none), on the same cohort day.
 */
export function studentSchedule(
  cohort: { startAt: Date; timezone: string; releaseClock: ReleaseClock; lessons: ScheduledLesson[] },
  lessons: LessonSpec[],
  studentZone: string | null,
): ScheduledLesson[] {
  if (cohort.releaseClock === 'cohort' || !studentZone) return cohort.lessons;
  const offsets = new Map(lessons.map((l) => [l.key, l.release]));
  return cohort.lessons.map((lesson) => {
    const offset = offsets.get(lesson.key);
    return offset
      ? { ...lesson, releaseAt: studentReleaseAt(cohort.startAt, offset, cohort.timezone, studentZone) }
      : lesson;
  });
}

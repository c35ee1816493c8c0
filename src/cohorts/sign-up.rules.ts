import { CohortStatus, ScheduledLesson } from './cohort.rules';

export type EnrollmentWindowRefusal = 'not_open' | 'not_yet_open' | 'closed';

/**
 * Whether a cohort takes sign-ups at `now`. Sign-ups need an open (or running) cohort inside its
 * window; without an explicit end, the window closes when the first closing lesson is released, so
 * people can still join during the free value classes.
 */
export function enrollmentRefusal(
  cohort: {
    status: CohortStatus;
    enrollmentOpensAt: Date | null;
    enrollmentClosesAt: Date | null;
    lessons: ScheduledLesson[];
    startAt: Date;
    evergreen: boolean;
  },
  now: Date,
): EnrollmentWindowRefusal | null {
  if (cohort.status !== 'open' && cohort.status !== 'running') return 'not_open';
  if (cohort.enrollmentOpensAt && now < cohort.enrollmentOpensAt) return 'not_yet_open';
  if (cohort.evergreen && !cohort.enrollmentClosesAt) return null;
  const closesAt =
    cohort.enrollmentClosesAt ?? cohort.lessons.find((l) => l.phase === 'closing')?.releaseAt ?? cohort.startAt;
  return now >= closesAt ? 'closed' : null;
}

/**
 * A dispatch names a lesson its pinned funnel version does not have: versions are immutable and a
 * cohort's schedule is built from its own, so this is a broken invariant (a 500), not a user error.
 */
export class ReleaseMissingLessonError extends Error {
  constructor(lessonKey: string | undefined, version: number) {
    super(`lesson ${lessonKey} missing from funnel version ${version}`);
    this.name = 'ReleaseMissingLessonError';
  }
}

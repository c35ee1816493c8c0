import { AttendancePolicy } from '../cohorts/cohort-policies';
import { CohortStatus, materializeSchedule, ReleaseClock, ScheduledLesson } from '../cohorts/cohort.rules';
import { isFreeLesson, LessonSpec, offerOpensAfterMs, OfferSpec } from '../funnels/funnel-content';
import { studentReleaseAt } from '../schedule/schedule.rules';

/**
 * On the student clock the earliest zone (UTC+14) reaches a wall time up to 28 hours before some
 * cohort zones do, so a lesson is fanned out that long ahead, each message due at its student's time.
 * The latest zone (UTC-12) lags by as much, so who missed a class is known only that long after.
 */
export const STUDENT_CLOCK_LEAD_MS = 28 * 3600_000;

/**
 * A missed-class nudge this late is no use (the next class has come, or the group was moved with
 * catchUp and every class before it looks missed), so it is left out.
 */
export const MISSED_NUDGE_STALE_MS = 24 * 3600_000;

/** One fan-out: a message of one kind to every student of a cohort who should get it. */
export interface Dispatch {
  /** Unique within the cohort; also the last part of each message's idempotency key. */
  key: string;
  kind: 'lesson' | 'catchup' | 'reminder' | 'offer' | 'missed' | 'cancelled' | 'rescheduled';
  lessonKey?: string;
  /** A catch-up's classes, in release order. */
  lessonKeys?: string[];
  /** When the fan-out may start (messages may still be due later, per student). */
  fanoutAt: Date;
  /** The offer: how long after its class (the last closing one) it goes out. */
  afterMs?: number;
}

export interface ReleasableCohort {
  status: CohortStatus;
  startAt: Date;
  timezone: string;
  releaseClock: ReleaseClock;
  lessons: ScheduledLesson[];
  cancelledAt: Date | null;
  /** Opened or moved with catchUp at this instant: the classes due by then go out as one catch-up. */
  catchUpUntil: Date | null;
  /** When the start last moved; confirmed students are then told the new times (once per move). */
  rescheduledAt?: Date | null;
  reminderMinutesBefore: number | null;
  evergreen: boolean;
  attendance: AttendancePolicy;
}

function lead(cohort: ReleasableCohort, lesson: ScheduledLesson, specs: Map<string, LessonSpec>): number {
  return cohort.releaseClock === 'student' && specs.get(lesson.key)?.release.at ? STUDENT_CLOCK_LEAD_MS : 0;
}

/** Every fan-out of a cohort whose time has come at `now` (done or not: the caller skips done ones). */
export function dueDispatches(
  cohort: ReleasableCohort,
  lessons: LessonSpec[],
  offer: Pick<OfferSpec, 'openAfter'>,
  now: Date,
): Dispatch[] {
  if (cohort.status === 'cancelled') {
    return [{ key: 'cancelled', kind: 'cancelled', fanoutAt: cohort.cancelledAt ?? now }];
  }
  if (cohort.status !== 'open' && cohort.status !== 'running') return [];
  // Evergreen students are scheduled one by one when they confirm (see personalSchedule).
  if (cohort.evergreen) return [];
  const specs = new Map(lessons.map((l) => [l.key, l]));
  const free = cohort.lessons.filter(isFreeLesson);
  const caughtUp = new Set(catchUpLessons(cohort, free, specs).map((l) => l.key));
  const dispatches: Dispatch[] = [];
  if (cohort.rescheduledAt) {
    const at = cohort.rescheduledAt;
    dispatches.push({ key: `rescheduled:${at.getTime()}`, kind: 'rescheduled', fanoutAt: at });
  }
  if (caughtUp.size > 0 && cohort.catchUpUntil) {
    dispatches.push({ key: 'catchup', kind: 'catchup', lessonKeys: [...caughtUp], fanoutAt: cohort.catchUpUntil });
  }
  for (const lesson of free.filter((l) => !caughtUp.has(l.key))) {
    const fanoutAt = new Date(lesson.releaseAt.getTime() - lead(cohort, lesson, specs));
    dispatches.push({ key: `lesson:${lesson.key}`, kind: 'lesson', lessonKey: lesson.key, fanoutAt });
  }
  const reminderMs = (cohort.reminderMinutesBefore ?? 0) * 60_000;
  if (reminderMs > 0) {
    // A reminder for a class that has begun everywhere (after downtime, or a catch-up) is left out.
    for (const lesson of free.filter((l) => now.getTime() < l.releaseAt.getTime() + lead(cohort, l, specs))) {
      dispatches.push({
        key: `reminder:${lesson.key}`,
        kind: 'reminder',
        lessonKey: lesson.key,
        fanoutAt: new Date(lesson.releaseAt.getTime() - reminderMs - lead(cohort, lesson, specs)),
      });
    }
  }
  if (cohort.attendance.nudgeAbsent) {
    // Who was absent is only known once the class's window has closed for every student.
    const closeMs = cohort.attendance.closeAfterMinutes * 60_000;
    // A class that reached the group in a catch-up was never there to be attended live.
    for (const lesson of free.filter((l) => !caughtUp.has(l.key))) {
      const knownAt = new Date(lesson.releaseAt.getTime() + closeMs + lead(cohort, lesson, specs));
      if (now.getTime() - knownAt.getTime() > MISSED_NUDGE_STALE_MS) continue;
      dispatches.push({ key: `missed:${lesson.key}`, kind: 'missed', lessonKey: lesson.key, fanoutAt: knownAt });
    }
  }
  const lastClosing = [...free].reverse().find((l) => l.phase === 'closing');
  if (lastClosing) {
    const afterMs = offerOpensAfterMs(offer);
    dispatches.push({
      key: 'offer',
      kind: 'offer',
      lessonKey: lastClosing.key,
      fanoutAt: new Date(lastClosing.releaseAt.getTime() + afterMs - lead(cohort, lastClosing, specs)),
      afterMs,
    });
  }
  return dispatches.filter((d) => d.fanoutAt <= now);
}

/**
 * The classes that go out in a cohort's catch-up: those already being released when the group was
 * opened or moved with catchUp. Two or more make a catch-up (one class is just that class).
 */
function catchUpLessons(
  cohort: ReleasableCohort,
  free: ScheduledLesson[],
  specs: Map<string, LessonSpec>,
): ScheduledLesson[] {
  const until = cohort.catchUpUntil;
  if (!until) return [];
  const due = free.filter((lesson) => lesson.releaseAt.getTime() - lead(cohort, lesson, specs) <= until.getTime());
  return due.length >= 2 ? due : [];
}

/**
 * What one student gets of a catch-up: the classes already released to them by its time, in one
 * mail, and the rest (on the student clock, classes whose local time is still to come) one by one.
 */
export function splitCatchUp(
  dispatch: Dispatch,
  cohort: ReleasableCohort,
  lessons: LessonSpec[],
  studentZone: string | null,
): { released: string[]; later: Dispatch[] } {
  const released: string[] = [];
  const later: Dispatch[] = [];
  for (const lessonKey of dispatch.lessonKeys ?? []) {
    const single: Dispatch = { key: `lesson:${lessonKey}`, kind: 'lesson', lessonKey, fanoutAt: dispatch.fanoutAt };
    if (studentDueAt(single, cohort, lessons, studentZone) <= dispatch.fanoutAt) released.push(lessonKey);
    else later.push(single);
  }
  return { released, later };
}

/** The free classes released to one student by `now` (what a late joiner has missed), in order. */
export function releasedTo(
  cohort: ReleasableCohort,
  lessons: LessonSpec[],
  studentZone: string | null,
  now: Date,
): string[] {
  return cohort.lessons
    .filter(isFreeLesson)
    .filter((lesson) => {
      const single: Dispatch = { key: `lesson:${lesson.key}`, kind: 'lesson', lessonKey: lesson.key, fanoutAt: now };
      return studentDueAt(single, cohort, lessons, studentZone) <= now;
    })
    .map((lesson) => lesson.key);
}

/**
 * An evergreen student's own run of the cohort: day 0 is when they confirmed. Every dispatch of it
 * (all lessons, reminders, the offer) is written to the outbox at once, each due at its time. A
 * missed-class nudge depends on attendance not known then, so a self-paced run has none.
 */
export function personalSchedule<C extends ReleasableCohort & { offerDeadlineAt: Date }>(
  cohort: C,
  lessons: LessonSpec[],
  offer: OfferSpec,
  confirmedAt: Date,
): { cohort: C; dispatches: Dispatch[] } {
  const schedule = materializeSchedule(lessons, offer, confirmedAt, cohort.timezone);
  const own = {
    ...cohort,
    startAt: confirmedAt,
    status: 'running' as const,
    evergreen: false,
    catchUpUntil: null,
    ...schedule,
  };
  const dispatches = dueDispatches(own, lessons, offer, new Date(8.64e15)).filter(
    (d) => d.kind !== 'missed' && d.kind !== 'rescheduled',
  );
  return { cohort: own, dispatches };
}

/** When one student's message of a dispatch is due: their own release time on the student clock. */
export function studentDueAt(
  dispatch: Dispatch,
  cohort: ReleasableCohort,
  lessons: LessonSpec[],
  studentZone: string | null,
): Date {
  const lesson = cohort.lessons.find((l) => l.key === dispatch.lessonKey);
  if (!lesson || dispatch.kind === 'cancelled' || dispatch.kind === 'catchup') return dispatch.fanoutAt;
  const spec = lessons.find((l) => l.key === lesson.key);
  const releaseAt =
    cohort.releaseClock === 'student' && spec?.release.at && studentZone
      ? studentReleaseAt(cohort.startAt, spec.release, cohort.timezone, studentZone)
      : lesson.releaseAt;
  if (dispatch.kind === 'offer') return new Date(releaseAt.getTime() + (dispatch.afterMs ?? 0));
  if (dispatch.kind === 'reminder') return new Date(releaseAt.getTime() - (cohort.reminderMinutesBefore ?? 0) * 60_000);
  if (dispatch.kind === 'missed') return new Date(releaseAt.getTime() + cohort.attendance.closeAfterMinutes * 60_000);
  return releaseAt;
}

/**
 * When each lesson reaches one student: on their own run in an evergreen cohort (day 0 is when
 * they confirmed), at their local time on the student clock, else at the cohort's time.
 */
export function studentLessonTimes<C extends ReleasableCohort & { offerDeadlineAt: Date }>(
  cohort: C,
  lessons: LessonSpec[],
  offer: OfferSpec,
  student: { confirmedAt: Date | null; timezone: string | null },
): { cohort: C; startsAt: Map<string, Date> } {
  const own =
    cohort.evergreen && student.confirmedAt
      ? personalSchedule(cohort, lessons, offer, student.confirmedAt).cohort
      : cohort;
  const startsAt = new Map(
    own.lessons.map((lesson) => [
      lesson.key,
      studentDueAt(
        { key: `lesson:${lesson.key}`, kind: 'lesson', lessonKey: lesson.key, fanoutAt: lesson.releaseAt },
        own,
        lessons,
        student.timezone,
      ),
    ]),
  );
  return { cohort: own, startsAt };
}

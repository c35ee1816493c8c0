import { checkInOpensAt, windowClosesAt } from '../attendance/attendance.rules';
import { AttendancePolicy } from '../cohorts/cohort-policies';
import { CohortStatus, ScheduledLesson } from '../cohorts/cohort.rules';
import { isFreeLesson, LessonSpec, offerOpensAfterMs, OfferSpec } from '../funnels/funnel-content';
import { homeworkDueAt } from '../homework/homework.rules';
import { ChatPostKind } from './chat-post';

/** "N of you checked in": the counts a group hears about, once each per class. */
export const CHECK_IN_MILESTONES = [5, 10, 20, 30, 50, 100, 150, 200, 300, 500, 1000, 2000, 5000] as const;

/** "Class 2 starts soon" goes out this long before a class when the cohort sets no reminder. */
export const DEFAULT_OPENING_NOTICE_MINUTES = 60;

/** "Homework due soon" goes out a day before it is due, or halfway there for shorter homework. */
const HOMEWORK_NOTICE_MS = 24 * 3600_000;

export type ScheduledPostKind = Exclude<ChatPostKind, 'test'>;

/** One post of a cohort to each of its channels. */
export interface ChatDispatch {
  /** Unique within one schedule of the cohort: the last part of each post's idempotency key. */
  key: string;
  kind: ScheduledPostKind;
  lessonKey?: string;
  /** When it goes out. */
  at: Date;
  /** A milestone's count. */
  checkedIn?: number;
}

export interface PostingCohort {
  status: CohortStatus;
  evergreen: boolean;
  lessons: ScheduledLesson[];
  reminderMinutesBefore: number | null;
  attendance: AttendancePolicy;
  offerDeadlineAt: Date;
}

/** When a class's check-in window opens and closes, on the cohort's own clock. */
export function checkInWindow(lesson: Pick<ScheduledLesson, 'releaseAt'>, policy: AttendancePolicy) {
  return { opensAt: checkInOpensAt(lesson.releaseAt, policy), closesAt: windowClosesAt(lesson.releaseAt, policy) };
}

/** The highest milestone reached by `count` check-ins, or null below the first. */
export function milestoneReached(count: number): number | null {
  let reached: number | null = null;
  for (const m of CHECK_IN_MILESTONES) if (count >= m) reached = m;
  return reached;
}

/**
 * The group posts of a cohort that are due at `now` and still worth posting (done or not: the
 * caller skips done ones). Each has its time and the moment it stops making sense, so after
 * downtime only what is still true goes out: "starts soon" before the class starts, "class
 * released" while its check-in window is open, "homework due" before it is due, the offer before
 * its deadline, and a milestone while the class's window is open (only the highest one reached, so
 * a burst of check-ins gives one post, not five). The group shares one clock: on a student-local
 * release clock the posts follow the cohort's own times. Evergreen cohorts have no shared
 * schedule, so they post nothing.
 */
export function dueChatPosts(
  cohort: PostingCohort,
  lessons: LessonSpec[],
  offer: Pick<OfferSpec, 'openAfter'>,
  now: Date,
  checkedIn: ReadonlyMap<string, number>,
): ChatDispatch[] {
  if ((cohort.status !== 'open' && cohort.status !== 'running') || cohort.evergreen) return [];
  const specs = new Map(lessons.map((l) => [l.key, l]));
  const free = cohort.lessons.filter(isFreeLesson);
  const t = now.getTime();
  const posts: (ChatDispatch & { until: Date })[] = [];
  const noticeMs = (cohort.reminderMinutesBefore ?? DEFAULT_OPENING_NOTICE_MINUTES) * 60_000;
  for (const lesson of free) {
    const window = checkInWindow(lesson, cohort.attendance);
    posts.push({
      key: `opening:${lesson.key}`,
      kind: 'opening',
      lessonKey: lesson.key,
      at: new Date(lesson.releaseAt.getTime() - noticeMs),
      until: lesson.releaseAt,
    });
    posts.push({
      key: `released:${lesson.key}`,
      kind: 'released',
      lessonKey: lesson.key,
      at: lesson.releaseAt,
      until: window.closesAt,
    });
    const homework = specs.get(lesson.key)?.homework;
    if (homework) {
      const dueAt = homeworkDueAt(lesson.releaseAt, homework);
      const lead = Math.min(HOMEWORK_NOTICE_MS, (dueAt.getTime() - lesson.releaseAt.getTime()) / 2);
      posts.push({
        key: `homework:${lesson.key}`,
        kind: 'homework',
        lessonKey: lesson.key,
        at: new Date(dueAt.getTime() - lead),
        until: dueAt,
      });
    }
    const reached = milestoneReached(checkedIn.get(lesson.key) ?? 0);
    if (reached !== null) {
      posts.push({
        key: `milestone:${lesson.key}:${reached}`,
        kind: 'milestone',
        lessonKey: lesson.key,
        at: window.opensAt,
        until: window.closesAt,
        checkedIn: reached,
      });
    }
  }
  const lastClosing = [...free].reverse().find((l) => l.phase === 'closing');
  if (lastClosing) {
    posts.push({
      key: 'offer',
      kind: 'offer',
      lessonKey: lastClosing.key,
      at: new Date(lastClosing.releaseAt.getTime() + offerOpensAfterMs(offer)),
      until: cohort.offerDeadlineAt,
    });
  }
  return posts.filter((p) => p.at.getTime() <= t && t < p.until.getTime()).map(({ until: _until, ...post }) => post);
}

/** The classes whose check-ins may reach a milestone now: those with their window open. */
export function lessonsCountingCheckIns(cohort: PostingCohort, now: Date): string[] {
  if ((cohort.status !== 'open' && cohort.status !== 'running') || cohort.evergreen) return [];
  return cohort.lessons
    .filter(isFreeLesson)
    .filter((lesson) => {
      const { opensAt, closesAt } = checkInWindow(lesson, cohort.attendance);
      return opensAt <= now && now < closesAt;
    })
    .map((lesson) => lesson.key);
}

import { CronTime } from 'cron';

/** A cron expression (5 fields, or 6 with seconds) read in a time zone, UTC unless given. */
export interface CronSchedule {
  cron: string;
  timeZone?: string;
}

/** A poll every `everyMs` from start-up; 0: no timer, the job runs only when called. */
export interface TickSchedule {
  everyMs: number;
}

export type JobSchedule = CronSchedule | TickSchedule;

/** One occurrence of a cron schedule: the run that takes its key runs for it. */
export interface JobPeriod {
  /** The occurrence as an ISO instant, so keys of one job sort by time. */
  key: string;
  startsAt: Date;
}

/** How far back the latest occurrence is looked for: past four years, so 29 February is found. */
const LOOKBACK_MS = (4 * 366 + 1) * 24 * 3600_000;
/** Cron occurrences fall on whole seconds. */
const RESOLUTION_MS = 1000;

export function isCronSchedule(schedule: JobSchedule): schedule is CronSchedule {
  return 'cron' in schedule;
}

/** Why a schedule cannot run: a bad expression or time zone, a negative tick; empty when it can. */
export function scheduleProblems(schedule: JobSchedule): string[] {
  if (!isCronSchedule(schedule)) {
    return Number.isFinite(schedule.everyMs) && schedule.everyMs >= 0 ? [] : ['everyMs must be 0 or more'];
  }
  try {
    // An expression that parses may still never occur (30 February): the cron package then throws.
    nextOccurrence(schedule, new Date('2000-01-01T00:00:00Z'));
    return [];
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return [`cron '${schedule.cron}' in ${schedule.timeZone ?? 'UTC'}: ${reason}`];
  }
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date {
  return occurrences(schedule)(after.getTime());
}

/**
 * The latest occurrence at or before `now` (within the lookback), or null. The cron package only
 * looks forward, so this searches back: doubling the distance until an occurrence follows, then
 * halving the gap to the last start that an occurrence at or before `now` still follows.
 */
export function latestOccurrence(schedule: CronSchedule, now: Date): Date | null {
  const at = now.getTime();
  const next = occurrences(schedule);
  const follows = (from: number) => next(from).getTime() <= at;
  // Invariant: an occurrence at or before now follows `lo`, none follows `hi`.
  let hi = at;
  let back = RESOLUTION_MS;
  while (!follows(at - back)) {
    if (back >= LOOKBACK_MS) return null;
    hi = at - back;
    back *= 2;
  }
  let lo = at - back;
  while (hi - lo > RESOLUTION_MS) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (follows(mid)) lo = mid;
    else hi = mid;
  }
  // (lo, hi] is at most a second long, so it holds one whole second: the occurrence.
  return next(lo);
}

/**
 * The period a run at `now` belongs to. Cron schedules have one (their latest occurrence), and a
 * run leases it; ticks have none: they are polls, and what they poll for is claimed item by item.
 */
export function duePeriod(schedule: JobSchedule, now: Date): JobPeriod | null {
  if (!isCronSchedule(schedule)) return null;
  const startsAt = latestOccurrence(schedule, now);
  return startsAt && { key: startsAt.toISOString(), startsAt };
}

/** The next occurrence after an instant, with the expression parsed once. */
function occurrences(schedule: CronSchedule): (afterMs: number) => Date {
  const timeZone = schedule.timeZone ?? 'UTC';
  const time = new CronTime(schedule.cron, timeZone);
  return (afterMs) => time.getNextDateFrom(new Date(afterMs), timeZone).toJSDate();
}

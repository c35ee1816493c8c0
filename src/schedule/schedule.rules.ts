import { DateTime, Duration } from 'luxon';

/**
 * When a lesson is released, relative to a start instant: after an ISO-8601 duration, optionally at
 * a local time of day. `{ after: 'P2D', at: '20:00' }` is "day 2 at 20:00"; `{ after: 'PT10M' }` is
 * ten minutes after the start (short offsets make fast test runs and demos).
 */
export interface ReleaseOffset {
  after: string;
  at?: string;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** ISO-8601 durations with at least one non-negative component: P2D, PT10M, P1DT2H30M, PT0.5S. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export function isIsoDuration(value: unknown): boolean {
  return typeof value === 'string' && ISO_DURATION.test(value) && Duration.fromISO(value).isValid;
}

export function isTimeOfDay(value: unknown): boolean {
  return typeof value === 'string' && TIME_OF_DAY.test(value);
}

function parseTimeOfDay(value: string): { hour: number; minute: number } {
  const match = TIME_OF_DAY.exec(value);
  // Offsets are checked with isTimeOfDay when a funnel is saved; a bad one here is a bug, not bad input.
  if (!match) throw new Error(`not a time of day: ${value}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * The release instant on the **cohort clock**: the duration is added in the cohort's zone, so
 * "P1D" is one calendar day (23 or 25 hours across a DST change), and `at` is wall-clock time in
 * that zone. A wall time that does not exist (spring-forward gap) moves forward by the gap; an
 * ambiguous one (fall-back) resolves to the earlier instant.
 */
export function releaseAt(start: Date, offset: ReleaseOffset, zone: string): Date {
  return studentReleaseAt(start, offset, zone, zone);
}

/**
 * The release instant on the **student clock**: the same calendar day as on the cohort clock
 * (counted in the cohort's zone), but `at` is wall-clock time in the student's own zone. Offsets
 * without a time of day are exact durations, identical on both clocks.
 */
export function studentReleaseAt(start: Date, offset: ReleaseOffset, cohortZone: string, studentZone: string): Date {
  const cohortDay = DateTime.fromJSDate(start, { zone: cohortZone }).plus(Duration.fromISO(offset.after));
  if (!offset.at) return cohortDay.toJSDate();
  return wallTime(cohortDay, parseTimeOfDay(offset.at), studentZone);
}

/**
 * `hour:minute` on the calendar day of `day`, in `zone`. Built from the offset before the day
 * starts, then corrected: the earlier instant for ambiguous times, shifted forward in a gap.
 */
function wallTime(day: DateTime, time: { hour: number; minute: number }, zone: string): Date {
  const fields = { year: day.year, month: day.month, day: day.day, ...time, second: 0, millisecond: 0 };
  const candidates = [-24, 0, 24].map((hours) => {
    const probe = DateTime.fromObject(fields, { zone }).plus({ hours });
    // Interpret the wall time with each offset the zone has around that day.
    return DateTime.fromObject(fields, { zone: `UTC${probe.toFormat('ZZ')}` }).setZone(zone);
  });
  const exact = candidates
    .filter((c) => c.hour === time.hour && c.minute === time.minute && c.day === day.day)
    .sort((a, b) => a.toMillis() - b.toMillis());
  return (exact[0] ?? DateTime.fromObject(fields, { zone })).toJSDate();
}

/** Shifts an instant by an ISO duration in a zone (calendar-aware), e.g. an offer deadline. */
export function addDuration(at: Date, duration: string, zone: string): Date {
  return DateTime.fromJSDate(at, { zone }).plus(Duration.fromISO(duration)).toJSDate();
}

/** A local rendering for schedules shown to people, e.g. "2026-03-29 20:00 CEST". */
export function formatLocal(at: Date, zone: string, locale = 'en'): string {
  return DateTime.fromJSDate(at, { zone }).setLocale(locale).toFormat('yyyy-LL-dd HH:mm ZZZZ');
}

import { duePeriod, latestOccurrence, nextOccurrence, scheduleProblems } from './job-schedule.rules';

const at = (iso: string) => new Date(iso);
const daily = { cron: '0 3 * * *' };

describe('cron periods', () => {
  it('keys a run by the latest occurrence at or before the instant, in UTC by default', () => {
    expect(duePeriod(daily, at('2026-03-01T10:00:00Z'))).toEqual({
      key: '2026-03-01T03:00:00.000Z',
      startsAt: at('2026-03-01T03:00:00Z'),
    });
    expect(duePeriod(daily, at('2026-03-01T02:59:59.999Z'))?.key).toBe('2026-02-28T03:00:00.000Z');
  });

  it('makes a period due at its very instant, and keeps it until the next one', () => {
    expect(duePeriod(daily, at('2026-03-01T03:00:00.000Z'))?.key).toBe('2026-03-01T03:00:00.000Z');
    expect(duePeriod(daily, at('2026-03-02T02:59:59.999Z'))?.key).toBe('2026-03-01T03:00:00.000Z');
    expect(duePeriod(daily, at('2026-03-02T03:00:00.000Z'))?.key).toBe('2026-03-02T03:00:00.000Z');
  });

  it('collapses missed occurrences into the latest one', () => {
    // Down from the 1st to the 4th: one period is due, the 4th's, not three.
    expect(duePeriod(daily, at('2026-03-04T05:00:00Z'))?.key).toBe('2026-03-04T03:00:00.000Z');
  });

  it('reads the expression in the given time zone, across a DST change', () => {
    const berlin = { cron: '0 3 * * *', timeZone: 'Europe/Berlin' };
    expect(latestOccurrence(berlin, at('2026-03-01T12:00:00Z'))).toEqual(at('2026-03-01T02:00:00Z'));
    // Summer time from 29 March: 03:00 in Berlin is 01:00 UTC.
    expect(latestOccurrence(berlin, at('2026-03-30T12:00:00Z'))).toEqual(at('2026-03-30T01:00:00Z'));
  });

  it('finds sparse and dense occurrences alike', () => {
    expect(latestOccurrence({ cron: '0 0 29 2 *' }, at('2027-06-01T00:00:00Z'))).toEqual(at('2024-02-29T00:00:00Z'));
    expect(latestOccurrence({ cron: '*/10 * * * * *' }, at('2026-03-01T00:00:29.999Z'))).toEqual(
      at('2026-03-01T00:00:20Z'),
    );
    expect(latestOccurrence({ cron: '* * * * *' }, at('2026-03-01T00:00:00.000Z'))).toEqual(at('2026-03-01T00:00:00Z'));
    // Every second of one hour a day, asked long after that hour.
    expect(latestOccurrence({ cron: '* * 3 * * *' }, at('2026-03-01T20:00:00Z'))).toEqual(at('2026-03-01T03:59:59Z'));
  });

  it('agrees with the next occurrence: nothing lies between the latest and now', () => {
    const now = at('2026-05-17T13:41:07.250Z');
    for (const cron of ['0 3 * * *', '*/7 * * * *', '30 2 * * 1', '0 0 1 * *']) {
      const latest = latestOccurrence({ cron }, now)!;
      expect(latest.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(nextOccurrence({ cron }, latest).getTime()).toBeGreaterThan(now.getTime());
    }
  });
});

describe('tick schedules', () => {
  it('have no period: every tick is a poll, not a leased run', () => {
    expect(duePeriod({ everyMs: 10_000 }, at('2026-03-01T10:00:00Z'))).toBeNull();
    expect(duePeriod({ everyMs: 0 }, at('2026-03-01T10:00:00Z'))).toBeNull();
  });
});

describe('schedule problems', () => {
  it('accepts valid schedules', () => {
    expect(scheduleProblems(daily)).toEqual([]);
    expect(scheduleProblems({ cron: '*/5 * * * * *', timeZone: 'Asia/Shanghai' })).toEqual([]);
    expect(scheduleProblems({ everyMs: 0 })).toEqual([]);
    expect(scheduleProblems({ everyMs: 10_000 })).toEqual([]);
  });

  it('refuses bad expressions, unknown zones, dates that never occur and negative ticks', () => {
    expect(scheduleProblems({ cron: '0 3 * *' })).toEqual([expect.stringContaining('Too few fields')]);
    expect(scheduleProblems({ cron: '61 * * * *' })).toEqual([expect.stringContaining('out of range')]);
    expect(scheduleProblems({ cron: '0 3 * * *', timeZone: 'Mars/Olympus' })).toEqual([
      expect.stringContaining('Invalid timezone'),
    ]);
    expect(scheduleProblems({ cron: '0 0 30 2 *' })).toHaveLength(1);
    expect(scheduleProblems({ everyMs: -1 })).toEqual(['everyMs must be 0 or more']);
    expect(scheduleProblems({ everyMs: Number.NaN })).toHaveLength(1);
  });
});

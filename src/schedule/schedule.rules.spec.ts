import { addDuration, formatLocal, isIsoDuration, isTimeOfDay, releaseAt, studentReleaseAt } from './schedule.rules';

const iso = (d: Date) => d.toISOString();

describe('lesson release schedule', () => {
  it('releases "day 2 at 20:00" in the cohort timezone', () => {
    const start = new Date('2026-03-01T11:00:00Z'); // 19:00 in Shanghai
    expect(iso(releaseAt(start, { after: 'P2D', at: '20:00' }, 'Asia/Shanghai'))).toBe('2026-03-03T12:00:00.000Z');
  });

  it('adds minute and second offsets exactly, for fast runs', () => {
    const start = new Date('2026-03-01T11:00:00Z');
    expect(iso(releaseAt(start, { after: 'PT10M' }, 'Asia/Shanghai'))).toBe('2026-03-01T11:10:00.000Z');
    expect(iso(releaseAt(start, { after: 'PT30S' }, 'Europe/Berlin'))).toBe('2026-03-01T11:00:30.000Z');
  });

  it('keeps 20:00 local across the spring-forward change (Berlin, 29 March 2026)', () => {
    const start = new Date('2026-03-27T19:00:00Z'); // Fri 20:00 CET (UTC+1)
    const sat = releaseAt(start, { after: 'P1D', at: '20:00' }, 'Europe/Berlin');
    const sun = releaseAt(start, { after: 'P2D', at: '20:00' }, 'Europe/Berlin');
    expect(iso(sat)).toBe('2026-03-28T19:00:00.000Z'); // still CET
    expect(iso(sun)).toBe('2026-03-29T18:00:00.000Z'); // now CEST (UTC+2)
    expect(formatLocal(sun, 'Europe/Berlin')).toBe('2026-03-29 20:00 GMT+2');
    // The gap between the two releases is 23 hours, not 24.
    expect(sun.getTime() - sat.getTime()).toBe(23 * 3600_000);
  });

  it('keeps 20:00 local across the fall-back change (New York, 1 November 2026)', () => {
    const start = new Date('2026-10-31T00:00:00Z'); // 30 Oct 20:00 EDT
    const release = releaseAt(start, { after: 'P2D', at: '20:00' }, 'America/New_York');
    expect(iso(release)).toBe('2026-11-02T01:00:00.000Z'); // 1 Nov 20:00 EST (UTC-5)
  });

  it('moves a wall time inside the spring-forward gap forward by the gap', () => {
    const start = new Date('2026-03-28T12:00:00Z');
    expect(iso(releaseAt(start, { after: 'P1D', at: '02:30' }, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('resolves an ambiguous fall-back wall time to the earlier instant', () => {
    const start = new Date('2026-10-24T12:00:00Z');
    // 25 Oct 2026 02:30 happens twice in Berlin; the first is 00:30Z (CEST).
    expect(iso(releaseAt(start, { after: 'P1D', at: '02:30' }, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });

  describe('student-local clock', () => {
    const start = new Date('2026-03-27T12:00:00Z'); // Fri 20:00 in Shanghai

    it('releases at 20:00 in the student zone on the cohort calendar day', () => {
      const offset = { after: 'P2D', at: '20:00' };
      expect(iso(studentReleaseAt(start, offset, 'Asia/Shanghai', 'Asia/Shanghai'))).toBe('2026-03-29T12:00:00.000Z');
      // Berlin switched to summer time that very day: 20:00 CEST.
      expect(iso(studentReleaseAt(start, offset, 'Asia/Shanghai', 'Europe/Berlin'))).toBe('2026-03-29T18:00:00.000Z');
      // New York had switched three weeks earlier: 20:00 EDT.
      expect(iso(studentReleaseAt(start, offset, 'Asia/Shanghai', 'America/New_York'))).toBe(
        '2026-03-30T00:00:00.000Z',
      );
    });

    it('uses the exact offset when there is no time of day', () => {
      const offset = { after: 'PT5M' };
      expect(iso(studentReleaseAt(start, offset, 'Asia/Shanghai', 'America/New_York'))).toBe(
        '2026-03-27T12:05:00.000Z',
      );
    });
  });

  it('adds calendar durations for deadlines', () => {
    expect(iso(addDuration(new Date('2026-03-28T19:00:00Z'), 'P2D', 'Europe/Berlin'))).toBe('2026-03-30T18:00:00.000Z');
  });

  it.each(['P2D', 'PT10M', 'PT30S', 'P1DT2H', 'P0D'])('accepts the ISO duration %s', (value) => {
    expect(isIsoDuration(value)).toBe(true);
  });
  it.each(['2 days', '', 'P', 'PT-5M', 10, 'PXD'])('refuses %p as an ISO duration', (value) => {
    expect(isIsoDuration(value)).toBe(false);
  });
  it.each([
    ['20:00', true],
    ['00:00', true],
    ['24:00', false],
    ['8:00', false],
    ['20:60', false],
  ])('time of day %s valid: %s', (value, valid) => {
    expect(isTimeOfDay(value)).toBe(valid);
  });
});

import { fixedWindow, secondsUntil } from './rate-limit.rules';

describe('fixed rate-limit windows', () => {
  it('puts instants of the same minute in the same window', () => {
    const a = fixedWindow(Date.parse('2026-03-01T10:00:00.000Z'), 60_000);
    const b = fixedWindow(Date.parse('2026-03-01T10:00:59.999Z'), 60_000);
    expect(a).toEqual(b);
    expect(a).toEqual({ startMs: Date.parse('2026-03-01T10:00:00Z'), endMs: Date.parse('2026-03-01T10:01:00Z') });
  });

  it('starts a new window on the boundary', () => {
    const next = fixedWindow(Date.parse('2026-03-01T10:01:00.000Z'), 60_000);
    expect(next.startMs).toBe(Date.parse('2026-03-01T10:01:00Z'));
  });

  it('rounds the remaining time up to whole seconds and never goes negative', () => {
    expect(secondsUntil(10_000, 8_500)).toBe(2);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 12_000)).toBe(0);
  });
});

import { fixedWindow, freeSlot, secondsUntil } from './rate-limit.rules';

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

describe('freeSlot', () => {
  it('picks among the slots nobody holds, holes below the count included', () => {
    expect(freeSlot([2, 3], 3, () => 0)).toBe(1);
    expect(freeSlot([1, 3, 4], 5, () => 0)).toBe(2);
    expect(freeSlot([1, 3, 4], 5, () => 0.999)).toBe(5);
  });

  it('spreads racers over the free slots', () => {
    const picks = new Set(Array.from({ length: 10 }, (_, i) => freeSlot([1], 11, () => i / 10)));
    expect(picks.size).toBe(10);
    expect(picks.has(1)).toBe(false);
  });

  it('is null when every slot is taken', () => {
    expect(freeSlot([1, 2, 3], 3)).toBeNull();
    expect(freeSlot([], 0)).toBeNull();
  });
});

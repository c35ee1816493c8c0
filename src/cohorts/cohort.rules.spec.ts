import { defaultFunnels } from '../funnels/default-funnels';
import { canReschedule, canTransition, materializeSchedule } from './cohort.rules';

const zh = defaultFunnels[0].content;

describe('cohort schedule', () => {
  it('materialises the 3 + 4 funnel at 20:00 Shanghai time on consecutive days', () => {
    const schedule = materializeSchedule(zh.lessons, zh.offer, new Date('2026-03-01T02:00:00Z'), 'Asia/Shanghai');
    expect(schedule.lessons.map((l) => l.releaseAt.toISOString())).toEqual([
      '2026-03-01T12:00:00.000Z',
      '2026-03-02T12:00:00.000Z',
      '2026-03-03T12:00:00.000Z',
      '2026-03-04T12:00:00.000Z',
      '2026-03-05T12:00:00.000Z',
      '2026-03-06T12:00:00.000Z',
      '2026-03-07T12:00:00.000Z',
    ]);
    // Offer closes two days after the last closing class.
    expect(schedule.offerDeadlineAt.toISOString()).toBe('2026-03-09T12:00:00.000Z');
  });

  it('stays at 20:00 local when the cohort crosses a DST change', () => {
    const schedule = materializeSchedule(zh.lessons, zh.offer, new Date('2026-03-25T08:00:00Z'), 'Europe/Berlin');
    const utcHours = schedule.lessons.map((l) => l.releaseAt.getUTCHours());
    // 25-28 March at 20:00 CET (19:00Z), from 29 March at 20:00 CEST (18:00Z).
    expect(utcHours).toEqual([19, 19, 19, 19, 18, 18, 18]);
  });
});

describe('cohort status', () => {
  it('moves forward only', () => {
    expect(canTransition('draft', 'open')).toBe(true);
    expect(canTransition('open', 'draft')).toBe(false);
    expect(canTransition('completed', 'cancelled')).toBe(false);
    expect(canTransition('running', 'cancelled')).toBe(true);
  });

  it('allows moving the start only before lessons go out', () => {
    expect(canReschedule('open')).toBe(true);
    expect(canReschedule('running')).toBe(false);
  });
});

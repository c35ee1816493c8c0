import { defaultFunnels } from '../funnels/default-funnels';
import { canReschedule, canTransition, lessonsAlreadyDue, materializeSchedule, studentSchedule } from './cohort.rules';

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

describe("a student's own schedule", () => {
  const start = new Date('2026-03-27T02:00:00Z'); // 10:00 in Shanghai
  const cohort = (releaseClock: 'cohort' | 'student') => ({
    startAt: start,
    timezone: 'Asia/Shanghai',
    releaseClock,
    lessons: materializeSchedule(zh.lessons, zh.offer, start, 'Asia/Shanghai').lessons,
  });

  it('is the cohort schedule on the cohort clock', () => {
    expect(studentSchedule(cohort('cohort'), zh.lessons, 'Europe/Berlin')).toEqual(cohort('cohort').lessons);
  });

  it('is 20:00 in the student zone on the student clock, across their DST change', () => {
    const berlin = studentSchedule(cohort('student'), zh.lessons, 'Europe/Berlin').map((l) =>
      l.releaseAt.toISOString(),
    );
    expect(berlin.slice(0, 4)).toEqual([
      '2026-03-27T19:00:00.000Z', // Fri 20:00 CET
      '2026-03-28T19:00:00.000Z', // Sat 20:00 CET
      '2026-03-29T18:00:00.000Z', // Sun 20:00 CEST
      '2026-03-30T18:00:00.000Z',
    ]);
  });

  it('falls back to the cohort zone when the student gave none', () => {
    expect(studentSchedule(cohort('student'), zh.lessons, null)[0]?.releaseAt.toISOString()).toBe(
      '2026-03-27T12:00:00.000Z',
    );
  });
});

describe('lessonsAlreadyDue', () => {
  const lessons = [
    { key: 'v1', releaseAt: new Date('2026-03-01T12:00:00Z') },
    { key: 'v2', releaseAt: new Date('2026-03-02T12:00:00Z') },
  ];

  it('names the classes released by now, counting one released this very instant', () => {
    expect(lessonsAlreadyDue(lessons, new Date('2026-03-01T11:59:59Z'))).toEqual([]);
    expect(lessonsAlreadyDue(lessons, new Date('2026-03-01T12:00:00Z'))).toEqual(['v1']);
    expect(lessonsAlreadyDue(lessons, new Date('2026-03-05T00:00:00Z'))).toEqual(['v1', 'v2']);
  });
});

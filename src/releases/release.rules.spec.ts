import { DEFAULT_ATTENDANCE_POLICY } from '../cohorts/cohort-policies';
import { materializeSchedule } from '../cohorts/cohort.rules';
import { defaultFunnels } from '../funnels/default-funnels';
import {
  dueDispatches,
  personalSchedule,
  ReleasableCohort,
  releasedTo,
  splitCatchUp,
  studentDueAt,
} from './release.rules';

const en = defaultFunnels[1].content;
const start = new Date('2026-03-01T00:00:00Z');

function cohort(overrides: Partial<ReleasableCohort> = {}): ReleasableCohort {
  return {
    status: 'running',
    startAt: start,
    timezone: 'Europe/Berlin',
    releaseClock: 'cohort',
    lessons: materializeSchedule(en.lessons, en.offer, start, 'Europe/Berlin').lessons,
    cancelledAt: null,
    catchUpUntil: null,
    reminderMinutesBefore: null,
    evergreen: false,
    attendance: { ...DEFAULT_ATTENDANCE_POLICY, nudgeAbsent: false },
    ...overrides,
  };
}

describe('release dispatches', () => {
  it('releases each free lesson at its time, then the offer two hours after the last closing class', () => {
    expect(dueDispatches(cohort(), en.lessons, en.offer, new Date('2026-03-01T18:59:59Z'))).toEqual([]);
    const first = dueDispatches(cohort(), en.lessons, en.offer, new Date('2026-03-01T19:00:00Z'));
    expect(first.map((d) => d.key)).toEqual(['lesson:v1']);
    const all = dueDispatches(cohort(), en.lessons, en.offer, new Date('2026-03-07T21:00:00Z'));
    expect(all.map((d) => d.key)).toEqual([
      'lesson:v1',
      'lesson:v2',
      'lesson:v3',
      'lesson:c1',
      'lesson:c2',
      'lesson:c3',
      'lesson:c4',
      'offer',
    ]);
    expect(all.at(-1)?.fanoutAt.toISOString()).toBe('2026-03-07T21:00:00.000Z');
  });

  it('adds a reminder before each free class when the cohort asks for one', () => {
    const c = cohort({ reminderMinutesBefore: 30 });
    const due = dueDispatches(c, en.lessons, en.offer, new Date('2026-03-01T18:30:00Z'));
    expect(due.map((d) => d.key)).toEqual(['reminder:v1']);
    expect(studentDueAt(due[0], c, en.lessons, null).toISOString()).toBe('2026-03-01T18:30:00.000Z');
  });

  it('leaves out reminders for classes already begun and nudges more than a day late (a catch-up)', () => {
    // Moved with catchUp on 4 March: classes 1-3 (1, 2 and 3 March, 19:00 UTC) are due at once.
    const c = cohort({ reminderMinutesBefore: 30, attendance: { ...DEFAULT_ATTENDANCE_POLICY, nudgeAbsent: true } });
    const due = dueDispatches(c, en.lessons, en.offer, new Date('2026-03-04T18:40:00Z'));
    // Who missed class 2 is known since its window closed a day later (3 March, 19:00): still timely;
    // class 1's nudge would be 47 hours late; class 3's window is still open.
    expect(due.map((d) => d.key)).toEqual(['lesson:v1', 'lesson:v2', 'lesson:v3', 'reminder:c1', 'missed:v2']);
    // At the reminder's own time it goes out as before.
    expect(dueDispatches(c, en.lessons, en.offer, new Date('2026-03-04T18:30:00Z')).map((d) => d.key)).toContain(
      'reminder:c1',
    );
  });

  it('schedules an evergreen student from the moment they confirm', () => {
    const evergreen = { ...cohort({ status: 'open', evergreen: true }), offerDeadlineAt: new Date(0) };
    expect(dueDispatches(evergreen, en.lessons, en.offer, new Date('2027-01-01T00:00:00Z'))).toEqual([]);
    const own = personalSchedule(evergreen, en.lessons, en.offer, new Date('2026-05-10T09:30:00Z'));
    expect(own.dispatches.map((d) => d.key)).toEqual([
      'lesson:v1',
      'lesson:v2',
      'lesson:v3',
      'lesson:c1',
      'lesson:c2',
      'lesson:c3',
      'lesson:c4',
      'offer',
    ]);
    // Day 0 at 20:00 Berlin (CEST) is the evening of the day they confirmed.
    expect(own.cohort.lessons[0]?.releaseAt.toISOString()).toBe('2026-05-10T18:00:00.000Z');
    expect(own.cohort.offerDeadlineAt.toISOString()).toBe('2026-05-18T18:00:00.000Z');
  });

  it('sends nothing for drafts and completed cohorts, and only the notice for cancelled ones', () => {
    const late = new Date('2026-04-01T00:00:00Z');
    expect(dueDispatches(cohort({ status: 'draft' }), en.lessons, en.offer, late)).toEqual([]);
    expect(dueDispatches(cohort({ status: 'completed' }), en.lessons, en.offer, late)).toEqual([]);
    const cancelled = dueDispatches(cohort({ status: 'cancelled', cancelledAt: late }), en.lessons, en.offer, late);
    expect(cancelled.map((d) => d.kind)).toEqual(['cancelled']);
  });

  it('fans out ahead on the student clock, each student due at 20:00 in their own zone', () => {
    const c = cohort({ releaseClock: 'student' });
    const dispatches = dueDispatches(c, en.lessons, en.offer, new Date('2026-02-28T15:00:00Z'));
    expect(dispatches.map((d) => d.key)).toEqual(['lesson:v1']);
    const [v1] = dispatches;
    expect(studentDueAt(v1, c, en.lessons, 'Asia/Shanghai').toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(studentDueAt(v1, c, en.lessons, 'America/New_York').toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(studentDueAt(v1, c, en.lessons, null).toISOString()).toBe('2026-03-01T19:00:00.000Z');
  });

  it('times the offer from each student’s own last closing class on the student clock', () => {
    const c = cohort({ releaseClock: 'student' });
    const offer = dueDispatches(c, en.lessons, en.offer, new Date('2026-04-01T00:00:00Z')).find(
      (d) => d.kind === 'offer',
    );
    expect(studentDueAt(offer!, c, en.lessons, 'Asia/Shanghai').toISOString()).toBe('2026-03-07T14:00:00.000Z');
  });

  it('sends the offer as long after the last closing class as the funnel says (openAfter), two hours by default', () => {
    const offerAt = (openAfter?: string) => {
      const offer = dueDispatches(cohort(), en.lessons, { openAfter }, new Date('2026-04-01T00:00:00Z')).find(
        (d) => d.kind === 'offer',
      );
      return studentDueAt(offer!, cohort(), en.lessons, null).toISOString();
    };
    // Class 7 is at 19:00 UTC (20:00 Berlin) on 7 March.
    expect(offerAt(undefined)).toBe('2026-03-07T21:00:00.000Z');
    expect(offerAt('PT30M')).toBe('2026-03-07T19:30:00.000Z');
    expect(offerAt('P1D')).toBe('2026-03-08T19:00:00.000Z');
    // Not due before then: the fan-out waits for it too.
    const early = dueDispatches(cohort(), en.lessons, { openAfter: 'PT30M' }, new Date('2026-03-07T19:29:59Z'));
    expect(early.map((d) => d.kind)).not.toContain('offer');
  });

  it('nudges absent students once the class window has closed, later on the student clock', () => {
    const attendance = { ...DEFAULT_ATTENDANCE_POLICY, closeAfterMinutes: 120, nudgeAbsent: true };
    const c = cohort({ attendance });
    // Class 1 is at 19:00 UTC (20:00 Berlin); its window closes two hours later.
    expect(dueDispatches(c, en.lessons, en.offer, new Date('2026-03-01T20:59:59Z')).map((d) => d.key)).toEqual([
      'lesson:v1',
    ]);
    const due = dueDispatches(c, en.lessons, en.offer, new Date('2026-03-01T21:00:00Z'));
    expect(due.map((d) => d.key)).toEqual(['lesson:v1', 'missed:v1']);
    expect(studentDueAt(due[1], c, en.lessons, null).toISOString()).toBe('2026-03-01T21:00:00.000Z');

    // On the student clock the last zone's window closes up to 28 hours after the cohort's.
    const s = cohort({ attendance, releaseClock: 'student' });
    const missed = dueDispatches(s, en.lessons, en.offer, new Date('2026-03-03T01:00:00Z')).find(
      (d) => d.key === 'missed:v1',
    );
    expect(missed?.fanoutAt.toISOString()).toBe('2026-03-03T01:00:00.000Z');
    expect(studentDueAt(missed!, s, en.lessons, 'America/New_York').toISOString()).toBe('2026-03-02T03:00:00.000Z');
  });

  it('has no missed-class nudge in an evergreen student’s own run', () => {
    const attendance = { ...DEFAULT_ATTENDANCE_POLICY, nudgeAbsent: true };
    const evergreen = { ...cohort({ status: 'open', evergreen: true, attendance }), offerDeadlineAt: new Date(0) };
    const own = personalSchedule(evergreen, en.lessons, en.offer, new Date('2026-05-10T09:30:00Z'));
    expect(own.dispatches.some((d) => d.kind === 'missed')).toBe(false);
    expect(own.dispatches).toHaveLength(8);
  });

  it('sends the classes already due when a group is opened or moved with catchUp as one catch-up', () => {
    // Opened on 4 March at 10:00 UTC: classes 1-3 (1, 2 and 3 March, 19:00 UTC) were already due.
    const attendance = { ...DEFAULT_ATTENDANCE_POLICY, nudgeAbsent: true };
    const c = cohort({ catchUpUntil: new Date('2026-03-04T10:00:00Z'), attendance });
    const atOpen = dueDispatches(c, en.lessons, en.offer, new Date('2026-03-04T10:00:00Z'));
    expect(atOpen.map((d) => [d.key, d.lessonKeys])).toEqual([['catchup', ['v1', 'v2', 'v3']]]);
    expect(studentDueAt(atOpen[0], c, en.lessons, 'Asia/Shanghai').toISOString()).toBe('2026-03-04T10:00:00.000Z');
    // Later classes go out one by one as usual, and nobody is nudged for a class they could not attend.
    const later = dueDispatches(c, en.lessons, en.offer, new Date('2026-03-05T21:00:00Z'));
    expect(later.map((d) => d.key)).toEqual(['catchup', 'lesson:c1', 'lesson:c2', 'missed:c1']);
    // One class already due is no catch-up: it is that class's own mail.
    const one = cohort({ catchUpUntil: new Date('2026-03-02T10:00:00Z') });
    expect(dueDispatches(one, en.lessons, en.offer, new Date('2026-03-02T10:00:00Z')).map((d) => d.key)).toEqual([
      'lesson:v1',
    ]);
  });

  it('gives each student of a catch-up on the student clock what their own clock has released', () => {
    // Opened on 2 March at 20:00 UTC; classes fan out 28 hours ahead, so class 3 is in it too.
    const c = cohort({ releaseClock: 'student', catchUpUntil: new Date('2026-03-02T20:00:00Z') });
    const [catchUp] = dueDispatches(c, en.lessons, en.offer, new Date('2026-03-02T20:00:00Z'));
    expect(catchUp.lessonKeys).toEqual(['v1', 'v2', 'v3']);
    const shanghai = splitCatchUp(catchUp, c, en.lessons, 'Asia/Shanghai');
    expect(shanghai.released).toEqual(['v1', 'v2']);
    expect(shanghai.later.map((d) => [d.key, studentDueAt(d, c, en.lessons, 'Asia/Shanghai').toISOString()])).toEqual([
      ['lesson:v3', '2026-03-03T12:00:00.000Z'],
    ]);
    const newYork = splitCatchUp(catchUp, c, en.lessons, 'America/New_York');
    expect([newYork.released, newYork.later.map((d) => d.key)]).toEqual([['v1'], ['lesson:v2', 'lesson:v3']]);
  });

  it('knows which classes a late joiner has missed, on their clock', () => {
    const now = new Date('2026-03-02T20:00:00Z');
    expect(releasedTo(cohort(), en.lessons, 'America/New_York', now)).toEqual(['v1', 'v2']);
    expect(releasedTo(cohort({ releaseClock: 'student' }), en.lessons, 'America/New_York', now)).toEqual(['v1']);
    expect(releasedTo(cohort(), en.lessons, null, new Date('2026-03-01T18:59:00Z'))).toEqual([]);
  });
});

import { DEFAULT_ATTENDANCE_POLICY } from '../cohorts/cohort-policies';
import { materializeSchedule } from '../cohorts/cohort.rules';
import { defaultFunnels } from '../funnels/default-funnels';
import { studentLessonTimes } from '../releases/release.rules';
import { lessonTimesKey } from './attendance.rules';

const en = defaultFunnels[1].content;
const start = new Date('2026-03-01T00:00:00Z');

function cohort(overrides: { releaseClock?: 'cohort' | 'student'; evergreen?: boolean } = {}) {
  return {
    status: 'running' as const,
    startAt: start,
    timezone: 'Europe/Berlin',
    releaseClock: 'cohort' as const,
    ...materializeSchedule(en.lessons, en.offer, start, 'Europe/Berlin'),
    cancelledAt: null,
    catchUpUntil: null,
    reminderMinutesBefore: null,
    evergreen: false,
    attendance: DEFAULT_ATTENDANCE_POLICY,
    ...overrides,
  };
}

const times = (c: ReturnType<typeof cohort>, student: { confirmedAt: Date | null; timezone: string | null }) =>
  [...studentLessonTimes(c, en.lessons, en.offer, student).startsAt.entries()].map(
    ([k, d]) => `${k}@${d.toISOString()}`,
  );

describe('lesson times in the cohort reports', () => {
  const ann = { confirmedAt: new Date('2026-02-20T08:00:00Z'), timezone: 'Asia/Shanghai' };
  const bo = { confirmedAt: new Date('2026-02-27T21:30:00Z'), timezone: 'Asia/Shanghai' };
  const cy = { confirmedAt: ann.confirmedAt, timezone: 'America/New_York' };

  it('shares one key, and the same times, among students of a zone outside evergreen cohorts', () => {
    for (const releaseClock of ['cohort', 'student'] as const) {
      const c = cohort({ releaseClock });
      expect(lessonTimesKey(c, ann)).toBe(lessonTimesKey(c, bo));
      expect(times(c, ann)).toEqual(times(c, bo));
    }
    // On the student clock another zone is another key, with other times.
    const onStudentClock = cohort({ releaseClock: 'student' });
    expect(lessonTimesKey(onStudentClock, cy)).not.toBe(lessonTimesKey(onStudentClock, ann));
    expect(times(onStudentClock, cy)).not.toEqual(times(onStudentClock, ann));
  });

  it('gives evergreen students no shared key: each runs on their own dates', () => {
    const c = cohort({ evergreen: true });
    expect(lessonTimesKey(c, ann)).toBeNull();
    expect(times(c, ann)).not.toEqual(times(c, bo));
  });
});

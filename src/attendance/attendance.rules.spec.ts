import { AttendanceWindow, DEFAULT_ATTENDANCE_POLICY, validateAttendancePolicy } from '../cohorts/cohort-policies';
import { attendanceRate, attendanceState, canCheckIn, checkInOpensAt, windowClosesAt } from './attendance.rules';

const startsAt = new Date('2026-03-03T12:00:00Z'); // 20:00 in Shanghai
const MINUTE = 60_000;
/** An instant `minutes` after the lesson starts (negative: before). */
const at = (minutes: number) => new Date(startsAt.getTime() + minutes * MINUTE);
const policy = DEFAULT_ATTENDANCE_POLICY; // opens 15 min early, late after 15 min, closes after 24 h
const DAY = 24 * 60;

describe('attendance window', () => {
  it('opens 15 minutes before the start and closes a day after it, by default', () => {
    expect(checkInOpensAt(startsAt, policy).toISOString()).toBe('2026-03-03T11:45:00.000Z');
    expect(windowClosesAt(startsAt, policy).toISOString()).toBe('2026-03-04T12:00:00.000Z');
  });

  it('follows a custom policy', () => {
    const live: AttendanceWindow = { checkInOpensBeforeMinutes: 5, lateAfterMinutes: 10, closeAfterMinutes: 90 };
    expect(checkInOpensAt(startsAt, live).toISOString()).toBe('2026-03-03T11:55:00.000Z');
    expect(windowClosesAt(startsAt, live).toISOString()).toBe('2026-03-03T13:30:00.000Z');
  });

  it('takes check-ins from the exact opening instant, with no upper bound', () => {
    expect(canCheckIn(startsAt, policy, new Date(at(-15).getTime() - 1))).toBe(false);
    expect(canCheckIn(startsAt, policy, at(-15))).toBe(true);
    expect(canCheckIn(startsAt, policy, at(0))).toBe(true);
    expect(canCheckIn(startsAt, policy, at(3 * DAY))).toBe(true);
  });
});

describe('attendance state', () => {
  describe('with nothing recorded', () => {
    it('is upcoming until the check-in window opens', () => {
      expect(attendanceState({}, startsAt, policy, at(-60))).toBe('upcoming');
      expect(attendanceState({}, startsAt, policy, new Date(at(-15).getTime() - 1))).toBe('upcoming');
    });

    it('is open from the exact opening instant until the window closes', () => {
      expect(attendanceState({}, startsAt, policy, at(-15))).toBe('open');
      expect(attendanceState({}, startsAt, policy, at(30))).toBe('open');
      expect(attendanceState({}, startsAt, policy, new Date(at(DAY).getTime() - 1))).toBe('open');
    });

    it('is absent from the exact closing instant on', () => {
      expect(attendanceState({}, startsAt, policy, at(DAY))).toBe('absent');
      expect(attendanceState({}, startsAt, policy, at(7 * DAY))).toBe('absent');
    });
  });

  describe('from when the student was first seen', () => {
    const now = at(2 * DAY); // long after the window closed: only the sighting matters

    it('is present when seen before the start, within the opening window or even earlier', () => {
      expect(attendanceState({ firstSeenAt: at(-10) }, startsAt, policy, now)).toBe('present');
      expect(attendanceState({ firstSeenAt: at(-120) }, startsAt, policy, now)).toBe('present');
    });

    it('is present up to and including exactly lateAfterMinutes past the start', () => {
      expect(attendanceState({ firstSeenAt: at(0) }, startsAt, policy, now)).toBe('present');
      expect(attendanceState({ firstSeenAt: at(15) }, startsAt, policy, now)).toBe('present');
    });

    it('is late from one millisecond after lateAfterMinutes', () => {
      expect(attendanceState({ firstSeenAt: new Date(at(15).getTime() + 1) }, startsAt, policy, now)).toBe('late');
      expect(attendanceState({ firstSeenAt: at(90) }, startsAt, policy, now)).toBe('late');
    });

    it('is late, not absent, when first seen after the window closed: they came', () => {
      expect(attendanceState({ firstSeenAt: at(DAY + 60) }, startsAt, policy, now)).toBe('late');
    });

    it('is decided by the sighting even while the window is still open', () => {
      expect(attendanceState({ firstSeenAt: at(-5) }, startsAt, policy, at(-1))).toBe('present');
      expect(attendanceState({ firstSeenAt: at(20) }, startsAt, policy, at(21))).toBe('late');
    });
  });

  describe('decided by people', () => {
    it('is excused with an approved excuse, whether or not the student showed up', () => {
      expect(attendanceState({ excused: true }, startsAt, policy, at(2 * DAY))).toBe('excused');
      expect(attendanceState({ excused: true, firstSeenAt: at(90) }, startsAt, policy, at(2 * DAY))).toBe('excused');
      expect(attendanceState({ excused: true }, startsAt, policy, at(-60))).toBe('excused');
    });

    it("follows the instructor's mark over everything else", () => {
      expect(attendanceState({ instructorMark: 'present', firstSeenAt: at(90) }, startsAt, policy, at(DAY))).toBe(
        'present',
      );
      expect(attendanceState({ instructorMark: 'absent', firstSeenAt: at(-5) }, startsAt, policy, at(DAY))).toBe(
        'absent',
      );
      expect(attendanceState({ instructorMark: 'late', excused: true }, startsAt, policy, at(DAY))).toBe('late');
      expect(attendanceState({ instructorMark: 'excused' }, startsAt, policy, at(-60))).toBe('excused');
    });

    it('ignores an unset excuse', () => {
      expect(attendanceState({ excused: false }, startsAt, policy, at(DAY))).toBe('absent');
    });
  });

  it('walks a live class with a short window through every state', () => {
    const live: AttendanceWindow = { checkInOpensBeforeMinutes: 10, lateAfterMinutes: 5, closeAfterMinutes: 60 };
    const timeline = [-30, -10, 0, 59, 60].map((m) => attendanceState({}, startsAt, live, at(m)));
    expect(timeline).toEqual(['upcoming', 'open', 'open', 'open', 'absent']);
    expect(attendanceState({ firstSeenAt: at(5) }, startsAt, live, at(60))).toBe('present');
    expect(attendanceState({ firstSeenAt: at(6) }, startsAt, live, at(60))).toBe('late');
  });
});

describe('attendance rate', () => {
  it('is a fraction rounded to 4 decimals', () => {
    expect(attendanceRate(2, 3)).toBe(0.6667);
    expect(attendanceRate(1, 3)).toBe(0.3333);
    expect(attendanceRate(1, 8)).toBe(0.125);
    expect(attendanceRate(17, 20)).toBe(0.85);
  });

  it('is 1 when everyone came and 0 when nobody did', () => {
    expect(attendanceRate(12, 12)).toBe(1);
    expect(attendanceRate(0, 12)).toBe(0);
  });

  it('is 0 when nobody is enrolled', () => {
    expect(attendanceRate(0, 0)).toBe(0);
  });
});

describe('attendance policy validation', () => {
  it('accepts the default policy and a zero-minute opening window', () => {
    expect(validateAttendancePolicy(DEFAULT_ATTENDANCE_POLICY)).toBeNull();
    expect(validateAttendancePolicy({ checkInOpensBeforeMinutes: 0, lateAfterMinutes: 0, closeAfterMinutes: 1 })).toBe(
      null,
    );
  });

  it.each([
    ['checkInOpensBeforeMinutes', -1],
    ['checkInOpensBeforeMinutes', 2.5],
    ['lateAfterMinutes', -5],
    ['lateAfterMinutes', Number.NaN],
    ['closeAfterMinutes', 30.5],
    ['closeAfterMinutes', Number.POSITIVE_INFINITY],
  ] as const)('refuses %s = %p, naming the field', (field, minutes) => {
    const message = validateAttendancePolicy({ ...DEFAULT_ATTENDANCE_POLICY, [field]: minutes });
    expect(message).toBe(`attendance.${field} must be a whole number of minutes, 0 or more`);
  });

  it('refuses a window that closes when lateness starts or before', () => {
    const expected = 'attendance.closeAfterMinutes must be greater than lateAfterMinutes';
    expect(
      validateAttendancePolicy({ checkInOpensBeforeMinutes: 15, lateAfterMinutes: 30, closeAfterMinutes: 30 }),
    ).toBe(expected);
    expect(
      validateAttendancePolicy({ checkInOpensBeforeMinutes: 15, lateAfterMinutes: 30, closeAfterMinutes: 10 }),
    ).toBe(expected);
    expect(
      validateAttendancePolicy({ checkInOpensBeforeMinutes: 15, lateAfterMinutes: 30, closeAfterMinutes: 31 }),
    ).toBe(null);
  });
});

import { enrollmentRefusal } from './sign-up.rules';

const cohort = {
  status: 'open' as const,
  enrollmentOpensAt: null,
  enrollmentClosesAt: null,
  evergreen: false,
  startAt: new Date('2026-03-01T00:00:00Z'),
  lessons: [
    { key: 'v1', phase: 'value' as const, title: '', releaseAt: new Date('2026-03-01T12:00:00Z') },
    { key: 'c1', phase: 'closing' as const, title: '', releaseAt: new Date('2026-03-04T12:00:00Z') },
  ],
};

describe('enrolment window', () => {
  it('takes sign-ups during the value classes, until the first closing class', () => {
    expect(enrollmentRefusal(cohort, new Date('2026-02-20T00:00:00Z'))).toBeNull();
    expect(enrollmentRefusal(cohort, new Date('2026-03-04T11:59:59Z'))).toBeNull();
    expect(enrollmentRefusal(cohort, new Date('2026-03-04T12:00:00Z'))).toBe('closed');
  });

  it('honours an explicit window', () => {
    const windowed = {
      ...cohort,
      enrollmentOpensAt: new Date('2026-02-25T00:00:00Z'),
      enrollmentClosesAt: new Date('2026-02-28T00:00:00Z'),
    };
    expect(enrollmentRefusal(windowed, new Date('2026-02-24T00:00:00Z'))).toBe('not_yet_open');
    expect(enrollmentRefusal(windowed, new Date('2026-02-26T00:00:00Z'))).toBeNull();
    expect(enrollmentRefusal(windowed, new Date('2026-02-28T00:00:00Z'))).toBe('closed');
  });

  it('keeps an evergreen cohort open for good unless it names an end', () => {
    expect(enrollmentRefusal({ ...cohort, evergreen: true }, new Date('2027-01-01T00:00:00Z'))).toBeNull();
  });

  it('refuses cohorts that are not open', () => {
    for (const status of ['draft', 'completed', 'cancelled'] as const) {
      expect(enrollmentRefusal({ ...cohort, status }, new Date('2026-02-20T00:00:00Z'))).toBe('not_open');
    }
  });
});

import {
  attributionRefusal,
  AttributionFacts,
  DEFAULT_SUSPICION_LIMITS,
  isQualified,
  newReferralCode,
  normalizeReferralCode,
  REFERRAL_CODE_LENGTH,
  suspicionFlags,
} from './referral.rules';

describe('referral codes', () => {
  it('are 8 unambiguous characters and differ from one another', () => {
    const codes = new Set(Array.from({ length: 1000 }, newReferralCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[A-HJKMNP-Z2-9]{${REFERRAL_CODE_LENGTH}}$`));
  });
  it('match ignoring case and spaces', () => {
    expect(normalizeReferralCode(' k7q2xwab ')).toBe('K7Q2XWAB');
  });
});

describe('qualification', () => {
  it('needs a confirmed email and the classes the rule asks for', () => {
    const rule = { minClassesAttended: 1 };
    expect(isQualified(rule, { confirmed: true, classesAttended: 1 })).toBe(true);
    expect(isQualified(rule, { confirmed: true, classesAttended: 0 })).toBe(false);
    expect(isQualified(rule, { confirmed: false, classesAttended: 3 })).toBe(false);
    expect(isQualified({ minClassesAttended: 0 }, { confirmed: true, classesAttended: 0 })).toBe(true);
  });
});

describe('attribution', () => {
  const facts = (overrides: Partial<AttributionFacts> = {}): AttributionFacts => ({
    referrer: { studentId: 'ann', identity: 'ann@gmail.com', funnelId: 'f' },
    referee: { studentId: 'bo', identity: 'bo@gmail.com', funnelId: 'f' },
    refereeAlreadyInFunnel: false,
    referrerUpline: [],
    ...overrides,
  });

  it('attributes a new student to a referrer of the same funnel', () => {
    expect(attributionRefusal(facts())).toBeNull();
  });

  it('refuses, with a reason, unknown codes, other funnels, self-referral, existing students and loops', () => {
    expect(attributionRefusal(facts({ referrer: null }))).toBe('unknown_code');
    expect(
      attributionRefusal(facts({ referrer: { studentId: 'ann', identity: 'ann@gmail.com', funnelId: 'g' } })),
    ).toBe('other_funnel');
    // Another student record, but the same inbox (a.n.n+x@gmail.com).
    expect(
      attributionRefusal(facts({ referee: { studentId: 'ann2', identity: 'ann@gmail.com', funnelId: 'f' } })),
    ).toBe('self_referral');
    expect(attributionRefusal(facts({ refereeAlreadyInFunnel: true }))).toBe('already_enrolled');
    expect(attributionRefusal(facts({ referrerUpline: ['cy', 'bo'] }))).toBe('referral_loop');
  });
});

describe('suspicion flags', () => {
  const quiet = { recent: 1, sameIp: 1, matured: 0, maturedQualified: 0 };
  it('flags nothing for ordinary sharing', () => {
    expect(suspicionFlags(quiet, DEFAULT_SUSPICION_LIMITS)).toEqual([]);
    expect(suspicionFlags({ ...quiet, matured: 8, maturedQualified: 1 }, DEFAULT_SUSPICION_LIMITS)).toEqual([]);
  });
  it('flags bursts, one IP and referees who never attend', () => {
    expect(suspicionFlags({ ...quiet, recent: 10 }, DEFAULT_SUSPICION_LIMITS)).toEqual(['burst']);
    expect(suspicionFlags({ ...quiet, sameIp: 5 }, DEFAULT_SUSPICION_LIMITS)).toEqual(['shared_ip']);
    expect(
      suspicionFlags({ recent: 12, sameIp: 6, matured: 5, maturedQualified: 0 }, DEFAULT_SUSPICION_LIMITS),
    ).toEqual(['burst', 'shared_ip', 'referees_never_attend']);
  });
});

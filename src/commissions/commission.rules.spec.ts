import {
  commissionRulesProblems,
  commissionSplit,
  commissionStatus,
  CommissionRules,
  DEFAULT_COMMISSION_RULES,
} from './commission.rules';

const sale = { amount: 19900, currency: 'CNY' };
const agent = { studentId: 'ann', level: 'agent' as const };
const partner = { studentId: 'pat', level: 'partner' as const };
const withOverride: CommissionRules = {
  ...DEFAULT_COMMISSION_RULES,
  override: { enabled: true, rates: { member: 0, agent: 200, partner: 500 } },
};

describe('commission split', () => {
  it('pays only the direct referrer their level’s rate by default (depth 1)', () => {
    expect(commissionSplit(sale, [agent, partner], DEFAULT_COMMISSION_RULES)).toEqual([
      { studentId: 'ann', level: 'agent', depth: 1, basisPoints: 1000, amount: { amount: 1990, currency: 'CNY' } },
    ]);
  });

  it('adds one override level above when enabled, never a third', () => {
    const shares = commissionSplit(sale, [agent, partner, { studentId: 'top', level: 'partner' }], withOverride);
    expect(shares.map((s) => [s.studentId, s.depth, s.amount.amount])).toEqual([
      ['ann', 1, 1990],
      ['pat', 2, 995],
    ]);
  });

  it('floors to whole minor units and leaves out zero shares', () => {
    expect(commissionSplit({ amount: 999, currency: 'CNY' }, [agent], DEFAULT_COMMISSION_RULES)[0].amount.amount).toBe(
      99,
    );
    expect(commissionSplit(sale, [{ studentId: 'm', level: 'member' }], DEFAULT_COMMISSION_RULES)).toEqual([]);
    expect(commissionSplit({ amount: 0, currency: 'CNY' }, [partner], DEFAULT_COMMISSION_RULES)).toEqual([]);
    expect(commissionSplit(sale, [], DEFAULT_COMMISSION_RULES)).toEqual([]);
  });

  it('caps the total, cutting the override before the direct share', () => {
    const rules: CommissionRules = {
      ...withOverride,
      rates: { member: 0, agent: 1000, partner: 2500 },
      override: { enabled: true, rates: { member: 0, agent: 0, partner: 1500 } },
      capBasisPoints: 3000,
    };
    const shares = commissionSplit(sale, [{ studentId: 'p1', level: 'partner' }, partner], rules);
    expect(shares.map((s) => s.amount.amount)).toEqual([4975, 995]);
    expect(shares.reduce((sum, s) => sum + s.amount.amount, 0)).toBe(5970); // 30% of 19900
    const tight = commissionSplit(sale, [{ studentId: 'p1', level: 'partner' }, partner], {
      ...rules,
      capBasisPoints: 2000,
    });
    expect(tight.map((s) => [s.depth, s.amount.amount])).toEqual([[1, 3980]]);
  });
});

describe('commission rules', () => {
  it('accepts the defaults', () => {
    expect(commissionRulesProblems(DEFAULT_COMMISSION_RULES)).toEqual([]);
    expect(commissionRulesProblems({ ...DEFAULT_COMMISSION_RULES, depth: 2 })).toEqual([]);
  });
  it('refuses chains deeper than two levels and rates out of range, naming the field', () => {
    expect(commissionRulesProblems({ ...DEFAULT_COMMISSION_RULES, depth: 3 })).toEqual([
      'commissions.depth must be 1 or 2: deeper commission chains are multi-level marketing',
    ]);
    expect(
      commissionRulesProblems({ ...DEFAULT_COMMISSION_RULES, rates: { member: -1, agent: 1000.5, partner: 2000 } }),
    ).toEqual([
      'commissions.rates.member must be whole basis points between 0 and 10000',
      'commissions.rates.agent must be whole basis points between 0 and 10000',
    ]);
  });
});

describe('commission status', () => {
  const payableAt = new Date('2026-04-15T00:00:00Z');
  it('is pending during the refund window, then payable', () => {
    expect(commissionStatus({ payableAt, settled: null, held: false }, new Date('2026-04-14T23:59:59Z'))).toBe(
      'pending',
    );
    expect(commissionStatus({ payableAt, settled: null, held: false }, payableAt)).toBe('payable');
  });
  it('stays pending while held for review, and settled entries keep their status', () => {
    expect(commissionStatus({ payableAt, settled: null, held: true }, new Date('2027-01-01'))).toBe('pending');
    expect(commissionStatus({ payableAt, settled: 'paid', held: false }, new Date('2027-01-01'))).toBe('paid');
    expect(commissionStatus({ payableAt, settled: 'reversed', held: false }, new Date('2026-04-01'))).toBe('reversed');
  });
});

import { Money } from '../common/money';
import { Level } from './promotion.rules';

/** Rates are basis points (1/100 of a percent), so money math stays in integers. */
export interface CommissionRules {
  /** What the buyer's direct referrer earns, by their level. */
  rates: Record<Level, number>;
  /**
   * The one override level above the direct referrer (depth 2), by that person's level; off by
   * default. Deeper levels are what pyramid-selling law targets, and are refused.
   */
  override: { enabled: boolean; rates: Record<Level, number> };
  /** No sale pays out more than this share in total, whatever the rates. */
  capBasisPoints: number;
  /** Entries become payable once a sale can no longer be refunded. */
  refundWindowDays: number;
}

export const MAX_COMMISSION_DEPTH = 2;

export const DEFAULT_COMMISSION_RULES: CommissionRules = {
  rates: { member: 0, agent: 1000, partner: 2000 },
  override: { enabled: false, rates: { member: 0, agent: 0, partner: 500 } },
  capBasisPoints: 3000,
  refundWindowDays: 14,
};

/** Problems with commission rules, each naming its field; [] when valid. */
export function commissionRulesProblems(rules: CommissionRules & { depth?: number }): string[] {
  const problems: string[] = [];
  const bp = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 0 || value > 10_000) {
      problems.push(`${field} must be whole basis points between 0 and 10000`);
    }
  };
  for (const [level, rate] of Object.entries(rules.rates)) bp(`commissions.rates.${level}`, rate);
  for (const [level, rate] of Object.entries(rules.override.rates)) bp(`commissions.override.rates.${level}`, rate);
  bp('commissions.capBasisPoints', rules.capBasisPoints);
  if (rules.depth !== undefined && (rules.depth < 1 || rules.depth > MAX_COMMISSION_DEPTH)) {
    problems.push(
      `commissions.depth must be 1 or ${MAX_COMMISSION_DEPTH}: deeper commission chains are multi-level marketing`,
    );
  }
  if (!Number.isInteger(rules.refundWindowDays) || rules.refundWindowDays < 0) {
    problems.push('commissions.refundWindowDays must be a whole number of days, 0 or more');
  }
  return problems;
}

export interface Beneficiary {
  studentId: string;
  level: Level;
}

export interface CommissionShare {
  studentId: string;
  /** 1: the buyer's direct referrer; 2: the override above them. */
  depth: 1 | 2;
  level: Level;
  basisPoints: number;
  amount: Money;
}

const share = (sale: Money, basisPoints: number): Money => ({
  amount: Math.floor((sale.amount * basisPoints) / 10_000),
  currency: sale.currency,
});

/**
 * Who earns what on one paid sale. `upline` is the buyer's direct referrer, then theirs; only the
 * first is paid unless the override is enabled, and never anyone beyond depth 2. Amounts are
 * floored to whole minor units. When the shares pass the cap, the override is cut first, then the
 * direct share, so the person who made the sale is paid before anyone above them. Zero shares are
 * left out; nothing is paid without a sale.
 */
export function commissionSplit(
  sale: Money,
  upline: readonly Beneficiary[],
  rules: CommissionRules,
): CommissionShare[] {
  if (sale.amount <= 0) return [];
  const cap = share(sale, rules.capBasisPoints).amount;
  const shares: CommissionShare[] = [];
  let left = cap;
  const [direct, above] = upline;
  if (direct) {
    const basisPoints = rules.rates[direct.level];
    const amount = Math.min(share(sale, basisPoints).amount, left);
    left -= amount;
    shares.push({ ...direct, depth: 1, basisPoints, amount: { amount, currency: sale.currency } });
  }
  if (direct && above && rules.override.enabled && above.studentId !== direct.studentId) {
    const basisPoints = rules.override.rates[above.level];
    const amount = Math.min(share(sale, basisPoints).amount, left);
    shares.push({ ...above, depth: 2, basisPoints, amount: { amount, currency: sale.currency } });
  }
  return shares.filter((s) => s.amount.amount > 0);
}

export const COMMISSION_STATUSES = ['pending', 'payable', 'paid', 'reversed'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

/**
 * An entry's status at `now`: pending until the refund window has passed (then payable), unless
 * it was settled (paid out or reversed by a refund), or held while its referral is under review.
 */
export function commissionStatus(
  entry: { payableAt: Date; settled: 'paid' | 'reversed' | null; held: boolean },
  now: Date,
): CommissionStatus {
  if (entry.settled) return entry.settled;
  if (entry.held) return 'pending';
  return now >= entry.payableAt ? 'payable' : 'pending';
}

export const LEVELS = ['member', 'agent', 'partner'] as const;
export type Level = (typeof LEVELS)[number];

export const levelRank = (level: Level) => LEVELS.indexOf(level);

/** What reaching a level takes; every figure given must be met. */
export interface LevelThreshold {
  qualifiedReferrals?: number;
  paidReferrals?: number;
  /** Students this one referred directly who are agents (or partners) themselves. */
  directAgents?: number;
}

export interface PromotionRules {
  agent: LevelThreshold;
  partner: LevelThreshold;
  /** Agents and partners with fewer paid referrals than this over the last `periodDays` are put up for review. */
  maintenance: { periodDays: number; minPaidReferrals: number };
}

export const DEFAULT_PROMOTION_RULES: PromotionRules = {
  agent: { qualifiedReferrals: 3, paidReferrals: 1 },
  partner: { paidReferrals: 10, directAgents: 2 },
  maintenance: { periodDays: 90, minPaidReferrals: 1 },
};

export interface ReferrerStats {
  qualifiedReferrals: number;
  paidReferrals: number;
  directAgents: number;
}

function meets(stats: ReferrerStats, threshold: LevelThreshold): boolean {
  return (
    stats.qualifiedReferrals >= (threshold.qualifiedReferrals ?? 0) &&
    stats.paidReferrals >= (threshold.paidReferrals ?? 0) &&
    stats.directAgents >= (threshold.directAgents ?? 0)
  );
}

/** The highest level these results earn. Partner also needs what agent needs. */
export function earnedLevel(stats: ReferrerStats, rules: PromotionRules): Level {
  if (!meets(stats, rules.agent)) return 'member';
  return meets(stats, rules.partner) ? 'partner' : 'agent';
}

/**
 * The automatic step from `current`: promotion when results earn a higher level, never a demotion
 * (that is a staff decision after review). Null when nothing changes.
 */
export function automaticPromotion(current: Level, stats: ReferrerStats, rules: PromotionRules): Level | null {
  const earned = earnedLevel(stats, rules);
  return levelRank(earned) > levelRank(current) ? earned : null;
}

/** Whether an agent or partner whose activity dropped should be reviewed by staff. */
export function needsMaintenanceReview(level: Level, paidInPeriod: number, rules: PromotionRules): boolean {
  return level !== 'member' && paidInPeriod < rules.maintenance.minPaidReferrals;
}

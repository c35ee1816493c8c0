/** One step of the funnel and how many of the step before it reached it. */
export interface FunnelStep {
  step: string;
  count: number;
  /** count / the previous step's count, 4 decimals; null for the first step or after an empty one. */
  conversion: number | null;
}

const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;

/** The steps in funnel order, each with its conversion from the one before. */
export function funnelSteps(counts: { step: string; count: number }[]): FunnelStep[] {
  return counts.map((c, i) => ({ ...c, conversion: i === 0 ? null : ratio(c.count, counts[i - 1].count) }));
}

export interface ReferralFigures {
  invites: number;
  qualified: number;
  /** Referral sign-ups per confirmed student. */
  invitesPerStudent: number | null;
  /** Qualified referrals per confirmed student: above 1, each student brings in more than one. */
  viralCoefficient: number | null;
}

/**
 * Viral coefficient K = invites per student x share of invites that qualify = qualified referrals
 * per confirmed student.
 */
export function referralFigures(invites: number, qualified: number, students: number): ReferralFigures {
  return {
    invites,
    qualified,
    invitesPerStudent: ratio(invites, students),
    viralCoefficient: ratio(qualified, students),
  };
}

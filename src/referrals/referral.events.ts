/** The durable events this feature owns (see `events/domain-events.service.ts`). */
export interface ReferralQualified {
  refereeEnrollmentId: string;
  referrerEnrollmentId: string;
  at: Date;
}

export interface ReferralReviewed {
  refereeEnrollmentId: string;
  referrerEnrollmentId: string;
  decision: 'approved' | 'rejected';
  by: string;
  at: Date;
}

declare module '../events/domain-events.service' {
  interface DomainEventMap {
    /** Owner: referrals. Subscribers: commissions.level, orders.price-protection, pricing.announce-tier. */
    'referral.qualified': ReferralQualified;
    /** Owner: referrals. Subscribers: those of `referral.qualified`, and commissions.release-held. */
    'referral.reviewed': ReferralReviewed;
  }
}

/** After these, a referrer's counted referrals may have changed (price tier, level, protection). */
export const REFERRAL_COUNT_CHANGES = ['referral.qualified', 'referral.reviewed'] as const;

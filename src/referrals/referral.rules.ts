import { randomInt } from 'node:crypto';

/** Unambiguous letters and digits (no 0/O, 1/I/L) so a code read aloud or copied by hand still works. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const REFERRAL_CODE_LENGTH = 8;

/** A fresh random referral code (31^8, about 8.5e11 codes; a clash is retried by the caller). */
export function newReferralCode(): string {
  let code = '';
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Codes are matched ignoring case and surrounding spaces. */
export const normalizeReferralCode = (code: string) => code.trim().toUpperCase();

/** When a referral counts: the referee confirmed their email and attended this many classes. */
export interface QualificationRule {
  minClassesAttended: number;
}

export const DEFAULT_QUALIFICATION_RULE: QualificationRule = { minClassesAttended: 1 };

export function isQualified(
  rule: QualificationRule,
  referee: { confirmed: boolean; classesAttended: number },
): boolean {
  return referee.confirmed && referee.classesAttended >= rule.minClassesAttended;
}

export const REFERRAL_REFUSALS = {
  unknown_code: 'This referral code does not exist',
  other_funnel: 'This referral code belongs to another course funnel',
  self_referral: 'You cannot refer yourself',
  already_enrolled: 'You were already enrolled in this course funnel, so nobody can refer you to it',
  referral_loop: 'You referred this person (or someone who referred them), so they cannot refer you',
} as const;
export type ReferralRefusal = keyof typeof REFERRAL_REFUSALS;

export interface AttributionFacts {
  referrer: { studentId: string; identity: string; funnelId: string } | null;
  referee: { studentId: string; identity: string; funnelId: string };
  /** The referee had an enrolment in this funnel before this one (any cohort). */
  refereeAlreadyInFunnel: boolean;
  /** Students up the referrer's chain: who referred them, who referred that one, ... */
  referrerUpline: string[];
}

/**
 * Why a referral code is not attributed, or null when it is. Identities are provider-aware email
 * keys (see identityKey), so `a.li+x@gmail.com` cannot refer `ali@gmail.com`.
 */
export function attributionRefusal(facts: AttributionFacts): ReferralRefusal | null {
  const { referrer, referee } = facts;
  if (!referrer) return 'unknown_code';
  if (referrer.funnelId !== referee.funnelId) return 'other_funnel';
  if (referrer.studentId === referee.studentId || referrer.identity === referee.identity) return 'self_referral';
  if (facts.refereeAlreadyInFunnel) return 'already_enrolled';
  if (facts.referrerUpline.includes(referee.studentId)) return 'referral_loop';
  return null;
}

export interface SuspicionLimits {
  /** This many referrals from one referrer within `burstMinutes` is a burst. */
  burstCount: number;
  burstMinutes: number;
  /** This many of a referrer's referees signing up from one IP address. */
  sameIpCount: number;
  /** A referrer with this many earlier referees, old enough to have attended and none of whom did. */
  idleReferees: number;
  idleAfterDays: number;
}

export const DEFAULT_SUSPICION_LIMITS: SuspicionLimits = {
  burstCount: 10,
  burstMinutes: 10,
  sameIpCount: 5,
  idleReferees: 5,
  idleAfterDays: 3,
};

export interface ReferrerActivity {
  /** The referrer's referrals within the burst window, this one included. */
  recent: number;
  /** The referrer's referrals from this referral's IP, this one included (0 when unknown). */
  sameIp: number;
  /** Earlier referrals older than `idleAfterDays`, and how many of those qualified. */
  matured: number;
  maturedQualified: number;
}

/**
 * Flags that send a referral to staff review (its commissions are held, it does not lower the
 * price until approved). Nothing is dropped silently: every flag names its pattern.
 */
export function suspicionFlags(activity: ReferrerActivity, limits: SuspicionLimits): string[] {
  const flags: string[] = [];
  if (activity.recent >= limits.burstCount) flags.push('burst');
  if (activity.sameIp >= limits.sameIpCount) flags.push('shared_ip');
  if (activity.matured >= limits.idleReferees && activity.maturedQualified === 0) flags.push('referees_never_attend');
  return flags;
}

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { ReferralError } from './referrals.errors';
import { DomainEvents } from '../events/domain-events.service';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { identityKey } from '../students/email.rules';
import {
  attributionRefusal,
  newReferralCode,
  normalizeReferralCode,
  REFERRAL_REFUSALS,
  ReferralRefusal,
  suspicionFlags,
} from './referral.rules';
import { ReferralCodeRecord, ReferralRecord, ReferralsRepository } from './referrals.repository';
import { CohortsService } from '../cohorts/cohorts.service';
import { Tenancy } from '../common/tenancy';

/** How far up a referrer's chain the loop check looks (chains deeper than this are not plausible). */
const UPLINE_DEPTH = 20;

/** The enrolment being referred (a sign-up) or referring (a code's owner). */
export interface ReferralParty {
  enrollmentId: string;
  studentId: string;
  cohortId: string;
  funnelId: string;
  email: string;
}

export type AttributionOutcome =
  { status: 'attributed'; referral: ReferralRecord } | { status: 'refused'; reason: ReferralRefusal; message: string };

/**
 * Referral codes and attribution. The first valid code a referee signs up with wins and never
 * changes; refused codes are recorded with their reason. Qualification (confirmed + attended)
 * is decided by the pricing feature, which knows attendance; this service only records it.
 */
@Injectable()
export class ReferralsService implements OnModuleInit {
  constructor(
    private readonly referrals: ReferralsRepository,
    private readonly cohorts: CohortsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onModuleInit(): void {
    this.events.apply('referral.qualified', ({ refereeEnrollmentId, at }) =>
      this.referrals.markQualified(refereeEnrollmentId, at),
    );
    this.events.apply('referral.reviewed', ({ refereeEnrollmentId, decision, by, at }) =>
      this.referrals.setReview(refereeEnrollmentId, decision, by, at),
    );
  }

  /** The enrolment's referral code, created on first use. */
  async codeFor(owner: ReferralParty): Promise<ReferralCodeRecord> {
    const existing = await this.referrals.codeOfEnrollment(owner.enrollmentId);
    if (existing) return existing;
    for (let attempt = 0; attempt < 5; attempt++) {
      const record = {
        code: newReferralCode(),
        enrollmentId: owner.enrollmentId,
        studentId: owner.studentId,
        cohortId: owner.cohortId,
        funnelId: owner.funnelId,
        identity: identityKey(owner.email),
      };
      const result = await this.referrals.insertCode(record, this.clock.now());
      if (result === 'ok') return record;
      if (result === 'has-code') break; // a concurrent request created it
    }
    const raced = await this.referrals.codeOfEnrollment(owner.enrollmentId);
    // Five random codes all taken, and none of this enrolment's: not a caller's fault, and not worth
    // retrying, so a 500 from the filter (logged), never a refusal it could act on.
    if (!raced) throw new Error(`no referral code could be created for enrolment ${owner.enrollmentId}`);
    return raced;
  }

  /** The enrolment's code and the link its student shares: it leads to the sign-up page with the code applied. */
  async shareLinkFor(owner: ReferralParty): Promise<{ code: string; shareUrl: string }> {
    const { code } = await this.codeFor(owner);
    return { code, shareUrl: this.shareUrlOf(code) };
  }

  /**
   * The share links of a batch of enrolments, by enrolment id. Codes are made at confirmation, so
   * a fan-out finds them in one read; the few without one yet (enrolled before codes were made
   * there) get theirs now.
   */
  async shareLinksOf(owners: ReferralParty[]): Promise<Map<string, string>> {
    const codes = await this.referrals.codesOfEnrollments(owners.map((o) => o.enrollmentId));
    for (const owner of owners) {
      if (!codes.has(owner.enrollmentId)) codes.set(owner.enrollmentId, (await this.codeFor(owner)).code);
    }
    return new Map([...codes].map(([enrollmentId, code]) => [enrollmentId, this.shareUrlOf(code)]));
  }

  private shareUrlOf(code: string): string {
    return `${this.options.publicBaseUrl}/r/${code}`;
  }

  async findCode(code: string): Promise<ReferralCodeRecord> {
    const record = await this.referrals.findCode(normalizeReferralCode(code));
    if (!record) throw new NotFoundError('referral_code', code);
    return record;
  }

  /**
   * Attributes a sign-up to the owner of `code`, or records why not. `alreadyInFunnel`: the
   * referee had another enrolment in this funnel before. Flagged referrals are held for review.
   */
  async attribute(
    referee: ReferralParty & { alreadyInFunnel: boolean },
    code: string,
    ip: string | undefined,
  ): Promise<AttributionOutcome> {
    const existing = await this.referrals.find(referee.enrollmentId);
    if (existing) return { status: 'attributed', referral: existing };
    const normalized = normalizeReferralCode(code);
    const owner = await this.referrals.findCode(normalized);
    const reason = attributionRefusal({
      referrer: owner && { studentId: owner.studentId, identity: owner.identity, funnelId: owner.funnelId },
      referee: { studentId: referee.studentId, identity: identityKey(referee.email), funnelId: referee.funnelId },
      refereeAlreadyInFunnel: referee.alreadyInFunnel,
      referrerUpline: owner ? await this.upline(owner.studentId) : [],
    });
    if (reason || !owner) {
      const refused = reason ?? 'unknown_code';
      await this.referrals.recordRefusal(
        { code: normalized, refereeEnrollmentId: referee.enrollmentId, cohortId: referee.cohortId, reason: refused },
        this.clock.now(),
      );
      return { status: 'refused', reason: refused, message: REFERRAL_REFUSALS[refused] };
    }
    const now = this.clock.now();
    const limits = this.options.referralSuspicion;
    const activity = await this.referrals.activity(
      owner.studentId,
      {
        burst: new Date(now.getTime() - limits.burstMinutes * 60_000),
        matured: new Date(now.getTime() - limits.idleAfterDays * 24 * 3600_000),
      },
      ip,
    );
    // This referral counts towards the burst and the shared IP too.
    const flags = suspicionFlags(
      { ...activity, recent: activity.recent + 1, sameIp: ip ? activity.sameIp + 1 : 0 },
      limits,
    );
    await this.referrals.insert({
      refereeEnrollmentId: referee.enrollmentId,
      code: normalized,
      referrerEnrollmentId: owner.enrollmentId,
      referrerStudentId: owner.studentId,
      referrerCohortId: owner.cohortId,
      refereeStudentId: referee.studentId,
      funnelId: referee.funnelId,
      cohortId: referee.cohortId,
      flags,
      review: flags.length > 0 ? 'held' : 'none',
      createdAt: now,
      ...(ip ? { ip } : {}),
    });
    const referral = await this.referrals.find(referee.enrollmentId);
    // Referrals are never deleted, so the one just inserted (ours or a racing one) is there: an invariant.
    if (!referral) throw new Error(`referral of ${referee.enrollmentId} vanished`);
    return { status: 'attributed', referral };
  }

  /** What became of the codes an enrolment signed up with (null when it came without one). */
  async outcomeFor(refereeEnrollmentId: string): Promise<AttributionOutcome | null> {
    const referral = await this.referrals.find(refereeEnrollmentId);
    if (referral) return { status: 'attributed', referral };
    const reason = await this.referrals.latestRefusal(refereeEnrollmentId);
    return reason ? { status: 'refused', reason, message: REFERRAL_REFUSALS[reason] } : null;
  }

  /** The referral that brought this enrolment in, if any. */
  of(refereeEnrollmentId: string): Promise<ReferralRecord | null> {
    return this.referrals.find(refereeEnrollmentId);
  }

  async markQualified(referral: ReferralRecord): Promise<void> {
    if (referral.status === 'qualified') return;
    await this.events.publish('referral.qualified', referral.refereeEnrollmentId, {
      refereeEnrollmentId: referral.refereeEnrollmentId,
      referrerEnrollmentId: referral.referrerEnrollmentId,
      at: this.clock.now(),
    });
  }

  /** Qualified referrals of an enrolment that lower its price (held and rejected ones do not). */
  countFor(referrerEnrollmentId: string): Promise<number> {
    return this.referrals.countCounted({ enrollmentId: referrerEnrollmentId });
  }

  /** Qualified referrals a student made across all their enrolments (for the promotion ladder). */
  countForStudent(referrerStudentId: string): Promise<number> {
    return this.referrals.countCounted({ studentId: referrerStudentId });
  }

  countsFor(referrerEnrollmentIds: string[]): Promise<Map<string, number>> {
    return this.referrals.countedByReferrer(referrerEnrollmentIds);
  }

  listOfReferrer(referrerEnrollmentId: string): Promise<ReferralRecord[]> {
    return this.referrals.ofReferrer(referrerEnrollmentId, 200);
  }

  /** Students up the chain: who referred `studentId`, who referred them, ... */
  async upline(studentId: string, depth = UPLINE_DEPTH): Promise<string[]> {
    const chain: string[] = [];
    let current = studentId;
    while (chain.length < depth) {
      const referral = await this.referrals.referrerOf(current);
      if (!referral || chain.includes(referral.referrerStudentId)) break;
      chain.push(referral.referrerStudentId);
      current = referral.referrerStudentId;
    }
    return chain;
  }

  refereesOf(studentId: string): Promise<string[]> {
    return this.referrals.refereesOf(studentId, 10_000);
  }

  held(limit: number, after?: string): Promise<ReferralRecord[]> {
    return this.referrals.listByReview('held', limit, after);
  }

  /** Staff decide a held referral: approved ones count (and earn) from now on, rejected ones never. */
  async review(refereeEnrollmentId: string, decision: 'approved' | 'rejected', by: string): Promise<ReferralRecord> {
    const referral = await this.referrals.find(refereeEnrollmentId);
    if (!referral) throw new NotFoundError('referral', refereeEnrollmentId);
    if (referral.review !== 'held') {
      throw new ReferralError('not_held', `This referral is not waiting for review (it is ${referral.review})`);
    }
    const decided = await this.events.publish('referral.reviewed', refereeEnrollmentId, {
      refereeEnrollmentId,
      referrerEnrollmentId: referral.referrerEnrollmentId,
      decision,
      by,
      at: this.clock.now(),
    });
    if (!decided) {
      throw new ReferralError('not_held', 'This referral was decided a moment ago by someone else');
    }
    return (await this.referrals.find(refereeEnrollmentId)) ?? referral;
  }

  /** The referrals a cohort's students made, for staff of the cohort's tenancy. */
  async ofCohort(cohortId: string, tenancy: Tenancy, limit: number, after?: string): Promise<ReferralRecord[]> {
    await this.cohorts.find(cohortId, tenancy);
    return this.referrals.ofReferrerCohort(cohortId, limit, after);
  }

  /** The cohort's top referrers: invites made and how many qualified. */
  topReferrers(cohortId: string, limit = 10) {
    return this.referrals.topReferrers(cohortId, limit);
  }

  cohortFigures(cohortId: string): Promise<{ invites: number; qualified: number }> {
    return this.referrals.cohortFigures(cohortId);
  }
}

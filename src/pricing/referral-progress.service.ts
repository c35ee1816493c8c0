import { Injectable, OnModuleInit } from '@nestjs/common';
import { AttendanceService } from '../attendance/attendance.service';
import { StudentMessages } from '../messages/student-messages';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { StudentLessons } from '../enrollments/student-lessons.service';
import { DomainEvents } from '../events/domain-events.service';
import { REFERRAL_COUNT_CHANGES } from '../referrals/referral.events';
import { OutboxService } from '../outbox/outbox.service';
import { DEFAULT_QUALIFICATION_RULE, isQualified } from '../referrals/referral.rules';
import { ReferralsService } from '../referrals/referrals.service';
import { PriceService } from './price.service';

/**
 * Moves referrals along: a referral qualifies once its referee has confirmed and attended enough
 * classes (re-checked whenever either happens), and a referrer whose count reaches a new tier of
 * the ladder is told their new price, once per tier.
 */
@Injectable()
export class ReferralProgress implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly referrals: ReferralsService,
    private readonly enrollments: EnrollmentsService,
    private readonly studentLessons: StudentLessons,
    private readonly attendance: AttendanceService,
    private readonly prices: PriceService,
    private readonly outbox: OutboxService,
    private readonly messages: StudentMessages,
  ) {}

  onModuleInit(): void {
    this.events.on('enrollment.confirmed', 'pricing.qualify', ({ enrollmentId }) => this.reconsider(enrollmentId));
    this.events.on('attendance.recorded', 'pricing.qualify', ({ enrollmentId }) => this.reconsider(enrollmentId));
    for (const event of REFERRAL_COUNT_CHANGES) {
      this.events.on(event, 'pricing.announce-tier', ({ referrerEnrollmentId }) =>
        this.announceTier(referrerEnrollmentId),
      );
    }
  }

  /** Qualifies the referral that brought this enrolment in, when its referee now meets the rule. */
  async reconsider(refereeEnrollmentId: string): Promise<void> {
    const referral = await this.referrals.of(refereeEnrollmentId);
    if (!referral || referral.status === 'qualified') return;
    const course = await this.studentLessons.course(await this.enrollments.find(refereeEnrollmentId));
    const rule = {
      minClassesAttended:
        course.version.offer.referralMinClassesAttended ?? DEFAULT_QUALIFICATION_RULE.minClassesAttended,
    };
    const confirmed = course.enrollment.status === 'confirmed';
    const classesAttended = confirmed && rule.minClassesAttended > 0 ? await this.attendance.attendedCount(course) : 0;
    if (isQualified(rule, { confirmed, classesAttended })) await this.referrals.markQualified(referral);
  }

  /** Tells a referrer the price their referrals unlocked (the outbox key keeps it to once per tier). */
  async announceTier(referrerEnrollmentId: string): Promise<void> {
    const enrollment = await this.enrollments.find(referrerEnrollmentId);
    const pinned = await this.prices.pinned(enrollment.cohortId);
    const price = await this.prices.priceOf(enrollment, pinned);
    if (price.tier === 0) return;
    const { cohort, version } = pinned;
    const { shareUrl } = await this.referrals.shareLinkFor(this.enrollments.referralParty(enrollment, cohort));
    await this.outbox.enqueue([this.messages.unlocked(enrollment, cohort, version.offer, price, shareUrl)]);
  }
}

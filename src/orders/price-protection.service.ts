import { Injectable, OnModuleInit } from '@nestjs/common';
import { StudentMessages } from '../messages/student-messages';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { DomainEvents } from '../events/domain-events.service';
import { REFERRAL_COUNT_CHANGES } from '../referrals/referral.events';
import { OutboxService } from '../outbox/outbox.service';
import { protectionRefunds } from '../pricing/price-ladder.rules';
import { PriceService } from '../pricing/price.service';
import { OrdersRepository } from './orders.repository';

const DAY_MS = 24 * 3600_000;

/** Refunds buyers the price difference when their referrals keep qualifying after they bought. */
@Injectable()
export class PriceProtectionService implements OnModuleInit {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly prices: PriceService,
    private readonly enrollments: EnrollmentsService,
    private readonly outbox: OutboxService,
    private readonly messages: StudentMessages,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    for (const event of REFERRAL_COUNT_CHANGES) {
      this.events.on(event, 'orders.price-protection', ({ referrerEnrollmentId, at }) =>
        this.protectPrices(referrerEnrollmentId, at),
      );
    }
  }

  /**
   * Price protection: referrals that qualify within the funnel's protection days after a purchase
   * earn the buyer back the difference to each tier they climb, once per tier, as refund events on
   * the order. `at` is when the referral counted, however late this runs.
   */
  async protectPrices(referrerEnrollmentId: string, at: Date): Promise<void> {
    const paid = await this.orders.paidOfEnrollment(referrerEnrollmentId);
    if (paid.length === 0) return;
    const enrollment = await this.enrollments.find(referrerEnrollmentId);
    const pinned = await this.prices.pinned(enrollment.cohortId);
    const { cohort, version } = pinned;
    const days = version.offer.priceProtectionDays ?? 0;
    const current = await this.prices.priceOf(enrollment, pinned);
    for (const order of paid) {
      if (!order.paidAt || at.getTime() > order.paidAt.getTime() + days * DAY_MS) continue;
      for (const refund of protectionRefunds(current.ladder, order.tier, current.tier)) {
        const key = `${order.id}:protection:tier${refund.tier}`;
        // Recorded once; the mail is enqueued on every delivery (once by its key), so a crash
        // between the two leaves nothing out.
        await this.orders.recordOnce(key, {
          orderId: order.id,
          kind: 'price_protection',
          amount: refund.amount,
          reference: `tier ${refund.tier}`,
          by: 'price-protection',
          at,
        });
        await this.outbox.enqueue([
          this.messages.refunded(enrollment, cohort, order, { key, amount: refund.amount, full: false }),
        ]);
      }
    }
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { EnrollmentMessages } from '../enrollments/enrollment-messages';
import { EnrollmentsService } from '../enrollments/enrollments.service';
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
    private readonly messages: EnrollmentMessages,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on('referral.counted', ({ referrerEnrollmentId }) => this.protectPrices(referrerEnrollmentId));
  }

  /**
   * Price protection: referrals that qualify within the funnel's protection days after a purchase
   * earn the buyer back the difference to each tier they climb, once per tier, as refund events on
   * the order.
   */
  async protectPrices(referrerEnrollmentId: string): Promise<void> {
    const paid = await this.orders.paidOfEnrollment(referrerEnrollmentId);
    if (paid.length === 0) return;
    const enrollment = await this.enrollments.find(referrerEnrollmentId);
    const pinned = await this.prices.pinned(enrollment.cohortId);
    const { cohort, version } = pinned;
    const days = version.offer.priceProtectionDays ?? 0;
    const now = this.clock.now();
    const current = await this.prices.priceOf(enrollment, pinned);
    for (const order of paid) {
      if (!order.paidAt || now.getTime() > order.paidAt.getTime() + days * DAY_MS) continue;
      for (const refund of protectionRefunds(current.ladder, order.tier, current.tier)) {
        const key = `${order.id}:protection:tier${refund.tier}`;
        const won = await this.orders.recordOnce(key, {
          orderId: order.id,
          kind: 'price_protection',
          amount: refund.amount,
          reference: `tier ${refund.tier}`,
          by: 'price-protection',
          at: now,
        });
        if (!won) continue;
        await this.outbox.enqueue([
          this.messages.refunded(enrollment, cohort, order, { key, amount: refund.amount, full: false }),
        ]);
      }
    }
  }
}

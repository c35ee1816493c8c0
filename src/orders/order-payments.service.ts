import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { DomainEvents } from '../common/domain-events';
import { CohortsService } from '../cohorts/cohorts.service';
import { EnrollmentMessages } from '../enrollments/enrollment-messages';
import { CohortFullError } from '../enrollments/enrollments.errors';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { OutboxService } from '../outbox/outbox.service';
import { SeatAlreadyPaidError } from './orders.errors';
import { OrderRecord, OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/**
 * Paying and refunding orders. Each change is decided by inserting its event once, so a repeated
 * webhook, a double click or two instances at once change nothing twice.
 */
@Injectable()
export class OrderPaymentsService {
  private readonly logger = new Logger('Orders');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly lookup: OrdersService,
    private readonly enrollments: EnrollmentsService,
    private readonly cohorts: CohortsService,
    private readonly outbox: OutboxService,
    private readonly messages: EnrollmentMessages,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * Records a payment (staff for an offline one, or the provider's webhook). The first call pays
   * the order: the buyer gets their place in the paid cohort and a receipt; any later call
   * returns the order as it is.
   */
  async confirmPayment(orderId: string, payment: { reference: string; by: string }): Promise<OrderRecord> {
    const order = await this.lookup.get(orderId);
    if (order.status === 'refunded') {
      throw new DomainError('conflict', 'order_refunded', `Order ${order.reference} was refunded`);
    }
    if (order.status === 'pending') {
      const paid = await this.orders.paidForSeat(order.enrollmentId, orderId);
      if (paid) throw new SeatAlreadyPaidError(paid);
    }
    const now = this.clock.now();
    const won = await this.orders.recordOnce(`${orderId}:paid`, {
      orderId,
      kind: 'paid',
      amount: order.price,
      reference: payment.reference,
      by: payment.by,
      at: now,
    });
    if (!won) return this.lookup.get(orderId);
    await this.orders.update(orderId, { status: 'paid', paidAt: now, paymentReference: payment.reference });
    const buyer = await this.enrollments.find(order.enrollmentId);
    const cohort = await this.cohorts.find(order.cohortId);
    if (cohort.paidCohortId) {
      try {
        const place = await this.enrollments.placeBuyer(cohort.paidCohortId, buyer);
        await this.orders.update(orderId, { paidEnrollmentId: place.id });
      } catch (error) {
        if (!(error instanceof CohortFullError)) throw error;
        this.logger.warn({ msg: 'paid cohort full', orderId, paidCohortId: cohort.paidCohortId });
        await this.orders.update(orderId, { placementProblem: 'the paid cohort is full' });
      }
    }
    await this.outbox.enqueue([this.messages.receipt(buyer, cohort, { ...order, amount: order.price, paidAt: now })]);
    await this.events.emit('order.paid', { orderId });
    return this.lookup.get(orderId);
  }

  /** Refunds a paid order once: the paid place is given back and commissions are reversed. */
  async refund(orderId: string, by: string): Promise<OrderRecord> {
    const order = await this.lookup.get(orderId);
    if (order.status === 'refunded') return order;
    if (order.status !== 'paid') {
      throw new DomainError('conflict', 'order_not_paid', `Order ${order.reference} has not been paid`);
    }
    const now = this.clock.now();
    const won = await this.orders.recordOnce(`${orderId}:refunded`, {
      orderId,
      kind: 'refunded',
      amount: order.price,
      by,
      at: now,
    });
    if (!won) return this.lookup.get(orderId);
    await this.orders.markRefunded(orderId, now);
    if (order.paidEnrollmentId) await this.enrollments.withdraw(order.paidEnrollmentId);
    const buyer = await this.enrollments.find(order.enrollmentId);
    const cohort = await this.cohorts.find(order.cohortId);
    await this.outbox.enqueue([
      this.messages.refunded(buyer, cohort, order, { key: `${orderId}:full`, amount: order.price, full: true }),
    ]);
    await this.events.emit('order.refunded', { orderId });
    return this.lookup.get(orderId);
  }
}

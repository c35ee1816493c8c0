import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { CohortsService } from '../cohorts/cohorts.service';
import { StudentMessages } from '../messages/student-messages';
import { CohortFullError } from '../enrollments/enrollments.errors';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { DomainEventMap, DomainEvents } from '../events/domain-events.service';
import { OutboxService } from '../outbox/outbox.service';
import { OrderError, SeatAlreadyPaidError } from './orders.errors';
import { OrderRecord, OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';

/**
 * Paying and refunding orders. Each is a durable domain event, recorded once under the order's
 * key before anything changes: its owner's change (here) and every feature's effects (commissions,
 * revenue shares) are then delivered until each has recorded it, so neither a repeated webhook nor
 * a crash half-way changes anything twice or leaves anything out.
 */
@Injectable()
export class OrderPaymentsService implements OnModuleInit {
  private readonly logger = new Logger('Orders');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly lookup: OrdersService,
    private readonly enrollments: EnrollmentsService,
    private readonly cohorts: CohortsService,
    private readonly outbox: OutboxService,
    private readonly messages: StudentMessages,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.apply('order.paid', (paid) => this.applyPayment(paid));
    this.events.apply('order.refunded', (refund) => this.applyRefund(refund));
  }

  /**
   * Records a payment (staff for an offline one, or the provider's webhook). The first call pays
   * the order: the buyer gets their place in the paid cohort and a receipt; any later call
   * returns the order as it is.
   */
  async confirmPayment(
    orderId: string,
    payment: { reference: string; by: string },
    tenancy: Tenancy,
  ): Promise<OrderRecord> {
    const order = await this.lookup.get(orderId, tenancy);
    if (order.status === 'refunded') {
      throw new OrderError('order_refunded', `Order ${order.reference} was refunded`);
    }
    if (order.status === 'pending') {
      const paid = await this.orders.paidForSeat(order.enrollmentId, orderId);
      if (paid) throw new SeatAlreadyPaidError(paid);
    }
    await this.events.publish('order.paid', orderId, { orderId, ...payment, at: this.clock.now() });
    return this.lookup.get(orderId, tenancy);
  }

  /** Refunds a paid order once: the paid place is given back and commissions are reversed. */
  async refund(orderId: string, by: string, tenancy: Tenancy): Promise<OrderRecord> {
    const order = await this.lookup.get(orderId, tenancy);
    if (order.status === 'refunded') return order;
    if (order.status !== 'paid') {
      throw new OrderError('order_not_paid', `Order ${order.reference} has not been paid`);
    }
    await this.events.publish('order.refunded', orderId, { orderId, by, at: this.clock.now() });
    return this.lookup.get(orderId, tenancy);
  }

  /** The payment's own change; each step is safe to repeat, so a redelivery finishes a crashed one. */
  private async applyPayment({ orderId, reference, by, at }: DomainEventMap['order.paid']): Promise<void> {
    const order = await this.lookup.get(orderId, ALL_ORGANIZATIONS);
    await this.orders.recordOnce(`${orderId}:paid`, { orderId, kind: 'paid', amount: order.price, reference, by, at });
    if (order.status === 'pending') {
      await this.orders.update(orderId, { status: 'paid', paidAt: at, paymentReference: reference });
    }
    const buyer = await this.enrollments.find(order.enrollmentId);
    const cohort = await this.cohorts.find(order.cohortId, ALL_ORGANIZATIONS);
    if (cohort.paidCohortId && !order.paidEnrollmentId && !order.placementProblem) {
      try {
        const place = await this.enrollments.placeBuyer(cohort.paidCohortId, buyer);
        await this.orders.update(orderId, { paidEnrollmentId: place.id });
      } catch (error) {
        if (!(error instanceof CohortFullError)) throw error;
        this.logger.warn({ msg: 'paid cohort full', orderId, paidCohortId: cohort.paidCohortId });
        await this.orders.update(orderId, { placementProblem: 'the paid cohort is full' });
      }
    }
    await this.outbox.enqueue([this.messages.receipt(buyer, cohort, { ...order, amount: order.price, paidAt: at })]);
  }

  private async applyRefund({ orderId, by, at }: DomainEventMap['order.refunded']): Promise<void> {
    const order = await this.lookup.get(orderId, ALL_ORGANIZATIONS);
    await this.orders.recordOnce(`${orderId}:refunded`, { orderId, kind: 'refunded', amount: order.price, by, at });
    if (order.status !== 'refunded') await this.orders.markRefunded(orderId, at);
    if (order.paidEnrollmentId) await this.enrollments.withdraw(order.paidEnrollmentId);
    const buyer = await this.enrollments.find(order.enrollmentId);
    const cohort = await this.cohorts.find(order.cohortId, ALL_ORGANIZATIONS);
    await this.outbox.enqueue([
      this.messages.refunded(buyer, cohort, order, { key: `${orderId}:full`, amount: order.price, full: true }),
    ]);
  }
}

import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError, NotFoundError } from '../common/domain-error';
import { DomainEvents } from '../common/domain-events';
import { OrganizationScopes } from '../common/organization-scope';
import { CohortsService } from '../cohorts/cohorts.service';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../course-funnel.options';
import { EnrollmentMessages } from '../enrollments/enrollment-messages';
import { CohortFullError } from '../enrollments/enrollments.errors';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { OutboxService } from '../outbox/outbox.service';
import { protectionRefunds } from '../pricing/price-ladder.rules';
import { PriceService } from '../pricing/price.service';
import { ReferralsService } from '../referrals/referrals.service';
import { Money } from '../common/money';
import { OrderEventRecord, OrderRecord, OrdersRepository } from './orders.repository';

const DAY_MS = 24 * 3600_000;

/** How the buyer pays: a reference to quote on an offline transfer, or the provider's checkout. */
export interface PaymentInstructions {
  provider: 'manual' | 'webhook';
  reference: string;
  amount: Money;
  checkoutUrl: string | null;
}

export interface OrderView extends OrderRecord {
  events: OrderEventRecord[];
  /** Money given back so far: price-protection differences, or the whole price once refunded. */
  refundedTotal: Money;
}

/**
 * Orders from quotes, payments (staff-confirmed or by a signed provider webhook), refunds and
 * price protection. Every state change is decided by inserting its event once, so a repeated
 * webhook, a double click or two instances at once change nothing twice.
 */
@Injectable()
export class OrdersService implements OnModuleInit {
  private readonly logger = new Logger('Orders');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly prices: PriceService,
    private readonly enrollments: EnrollmentsService,
    private readonly cohorts: CohortsService,
    private readonly referrals: ReferralsService,
    private readonly outbox: OutboxService,
    private readonly messages: EnrollmentMessages,
    private readonly events: DomainEvents,
    private readonly scopes: OrganizationScopes,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onModuleInit(): void {
    this.scopes.register('order', async (id) => {
      const order = await this.orders.find(id);
      return order ? (await this.cohorts.find(order.cohortId)).organizationId : undefined;
    });
    this.events.on('referral.counted', ({ referrerEnrollmentId }) => this.protectPrices(referrerEnrollmentId));
  }

  /** An order at a quote's locked price; ordering the same quote again returns the same order. */
  async place(studentId: string, quoteId: string): Promise<{ order: OrderRecord; payment: PaymentInstructions }> {
    const quote = await this.prices.validQuote(quoteId, studentId);
    const referral = await this.referrals.of(quote.enrollmentId);
    const order = await this.orders.insertForQuote({
      quoteId: quote.id,
      enrollmentId: quote.enrollmentId,
      studentId: quote.studentId,
      cohortId: quote.cohortId,
      courseName: quote.courseName,
      price: quote.price,
      tier: quote.tier,
      provider: this.options.payments.provider,
      referrerStudentId: referral && referral.review !== 'rejected' ? referral.referrerStudentId : null,
      createdAt: this.clock.now(),
    });
    return { order, payment: this.paymentInstructions(order) };
  }

  paymentInstructions(order: OrderRecord): PaymentInstructions {
    const template = order.provider === 'webhook' ? this.options.payments.checkoutUrl : null;
    return {
      provider: order.provider,
      reference: order.reference,
      amount: order.price,
      checkoutUrl: template
        ? template.replace('{orderId}', order.id).replace('{amount}', String(order.price.amount))
        : null,
    };
  }

  async get(orderId: string): Promise<OrderRecord> {
    const order = await this.orders.find(orderId);
    if (!order) throw new NotFoundError('order', orderId);
    return order;
  }

  async view(orderId: string): Promise<OrderView> {
    const order = await this.get(orderId);
    const events = await this.orders.eventsOf(orderId);
    const refunded =
      order.status === 'refunded'
        ? order.price.amount
        : events.filter((e) => e.kind === 'price_protection').reduce((sum, e) => sum + (e.amount?.amount ?? 0), 0);
    return { ...order, events, refundedTotal: { amount: refunded, currency: order.price.currency } };
  }

  ofStudent(studentId: string): Promise<OrderRecord[]> {
    return this.orders.ofStudent(studentId);
  }

  list(filter: { cohortId?: string; status?: OrderRecord['status'] }, limit: number, after?: string) {
    return this.orders.listPage(filter, limit, after);
  }

  /**
   * Records a payment (staff for an offline one, or the provider's webhook). The first call pays
   * the order: the buyer gets their place in the paid cohort and a receipt; any later call
   * returns the order as it is.
   */
  async confirmPayment(orderId: string, payment: { reference: string; by: string }): Promise<OrderRecord> {
    const order = await this.get(orderId);
    if (order.status === 'refunded') {
      throw new DomainError('conflict', 'order_refunded', `Order ${order.reference} was refunded`);
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
    if (!won) return this.get(orderId);
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
    return this.get(orderId);
  }

  /** Refunds a paid order once: the paid place is given back and commissions are reversed. */
  async refund(orderId: string, by: string): Promise<OrderRecord> {
    const order = await this.get(orderId);
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
    if (!won) return this.get(orderId);
    await this.orders.update(orderId, { status: 'refunded', refundedAt: now });
    if (order.paidEnrollmentId) await this.enrollments.withdraw(order.paidEnrollmentId);
    const buyer = await this.enrollments.find(order.enrollmentId);
    const cohort = await this.cohorts.find(order.cohortId);
    await this.outbox.enqueue([
      this.messages.refunded(buyer, cohort, order, { key: `${orderId}:full`, amount: order.price, full: true }),
    ]);
    await this.events.emit('order.refunded', { orderId });
    return this.get(orderId);
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
    const { cohort, version } = await this.prices.pinned(enrollment.cohortId);
    const days = version.offer.priceProtectionDays ?? 0;
    const now = this.clock.now();
    const current = await this.prices.priceOf(enrollment);
    for (const order of paid) {
      if (!order.paidAt || now.getTime() > order.paidAt.getTime() + days * DAY_MS) continue;
      for (const refund of protectionRefunds(this.prices.ladderOf(version), order.tier, current.tier)) {
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

  paidInCohorts(cohortIds: string[]): Promise<OrderRecord[]> {
    return this.orders.paidInCohorts(cohortIds);
  }

  /** An offer page was opened (for the funnel report). */
  offerOpened(enrollmentId: string, cohortId: string): Promise<void> {
    return this.orders.recordOfferView(enrollmentId, cohortId, this.clock.now());
  }

  countPaidReferred(referrerStudentId: string, since?: Date): Promise<number> {
    return this.orders.countPaidReferred(referrerStudentId, since);
  }

  cohortFigures(cohortId: string) {
    return this.orders.cohortFigures(cohortId);
  }
}

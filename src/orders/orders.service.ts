import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';
import { OrganizationScopes } from '../auth/organization-scope';
import { CohortsService } from '../cohorts/cohorts.service';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { PriceService } from '../pricing/price.service';
import { ReferralsService } from '../referrals/referrals.service';
import { cursorPage, CursorPage } from '../common/cursor-page.query';
import { Money } from '../common/money';
import { SeatAlreadyPaidError } from './orders.errors';
import { OrderEventRecord, OrderRecord, OrdersRepository } from './orders.repository';

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
 * Orders from quotes, and what others read of them. Payments and refunds are
 * OrderPaymentsService's; price-difference refunds are PriceProtectionService's.
 */
@Injectable()
export class OrdersService implements OnModuleInit {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly prices: PriceService,
    private readonly cohorts: CohortsService,
    private readonly referrals: ReferralsService,
    private readonly scopes: OrganizationScopes,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onModuleInit(): void {
    this.scopes.register('order', async (id) => {
      const order = await this.orders.find(id);
      return order ? (await this.cohorts.find(order.cohortId, ALL_ORGANIZATIONS)).organizationId : undefined;
    });
  }

  /** An order at a quote's locked price; ordering the same quote again returns the same order. */
  /**
   * Orders the course at a quote's price. A seat has one open order: ordering again, with this or
   * any other quote, returns it (`created: false`); a seat already paid for is refused.
   */
  async place(
    studentId: string,
    quoteId: string,
  ): Promise<{ order: OrderRecord; payment: PaymentInstructions; created: boolean }> {
    const quote = await this.prices.validQuote(quoteId, studentId);
    const referral = await this.referrals.of(quote.enrollmentId);
    const { order, created } = await this.orders.insertForQuote({
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
    if (order.status === 'paid') throw new SeatAlreadyPaidError(order);
    return { order, payment: this.paymentInstructions(order), created };
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

  /** An order; one in a cohort outside the tenancy does not exist for the caller. */
  async get(orderId: string, tenancy: Tenancy): Promise<OrderRecord> {
    const order = await this.orders.find(orderId);
    if (!order || !(await this.cohorts.within(order.cohortId, tenancy))) throw new NotFoundError('order', orderId);
    return order;
  }

  async view(orderId: string, tenancy: Tenancy): Promise<OrderView> {
    const order = await this.get(orderId, tenancy);
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

  /** A page of orders; partner staff list one of their cohorts' at a time. */
  async list(
    filter: { cohortId?: string; status?: OrderRecord['status'] },
    tenancy: Tenancy,
    limit: number,
    after?: string,
  ): Promise<CursorPage<OrderRecord>> {
    await this.cohorts.narrowTo(filter.cohortId, tenancy);
    return cursorPage(await this.orders.listPage(filter, limit, after), limit);
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

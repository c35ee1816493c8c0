import { Get, Header, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { Clock } from '../common/clock';
import { formatMoney, formatPrice } from '../common/money';
import { renderMarkdown } from '../common/safe-html';
import { ObjectIdParam } from '../common/object-id.param';
import { StudentMessages } from '../messages/student-messages';
import { EnrollmentsService } from '../enrollments/enrollments.service';
import { PageController } from '../pages/page-controller.decorator';
import { PAGE_TEXT } from '../pages/page-text';
import { PageRenderer } from '../pages/page.renderer';
import { PriceService } from '../pricing/price.service';
import { ReferralsService } from '../referrals/referrals.service';
import { formatLocal } from '../schedule/schedule.rules';
import { OrdersService } from './orders.service';
import { SeatAlreadyPaidError } from './orders.errors';

/** The page behind the offer mail's link: the student's price, their referrals, and checkout. */
@PageController('')
@StudentLink('offer')
export class OfferPagesController {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly prices: PriceService,
    private readonly referrals: ReferralsService,
    private readonly orders: OrdersService,
    private readonly messages: StudentMessages,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  @Get('o/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async show(@Param() { id }: ObjectIdParam, @CurrentStudent() me: StudentPrincipal): Promise<string> {
    const enrollment = await this.enrollments.ownEnrollment(id, me.studentId);
    await this.orders.offerOpened(enrollment.id, enrollment.cohortId);
    const pinned = await this.prices.pinned(enrollment.cohortId);
    const { cohort } = pinned;
    const price = await this.prices.priceOf(enrollment, pinned);
    const { shareUrl } = await this.referrals.shareLinkFor(this.enrollments.referralParty(enrollment, cohort));
    const paid = (await this.orders.ofStudent(me.studentId)).find(
      (o) => o.enrollmentId === enrollment.id && o.status === 'paid',
    );
    const locale = enrollment.locale;
    const text = PAGE_TEXT[locale].offer;
    const money = (m: Parameters<typeof formatPrice>[0]) => formatPrice(m, locale);
    const zone = enrollment.timezone ?? cohort.timezone;
    return this.pages.offer(locale, {
      cohort: cohort.name,
      title: price.courseName,
      descriptionHtml: price.courseDescription ? renderMarkdown(price.courseDescription) : '',
      priceLine: text.price(
        money(price.price),
        price.price.amount < price.listPrice.amount ? money(price.listPrice) : null,
      ),
      deadline: text.deadline(formatLocal(price.offerDeadlineAt, zone)),
      referralLine: text.referrals(
        price.qualifiedReferrals,
        price.next && { needed: price.next.referralsNeeded, price: money(price.next.price) },
      ),
      shareUrl,
      paidOrder: paid ? text.paid(paid.reference) : null,
      canBuy: enrollment.status === 'confirmed' && this.clock.now() < price.offerDeadlineAt,
      // Relative, so the signed token in this page's query carries over to the form's POST.
      action: `${id}/checkout${this.tokenQuery(enrollment)}`,
      text,
    });
  }

  /** Buys at the current price: a quote locks it, the order is made, the page says how to pay. */
  @Post('o/:id/checkout')
  @HttpCode(HttpStatus.OK)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async checkout(@Param() { id }: ObjectIdParam, @CurrentStudent() me: StudentPrincipal): Promise<string> {
    const enrollment = await this.enrollments.ownEnrollment(id, me.studentId);
    const quote = await this.prices.quote(enrollment);
    const locale = enrollment.locale;
    const text = PAGE_TEXT[locale].offer;
    const placed = await this.orders.place(me.studentId, quote.id).catch((error: unknown) => {
      if (error instanceof SeatAlreadyPaidError) return error.paidOrder;
      throw error;
    });
    // Bought already (a second tab, or the back button after paying): say so, charge nothing.
    if (!('payment' in placed))
      return this.pages.message(locale, {
        title: text.orderTitle(placed.reference),
        paragraphs: [text.paid(placed.reference)],
      });
    const { order, payment } = placed;
    const amount = formatMoney(payment.amount, locale);
    return this.pages.message(locale, {
      title: text.orderTitle(order.reference),
      paragraphs: [payment.checkoutUrl ? text.payOnline(amount) : text.payManual(amount, order.reference)],
      ...(payment.checkoutUrl ? { link: { href: payment.checkoutUrl, label: text.payButton } } : {}),
    });
  }

  /** A fresh offer link's query for the checkout form (the page's own token may be near expiry). */
  private tokenQuery(enrollment: { id: string; studentId: string }): string {
    return new URL(this.messages.offerUrl(enrollment)).search;
  }
}

import { Body, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentTenancy, ScopedBy, ScopedByQuery, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import type { Response } from 'express';
import {
  CurrentStaff,
  CurrentStudent,
  PublicRoute,
  Staff,
  StaffPrincipal,
  StudentLink,
  StudentPrincipal,
} from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { CursorPage } from '../common/cursor-page.query';
import { ObjectIdParam } from '../common/object-id.param';
import { ConfirmPaymentDto, OrdersQuery, PaymentWebhookDto, PlaceOrderDto } from './dto/order.dto';
import { OrderRecord } from './orders.repository';
import { OrderPaymentsService } from './order-payments.service';
import { OrdersService, OrderView, PaymentInstructions } from './orders.service';
import { PaymentWebhookSignatureGuard } from './payment-webhook.guard';
import { PaymentWebhookService } from './payment-webhook.service';
import { ApiBodyExample } from '../http/api-body-example.decorator';

/** The student's own orders, through their signed link. */
@ApiController('api/me/orders', 'orders')
@StudentLink('student', 'offer')
export class MyOrdersController {
  constructor(private readonly orders: OrdersService) {}

  @ApiOperation({
    summary: 'Order the course',
    description:
      "* Orders the course at a quote's locked price: 201 with a new order, 200 with the seat's open order when there is one (whatever the quote), 409 when the seat is paid for.",
  })
  @Post()
  @ApiBodyExample(PlaceOrderDto, 'Order at the locked quote', { quoteId: '6650a1b2c3d4e5f6a7b8c9d1' })
  async place(
    @Body() { quoteId }: PlaceOrderDto,
    @CurrentStudent() me: StudentPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ order: OrderRecord; payment: PaymentInstructions }> {
    const { order, payment, created } = await this.orders.place(me.studentId, quoteId);
    if (!created) response.status(HttpStatus.OK);
    return { order, payment };
  }

  @ApiOperation({ summary: 'My orders', description: "The student's orders with their status (open, paid, refunded)." })
  @Get()
  mine(@CurrentStudent() me: StudentPrincipal): Promise<OrderRecord[]> {
    return this.orders.ofStudent(me.studentId);
  }
}

/** Orders for staff: confirm offline payments, refund. */
@ApiController('api/orders', 'orders')
@Staff('instructor', 'partner')
@ScopedBy('order')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly payments: OrderPaymentsService,
  ) {}

  @ApiOperation({
    summary: 'List orders',
    description: 'Orders a page at a time, filtered by `cohortId` and `status`.',
  })
  @Get()
  @ScopedByQuery('cohort', 'cohortId')
  list(@Query() query: OrdersQuery, @CurrentTenancy() tenancy: Tenancy): Promise<CursorPage<OrderRecord>> {
    return this.orders.list(
      { ...(query.cohortId ? { cohortId: query.cohortId } : {}), ...(query.status ? { status: query.status } : {}) },
      tenancy,
      query.limit ?? 50,
      query.after,
    );
  }

  @ApiOperation({
    summary: 'Get an order',
    description: 'The order with its events (payment, refunds, price-protection differences).',
  })
  @Get(':id')
  get(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<OrderView> {
    return this.orders.view(id, tenancy);
  }

  @ApiOperation({
    summary: 'Record an offline payment',
    description: 'Records an offline payment (the `manual` provider); recording it again changes nothing.',
  })
  @Post(':id/payments')
  @HttpCode(200)
  pay(
    @Param() { id }: ObjectIdParam,
    @Body() { reference }: ConfirmPaymentDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<OrderRecord> {
    return this.payments.confirmPayment(id, { reference, by: staff.tokenId }, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Refund an order',
    description:
      "Refunds a paid order: the buyer's place in the paid cohort is withdrawn, commissions and license shares are reversed.",
  })
  @Post(':id/refund')
  @HttpCode(200)
  refund(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<OrderRecord> {
    return this.payments.refund(id, staff.tokenId, tenancyOf(staff));
  }
}

/** Where the payment provider calls back (`webhook` provider), signed with the shared secret. */
@ApiController('api/payments', 'orders')
export class PaymentsWebhookController {
  constructor(private readonly webhook: PaymentWebhookService) {}

  @ApiOperation({
    summary: 'Payment provider webhook',
    description:
      'Called by the payment provider, signed with `PAYMENT_WEBHOOK_SECRET` (HMAC-SHA256 of the timestamp and the raw body). Idempotent per provider event id: a replay changes nothing.',
  })
  @Post('webhook')
  @PublicRoute()
  @UseGuards(PaymentWebhookSignatureGuard)
  @HttpCode(200)
  receive(@Body() event: PaymentWebhookDto) {
    return this.webhook.handle(event);
  }
}

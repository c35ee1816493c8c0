import { Body, Get, HttpCode, HttpStatus, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
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

/** The student's own orders, through their signed link. */
@ApiController('api/me/orders', 'orders')
@StudentLink('student', 'offer')
export class MyOrdersController {
  constructor(private readonly orders: OrdersService) {}

  /**
   * Orders the course at a quote's locked price: 201 with a new order, 200 with the seat's open
   * order when there is one (whatever the quote), 409 when the seat is paid for.
   */
  @Post()
  async place(
    @Body() { quoteId }: PlaceOrderDto,
    @CurrentStudent() me: StudentPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ order: OrderRecord; payment: PaymentInstructions }> {
    const { order, payment, created } = await this.orders.place(me.studentId, quoteId);
    if (!created) response.status(HttpStatus.OK);
    return { order, payment };
  }

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

  /** The order with its events (payment, refunds, price-protection differences). */
  @Get(':id')
  get(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<OrderView> {
    return this.orders.view(id, tenancy);
  }

  /** Records an offline payment (the `manual` provider); recording it again changes nothing. */
  @Post(':id/payments')
  @HttpCode(200)
  pay(
    @Param() { id }: ObjectIdParam,
    @Body() { reference }: ConfirmPaymentDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<OrderRecord> {
    return this.payments.confirmPayment(id, { reference, by: staff.tokenId }, tenancyOf(staff));
  }

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

  @Post('webhook')
  @PublicRoute()
  @UseGuards(PaymentWebhookSignatureGuard)
  @HttpCode(200)
  receive(@Body() event: PaymentWebhookDto) {
    return this.webhook.handle(event);
  }
}

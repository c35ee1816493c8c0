import { MessagesModule } from '../messages/messages.module';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PagesModule } from '../pages/pages.module';
import { PricingModule } from '../pricing/pricing.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { OfferPagesController } from './offer-pages.controller';
import { OfferView, OfferViewSchema, Order, OrderEvent, OrderEventSchema, OrderSchema } from './order.schema';
import { MyOrdersController, OrdersController, PaymentsWebhookController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrderPaymentsService } from './order-payments.service';
import { OrdersService } from './orders.service';
import { PriceProtectionService } from './price-protection.service';
import { PaymentWebhookService } from './payment-webhook.service';

/** Purchase of the paid course: orders from quotes, payments, refunds, price protection, the offer page. */
@Module({
  imports: [
    MessagesModule,
    MongooseModule.forFeature(
      [
        { name: Order.name, schema: OrderSchema },
        { name: OrderEvent.name, schema: OrderEventSchema },
        { name: OfferView.name, schema: OfferViewSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    CohortsModule,
    EnrollmentsModule,
    OutboxModule,
    PagesModule,
    PricingModule,
    ReferralsModule,
  ],
  controllers: [MyOrdersController, OrdersController, PaymentsWebhookController, OfferPagesController],
  providers: [OrdersRepository, OrdersService, OrderPaymentsService, PriceProtectionService, PaymentWebhookService],
  exports: [OrdersService, OrderPaymentsService],
})
export class OrdersModule {}

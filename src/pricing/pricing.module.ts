import { MessagesModule } from '../messages/messages.module';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttendanceModule } from '../attendance/attendance.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { FunnelsModule } from '../funnels/funnels.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { MePricingController } from './me-pricing.controller';
import { PriceService } from './price.service';
import { Quote, QuoteSchema } from './quote.schema';
import { QuotesRepository } from './quotes.repository';
import { ReferralProgress } from './referral-progress.service';

/** The price ladder: referral qualification, each student's price, and quotes that lock it. */
@Module({
  imports: [
    MessagesModule,
    MongooseModule.forFeature([{ name: Quote.name, schema: QuoteSchema }], COURSE_FUNNEL_CONNECTION),
    AttendanceModule,
    CohortsModule,
    EnrollmentsModule,
    FunnelsModule,
    OutboxModule,
    ReferralsModule,
  ],
  controllers: [MePricingController],
  providers: [PriceService, QuotesRepository, ReferralProgress],
  exports: [PriceService],
})
export class PricingModule {}

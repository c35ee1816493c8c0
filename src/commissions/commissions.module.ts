import { MessagesModule } from '../messages/messages.module';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { JobsModule } from '../jobs/jobs.module';
import { OrdersModule } from '../orders/orders.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ReferralsModule } from '../referrals/referrals.module';
import {
  Commission,
  CommissionSchema,
  CommissionSettlement,
  CommissionSettlementSchema,
  LevelChange,
  LevelChangeSchema,
  StudentLevel,
  StudentLevelSchema,
} from './commission.schema';
import { CommissionsController, LevelsController, MyCommissionsController } from './commissions.controller';
import { CommissionsRepository } from './commissions.repository';
import { CommissionsService } from './commissions.service';
import { LevelReviewScheduler } from './level-review.scheduler';
import { LevelsService } from './levels.service';

/** The promotion ladder (member, agent, partner) and the commission ledger on paid orders. */
@Module({
  imports: [
    MessagesModule,
    MongooseModule.forFeature(
      [
        { name: Commission.name, schema: CommissionSchema },
        { name: CommissionSettlement.name, schema: CommissionSettlementSchema },
        { name: StudentLevel.name, schema: StudentLevelSchema },
        { name: LevelChange.name, schema: LevelChangeSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    CohortsModule,
    EnrollmentsModule,
    JobsModule,
    OrdersModule,
    OutboxModule,
    ReferralsModule,
  ],
  controllers: [MyCommissionsController, CommissionsController, LevelsController],
  providers: [CommissionsRepository, CommissionsService, LevelsService, LevelReviewScheduler],
  exports: [CommissionsService, LevelsService],
})
export class CommissionsModule {}

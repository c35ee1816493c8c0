import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelsModule } from '../channels/channels.module';
import { AttendanceModule } from '../attendance/attendance.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { JobsModule } from '../jobs/jobs.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { ReleasesModule } from '../releases/releases.module';
import { Fanout, FanoutSchema } from './fanout.schema';
import { FanoutScheduler } from './fanout.scheduler';
import { FanoutService } from './fanout.service';
import { FanoutsRepository } from './fanouts.repository';

/** The scheduler tick that writes every due lesson, reminder, nudge, offer and notice to the outbox. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: Fanout.name, schema: FanoutSchema }], COURSE_FUNNEL_CONNECTION),
    CohortsModule,
    EnrollmentsModule,
    JobsModule,
    OutboxModule,
    ReleasesModule,
    AttendanceModule,
    ReferralsModule,
    ChannelsModule,
  ],
  providers: [FanoutsRepository, FanoutService, FanoutScheduler],
  exports: [FanoutService, FanoutScheduler],
})
export class FanoutModule {}

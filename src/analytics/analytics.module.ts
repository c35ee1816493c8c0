import { Module } from '@nestjs/common';
import { AttendanceModule } from '../attendance/attendance.module';
import { CohortsModule } from '../cohorts/cohorts.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { HomeworkModule } from '../homework/homework.module';
import { NotesModule } from '../notes/notes.module';
import { OrdersModule } from '../orders/orders.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { FunnelReportController } from './funnel-report.controller';
import { FunnelReportService } from './funnel-report.service';

/** Reports across features: the funnel of a cohort from sign-up to payment. */
@Module({
  imports: [
    AttendanceModule,
    CohortsModule,
    EnrollmentsModule,
    HomeworkModule,
    NotesModule,
    OrdersModule,
    ReferralsModule,
  ],
  controllers: [FunnelReportController],
  providers: [FunnelReportService],
  exports: [FunnelReportService],
})
export class AnalyticsModule {}

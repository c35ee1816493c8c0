import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { FunnelsModule } from '../funnels/funnels.module';
import { AttendanceController } from './attendance.controller';
import { AttendanceRepository } from './attendance.repository';
import {
  AttendanceEvent,
  AttendanceEventSchema,
  AttendanceMark,
  AttendanceMarkSchema,
  ExcuseRequest,
  ExcuseRequestSchema,
} from './attendance.schema';
import { AttendanceService } from './attendance.service';
import { AttendanceReports } from './attendance-reports.service';

@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: AttendanceEvent.name, schema: AttendanceEventSchema },
        { name: AttendanceMark.name, schema: AttendanceMarkSchema },
        { name: ExcuseRequest.name, schema: ExcuseRequestSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    CohortsModule,
    EnrollmentsModule,
    FunnelsModule,
  ],
  controllers: [AttendanceController],
  providers: [AttendanceRepository, AttendanceService, AttendanceReports],
  exports: [AttendanceService, AttendanceReports],
})
export class AttendanceModule {}

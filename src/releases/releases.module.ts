import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { FunnelsModule } from '../funnels/funnels.module';
import { JobsModule } from '../jobs/jobs.module';
import { MessagesModule } from '../messages/messages.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PagesModule } from '../pages/pages.module';
import { StudentsModule } from '../students/students.module';
import { Fanout, FanoutSchema } from './fanout.schema';
import { FanoutsRepository } from './fanouts.repository';
import { LessonPagesController } from './lesson-pages.controller';
import { ReleaseScheduler } from './release.scheduler';
import { ReleasesService } from './releases.service';
import { LessonPagesService } from './lesson-pages.service';
import { StudentLessonsController } from './student-lessons.controller';
import { AttendanceModule } from '../attendance/attendance.module';
import { HomeworkModule } from '../homework/homework.module';
import { PricingModule } from '../pricing/pricing.module';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Fanout.name, schema: FanoutSchema }], COURSE_FUNNEL_CONNECTION),
    CohortsModule,
    EnrollmentsModule,
    FunnelsModule,
    JobsModule,
    MessagesModule,
    OutboxModule,
    PagesModule,
    StudentsModule,
    AttendanceModule,
    HomeworkModule,
    PricingModule,
  ],
  controllers: [LessonPagesController, StudentLessonsController],
  providers: [FanoutsRepository, ReleasesService, ReleaseScheduler, LessonPagesService],
  exports: [ReleasesService, ReleaseScheduler],
})
export class ReleasesModule {}

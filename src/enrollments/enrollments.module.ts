import { Module } from '@nestjs/common';
import { ReferralsModule } from '../referrals/referrals.module';
import { MongooseModule } from '@nestjs/mongoose';
import { CohortsModule } from '../cohorts/cohorts.module';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { StudentsModule } from '../students/students.module';
import { FunnelsModule } from '../funnels/funnels.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PagesModule } from '../pages/pages.module';
import { StudentPagesController } from './student-pages.controller';
import { Enrollment, EnrollmentSchema } from './enrollment.schema';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsRepository } from './enrollments.repository';
import { EnrollmentsService } from './enrollments.service';
import { StudentLessons } from './student-lessons.service';
import { EnrollmentConfirmations } from './enrollment-confirmations.service';
import { EnrollmentImportService } from './enrollment-import.service';
import { MessagesModule } from '../messages/messages.module';
import { ReleasesModule } from '../releases/releases.module';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Enrollment.name, schema: EnrollmentSchema }], COURSE_FUNNEL_CONNECTION),
    CohortsModule,
    StudentsModule,
    FunnelsModule,
    OutboxModule,
    PagesModule,
    ReferralsModule,
    MessagesModule,
    ReleasesModule,
  ],
  controllers: [EnrollmentsController, StudentPagesController],
  providers: [
    EnrollmentsRepository,
    EnrollmentsService,
    EnrollmentConfirmations,
    EnrollmentImportService,
    StudentLessons,
  ],
  exports: [EnrollmentsService, EnrollmentConfirmations, EnrollmentImportService, StudentLessons],
})
export class EnrollmentsModule {}

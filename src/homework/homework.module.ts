import { MessagesModule } from '../messages/messages.module';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { CohortsModule } from '../cohorts/cohorts.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { FunnelsModule } from '../funnels/funnels.module';
import { GradingAssignmentsController } from './grading-assignments.controller';
import { GradingAssignmentsService } from './grading-assignments.service';
import { OutboxModule } from '../outbox/outbox.module';
import { HomeworkController } from './homework.controller';
import { HomeworkRepository } from './homework.repository';
import {
  GradingAssignmentDoc,
  GradingAssignmentSchema,
  HomeworkGrade,
  HomeworkGradeSchema,
  HomeworkReview,
  HomeworkReviewSchema,
  HomeworkSubmission,
  HomeworkSubmissionSchema,
} from './homework.schema';
import { HomeworkService } from './homework.service';

@Module({
  imports: [
    MessagesModule,
    MongooseModule.forFeature(
      [
        { name: HomeworkSubmission.name, schema: HomeworkSubmissionSchema },
        { name: HomeworkGrade.name, schema: HomeworkGradeSchema },
        { name: HomeworkReview.name, schema: HomeworkReviewSchema },
        { name: GradingAssignmentDoc.name, schema: GradingAssignmentSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    CohortsModule,
    EnrollmentsModule,
    FunnelsModule,
    OutboxModule,
  ],
  controllers: [HomeworkController, GradingAssignmentsController],
  providers: [HomeworkRepository, HomeworkService, GradingAssignmentsService],
  exports: [HomeworkService],
})
export class HomeworkModule {}

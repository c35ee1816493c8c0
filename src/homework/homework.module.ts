import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { OutboxModule } from '../outbox/outbox.module';
import { HomeworkController } from './homework.controller';
import { HomeworkRepository } from './homework.repository';
import { HomeworkGrade, HomeworkGradeSchema, HomeworkSubmission, HomeworkSubmissionSchema } from './homework.schema';
import { HomeworkService } from './homework.service';

@Module({
  imports: [
    MongooseModule.forFeature(
      [
        { name: HomeworkSubmission.name, schema: HomeworkSubmissionSchema },
        { name: HomeworkGrade.name, schema: HomeworkGradeSchema },
      ],
      COURSE_FUNNEL_CONNECTION,
    ),
    EnrollmentsModule,
    OutboxModule,
  ],
  controllers: [HomeworkController],
  providers: [HomeworkRepository, HomeworkService],
  exports: [HomeworkService],
})
export class HomeworkModule {}

import { Module } from '@nestjs/common';
import { AttendanceModule } from '../attendance/attendance.module';
import { EnrollmentsModule } from '../enrollments/enrollments.module';
import { HomeworkModule } from '../homework/homework.module';
import { MessagesModule } from '../messages/messages.module';
import { NotesModule } from '../notes/notes.module';
import { PagesModule } from '../pages/pages.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { StudentsModule } from '../students/students.module';
import { CalendarFeedController } from './calendar-feed.controller';
import { LessonPagesController } from './lesson-pages.controller';
import { LessonPagesService } from './lesson-pages.service';
import { StudentLessonsController } from './student-lessons.controller';

/** The lesson page behind each lesson mail, and the same actions as an API for the student's link. */
@Module({
  imports: [
    EnrollmentsModule,
    AttendanceModule,
    HomeworkModule,
    MessagesModule,
    NotesModule,
    PagesModule,
    ReferralsModule,
    StudentsModule,
  ],
  controllers: [LessonPagesController, StudentLessonsController, CalendarFeedController],
  providers: [LessonPagesService],
})
export class LessonPagesModule {}

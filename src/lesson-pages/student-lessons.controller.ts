import { Body, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CheckInDto, ExcuseRequestDto } from '../attendance/dto/attendance.dto';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { EnrollmentLessonParams } from '../enrollments/dto/lesson.params';
import { SubmitHomeworkDto } from '../homework/dto/homework.dto';
import { LessonPagesService } from './lesson-pages.service';

/** What the lesson page does, as an API for the student's signed link (apps, tests). */
@ApiController('api/me/enrollments', 'student')
@StudentLink('lesson')
export class StudentLessonsController {
  constructor(private readonly lessons: LessonPagesService) {}

  /** Attendance lesson by lesson, and progress towards completion. */
  @Get(':id/lessons')
  overview(@Param() { id }: ObjectIdParam, @CurrentStudent() me: StudentPrincipal) {
    return this.lessons.overview(id, me.studentId);
  }

  @Post(':id/lessons/:lessonKey/check-in')
  @HttpCode(HttpStatus.OK)
  checkIn(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: CheckInDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.checkIn(id, me.studentId, lessonKey, dto.notes);
  }

  /** Ask in advance to be excused from a class; an instructor decides. */
  @Post(':id/lessons/:lessonKey/excuse')
  @HttpCode(HttpStatus.OK)
  excuse(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: ExcuseRequestDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.requestExcuse(id, me.studentId, lessonKey, dto.reason);
  }

  @Post(':id/lessons/:lessonKey/homework')
  @HttpCode(HttpStatus.OK)
  homework(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: SubmitHomeworkDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.submitHomework(id, me.studentId, lessonKey, { text: dto.text, links: dto.links ?? [] });
  }
}

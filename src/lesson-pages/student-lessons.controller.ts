import { Body, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CheckInDto, ExcuseRequestDto } from '../attendance/dto/attendance.dto';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { EnrollmentLessonParams } from '../enrollments/dto/lesson.params';
import { SubmitHomeworkDto } from '../homework/dto/homework.dto';
import { LessonPagesService } from './lesson-pages.service';
import { ApiBodyExample } from '../http/api-body-example.decorator';

/** What the lesson page does, as an API for the student's signed link (apps, tests). */
@ApiController('api/me/enrollments', 'student')
@StudentLink('lesson')
export class StudentLessonsController {
  constructor(private readonly lessons: LessonPagesService) {}

  @ApiOperation({
    summary: 'My lessons and progress',
    description: 'Attendance lesson by lesson, and progress towards completion.',
  })
  @Get(':id/lessons')
  overview(@Param() { id }: ObjectIdParam, @CurrentStudent() me: StudentPrincipal) {
    return this.lessons.overview(id, me.studentId);
  }

  @ApiOperation({
    summary: 'Check in to a class',
    description:
      'While the check-in window is open (from `checkInOpensBeforeMinutes` before the class): present, or late after `lateAfterMinutes`. Checking in again changes nothing; an optional note is kept.',
  })
  @Post(':id/lessons/:lessonKey/check-in')
  @HttpCode(HttpStatus.OK)
  checkIn(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: CheckInDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.checkIn(id, me.studentId, lessonKey, dto.notes);
  }

  @ApiOperation({
    summary: 'Ask to be excused',
    description: 'Ask in advance to be excused from a class; an instructor decides.',
  })
  @Post(':id/lessons/:lessonKey/excuse')
  @HttpCode(HttpStatus.OK)
  excuse(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: ExcuseRequestDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.requestExcuse(id, me.studentId, lessonKey, dto.reason);
  }

  @ApiOperation({
    summary: 'Hand in homework',
    description:
      "Submits the lesson's homework; resubmitting is allowed until it is graded when the funnel says so. Late work follows the homework's late policy.",
  })
  @Post(':id/lessons/:lessonKey/homework')
  @HttpCode(HttpStatus.OK)
  @ApiBodyExample(SubmitHomeworkDto, 'Class 1’s homework', {
    text: 'Today my son threw his shoes at the door when I said it was time for bed. I raised my voice.',
    links: ['https://example.com/my-notes'],
  })
  homework(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: SubmitHomeworkDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.submitHomework(id, me.studentId, lessonKey, { text: dto.text, links: dto.links ?? [] });
  }
}

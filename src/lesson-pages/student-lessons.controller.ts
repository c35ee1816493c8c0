import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CheckInDto, ExcuseRequestDto } from '../attendance/dto/attendance.dto';
import { CurrentStudent, StudentLink, StudentPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { EnrollmentLessonParams } from '../enrollments/dto/lesson.params';
import { SubmitHomeworkDto } from '../homework/dto/homework.dto';
import { LessonPagesService } from './lesson-pages.service';
import { ApiBodyExample } from '../http/api-body-example.decorator';
import { NotesCursorQuery, ShareNoteDto } from '../notes/dto/notes.dto';

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
      'While the check-in window is open (from `checkInOpensBeforeMinutes` before the class): present, or late after `lateAfterMinutes`. Checking in again changes nothing; an optional note is kept for staff. With `share: true` the note is also shared with the group on the class’s notes wall (up to 1,000 characters, a 400 naming `notes` beyond; 429 past the student’s share limit, and then nothing is recorded); the answer’s `sharedNote` is the student’s shared note, if any.',
  })
  @Post(':id/lessons/:lessonKey/check-in')
  @HttpCode(HttpStatus.OK)
  checkIn(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: CheckInDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.checkIn(id, me.studentId, lessonKey, dto.notes, dto.share === true);
  }

  @ApiOperation({
    summary: 'Share or edit my note for a class',
    description:
      'Shares a note with the group on the class’s notes wall, or edits the one shared (it keeps its place; sharing again after stopping puts it on top). Only after checking in (422 `not_checked_in`). Plain text, line breaks kept, up to 1,000 characters (400 naming `text`); 10 shares or edits an hour per student (429 `too_many_shares`). A note staff hid stays hidden.',
  })
  @Put(':id/lessons/:lessonKey/shared-note')
  @ApiBodyExample(ShareNoteDto, 'A note for the group', {
    text: 'Behaviour is a message.\nI asked what he needed before I answered.',
  })
  shareNote(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Body() dto: ShareNoteDto,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.shareNote(id, me.studentId, lessonKey, dto.text);
  }

  @ApiOperation({
    summary: 'Stop sharing my note for a class',
    description:
      'Takes the note off the wall and drops its text (the check-in’s own note stays). Answers null when there was none.',
  })
  @Delete(':id/lessons/:lessonKey/shared-note')
  withdrawNote(@Param() { id, lessonKey }: EnrollmentLessonParams, @CurrentStudent() me: StudentPrincipal) {
    return this.lessons.withdrawNote(id, me.studentId, lessonKey);
  }

  @ApiOperation({
    summary: 'The notes wall of a class',
    description:
      'Notes classmates shared for this class, newest first, 10 a page (`after`: the previous page’s `next`), each with the first name only; `mine` marks the reader’s own, and the answer’s `mine` is the reader’s own note (hidden ones too). Hidden notes are on no wall.',
  })
  @Get(':id/lessons/:lessonKey/notes')
  wall(
    @Param() { id, lessonKey }: EnrollmentLessonParams,
    @Query() query: NotesCursorQuery,
    @CurrentStudent() me: StudentPrincipal,
  ) {
    return this.lessons.wall(id, me.studentId, lessonKey, query.after);
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

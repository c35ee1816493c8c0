import { Body, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentTenancy, ScopedBy, ScopedByQuery, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { CursorPage } from '../common/cursor-page.query';
import { GradeHomeworkDto, HomeworkIdParam, HomeworkQueueQuery, ReviewGradeDto } from './dto/homework.dto';
import { SubmissionRecord } from './homework.repository';
import { GradeHistoryEntry, HomeworkService } from './homework.service';
import { ApiBodyExample } from '../http/api-body-example.decorator';

/** The instructors' grading queue. */
@ApiController('api/homework', 'homework')
@Staff('instructor', 'partner')
@ScopedBy('homework')
export class HomeworkController {
  constructor(private readonly homework: HomeworkService) {}

  @ApiOperation({
    summary: 'Grading queue',
    description:
      'Submissions a page at a time, filtered by `cohortId`, `lessonKey`, `status` (submitted, in_review, graded) and `flagged` (auto-check).',
  })
  @Get()
  @ScopedByQuery('cohort', 'cohortId')
  queue(@Query() query: HomeworkQueueQuery, @CurrentTenancy() tenancy: Tenancy): Promise<CursorPage<SubmissionRecord>> {
    return this.homework.queue(query, tenancy);
  }

  @ApiOperation({
    summary: 'Get a submission',
    description: 'The submission with its answer, auto-check result, lateness and current grade.',
  })
  @Get(':id')
  get(@Param() { id }: HomeworkIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<SubmissionRecord> {
    return this.homework.get(id, tenancy);
  }

  @ApiOperation({
    summary: 'Grades of a submission',
    description: 'Every grade given, oldest first, with review decisions.',
  })
  @Get(':id/grades')
  grades(@Param() { id }: HomeworkIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<GradeHistoryEntry[]> {
    return this.homework.history(id, tenancy);
  }

  @ApiOperation({
    summary: 'Grade a submission',
    description:
      "* Grades (or regrades) a submission; the student is emailed the result, or, where the lesson's grades are reviewed, once a reviewer approves it.",
  })
  @Put(':id/grade')
  @ApiBodyExample(GradeHomeworkDto, 'A grade against a two-criterion rubric', {
    scores: [
      { key: 'observation', score: 4, feedback: 'A clear, concrete scene.' },
      { key: 'reflection', score: 3 },
    ],
    feedback: 'Good start: next time, note what you felt before you reacted.',
  })
  grade(
    @Param() { id }: HomeworkIdParam,
    @Body() dto: GradeHomeworkDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<SubmissionRecord> {
    return this.homework.grade(id, dto, staff, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Review a grade',
    description: 'Approves the grade waiting for review, or returns it to the graders.',
  })
  @Post(':id/review')
  @HttpCode(200)
  review(
    @Param() { id }: HomeworkIdParam,
    @Body() dto: ReviewGradeDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<SubmissionRecord> {
    return this.homework.review(id, dto, staff, tenancyOf(staff));
  }
}

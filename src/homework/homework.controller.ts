import { Body, Get, Param, Put, Query } from '@nestjs/common';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../common/api-controller.decorator';
import { CursorPage } from '../common/cursor-page.query';
import { GradeHomeworkDto, HomeworkIdParam, HomeworkQueueQuery } from './dto/homework.dto';
import { GradeRecord, SubmissionRecord } from './homework.repository';
import { HomeworkService } from './homework.service';

/** The instructors' grading queue. */
@ApiController('api/homework', 'homework')
@Staff('instructor')
export class HomeworkController {
  constructor(private readonly homework: HomeworkService) {}

  @Get()
  queue(@Query() query: HomeworkQueueQuery): Promise<CursorPage<SubmissionRecord>> {
    return this.homework.queue(query);
  }

  @Get(':id')
  get(@Param() { id }: HomeworkIdParam): Promise<SubmissionRecord> {
    return this.homework.get(id);
  }

  /** Every grade given, oldest first. */
  @Get(':id/grades')
  grades(@Param() { id }: HomeworkIdParam): Promise<GradeRecord[]> {
    return this.homework.history(id);
  }

  /** Grades (or regrades) a submission; the student is emailed the result. */
  @Put(':id/grade')
  grade(
    @Param() { id }: HomeworkIdParam,
    @Body() dto: GradeHomeworkDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<SubmissionRecord> {
    return this.homework.grade(id, dto, staff.tokenId);
  }
}

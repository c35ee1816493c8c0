import { Body, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentTenancy, ScopedBy, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CohortLessonParams, GradingAssignmentDto } from './dto/homework.dto';
import { GradingAssignment } from './grading.rules';
import { GradingAssignmentsService } from './grading-assignments.service';

/** Who grades and who reviews each lesson's homework in a cohort. */
@ApiController('api/cohorts', 'homework')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class GradingAssignmentsController {
  constructor(private readonly homework: GradingAssignmentsService) {}

  @ApiOperation({
    summary: "A cohort's graders per lesson",
    description:
      "Who grades and who reviews each lesson's homework; a lesson without an assignment is graded by any instructor.",
  })
  @Get(':id/grading')
  list(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<GradingAssignment[]> {
    return this.homework.assignments(id, tenancy);
  }

  @ApiOperation({
    summary: "Set a lesson's graders",
    description: "Sets a lesson's graders and reviewers whole; graders' grades wait for review when `reviewRequired`.",
  })
  @Put(':id/grading/:lessonKey')
  assign(
    @Param() { id, lessonKey }: CohortLessonParams,
    @Body() dto: GradingAssignmentDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<GradingAssignment> {
    return this.homework.assign(id, lessonKey, dto, staff.tokenId, tenancyOf(staff));
  }

  @ApiOperation({ summary: "Clear a lesson's graders", description: 'Any instructor grades the lesson again.' })
  @Delete(':id/grading/:lessonKey')
  @HttpCode(204)
  unassign(@Param() { id, lessonKey }: CohortLessonParams, @CurrentTenancy() tenancy: Tenancy): Promise<void> {
    return this.homework.unassign(id, lessonKey, tenancy);
  }
}

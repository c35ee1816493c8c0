import { Injectable } from '@nestjs/common';
import { ApiTokensService } from '../auth/api-tokens.service';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { HomeworkError } from './homework.errors';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';
import { CohortsService } from '../cohorts/cohorts.service';
import { FunnelsService } from '../funnels/funnels.service';
import { GradingAssignmentDto } from './dto/homework.dto';
import { GradingAssignment, gradingAssignmentProblems } from './grading.rules';
import { HomeworkRepository } from './homework.repository';

/** Who grades and who reviews each lesson's homework in a cohort (see grading.rules). */
@Injectable()
export class GradingAssignmentsService {
  constructor(
    private readonly homework: HomeworkRepository,
    private readonly cohorts: CohortsService,
    private readonly funnels: FunnelsService,
    private readonly tokens: ApiTokensService,
    private readonly clock: Clock,
  ) {}

  async assignments(cohortId: string, tenancy: Tenancy): Promise<GradingAssignment[]> {
    await this.cohorts.find(cohortId, tenancy);
    return this.homework.assignments(cohortId);
  }

  /**
   * Assigns a lesson's graders and reviewers (active instructor or admin tokens, or the cohort's
   * partner organisation's own staff) for a lesson of the cohort that sets homework.
   */
  async assign(
    cohortId: string,
    lessonKey: string,
    dto: GradingAssignmentDto,
    by: string,
    tenancy: Tenancy,
  ): Promise<GradingAssignment> {
    const cohort = await this.cohorts.find(cohortId, tenancy);
    const version = await this.funnels.getVersion(cohort.funnelId, cohort.funnelVersion, ALL_ORGANIZATIONS);
    if (!version.lessons.find((l) => l.key === lessonKey)?.homework) {
      throw new NotFoundError('homework_lesson', lessonKey);
    }
    const assignment: GradingAssignment = {
      cohortId,
      lessonKey,
      graders: [...new Set(dto.graders)],
      reviewers: [...new Set(dto.reviewers ?? [])],
      reviewRequired: dto.reviewRequired ?? false,
    };
    const problem = gradingAssignmentProblems(assignment)[0];
    if (problem) throw new HomeworkError('invalid_assignment', problem);
    const people = [...assignment.graders, ...assignment.reviewers];
    const staff = new Map((await this.tokens.active(people)).map((t) => [t.id, t]));
    for (const [field, ids] of [
      ['graders', assignment.graders] as const,
      ['reviewers', assignment.reviewers] as const,
    ]) {
      // Platform instructors grade any cohort; a partner's own staff grade its cohorts.
      const mayGrade = (tokenId: string) => {
        const token = staff.get(tokenId);
        return (
          token?.role === 'instructor' ||
          token?.role === 'admin' ||
          (token?.role === 'partner' && !!cohort.organizationId && token.organizationId === cohort.organizationId)
        );
      };
      const unknown = ids.find((tokenId) => !mayGrade(tokenId));
      if (unknown) {
        throw new HomeworkError(
          'invalid_assignment',
          `${field}: ${unknown} is not an active instructor token (or of this cohort's partner)`,
        );
      }
    }
    return this.homework.putAssignment(assignment, by, this.clock.now());
  }

  async unassign(cohortId: string, lessonKey: string, tenancy: Tenancy): Promise<void> {
    await this.cohorts.find(cohortId, tenancy);
    if (!(await this.homework.removeAssignment(cohortId, lessonKey))) {
      throw new NotFoundError('grading_assignment', `${cohortId}:${lessonKey}`);
    }
  }
}

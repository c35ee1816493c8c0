import { Body, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CurrentTenancy, ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CohortPage, CohortsService, CohortView } from './cohorts.service';
import { CreateCohortDto, RescheduleCohortDto, OpenCohortDto } from './dto/create-cohort.dto';
import { ListCohortsQuery } from './dto/list-cohorts.query';
import { ApiBodyExample } from '../http/api-body-example.decorator';

/** Partner staff reach only their organisation's cohorts (others answer 404). */
@ApiController('api/cohorts', 'cohorts')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  @ApiOperation({
    summary: 'Create a draft cohort',
    description: 'Creates a draft cohort from a funnel template version (partners: from their licensed clones).',
  })
  @Post()
  @ScopedByCaller()
  @ApiBodyExample(CreateCohortDto, 'A cohort starting on a Monday evening in Shanghai', {
    funnelId: '00000000000000000000a3c4',
    name: '三月营 · March cohort',
    startAt: '2027-03-01T20:00:00+08:00',
    timezone: 'Asia/Shanghai',
    capacity: 500,
    reminderMinutesBefore: 30,
  })
  create(@Body() dto: CreateCohortDto, @CurrentStaff() staff: StaffPrincipal): Promise<CohortView> {
    return this.cohorts.create(dto, staff.tokenId, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'List cohorts',
    description:
      "Cohorts oldest first, a page at a time (`limit`, `after`); filter by `funnelId` or `status`. Partners see their organisation's only.",
  })
  @Get()
  @ScopedByCaller()
  list(@Query() query: ListCohortsQuery, @CurrentStaff() staff: StaffPrincipal): Promise<CohortPage> {
    return this.cohorts.list(query, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Get a cohort with its schedule',
    description:
      "The cohort and its lessons, each with its release time in UTC and in the cohort's timezone (`local`).",
  })
  @Get(':id')
  get(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<CohortView> {
    return this.cohorts.get(id, tenancy);
  }

  @ApiOperation({
    summary: 'Open sign-ups',
    description:
      'Moves a draft cohort to `open`. With `catchUp`, a start already past releases the classes due so far to each student as one catch-up mail. A licensed cohort opens only while its license is in force.',
  })
  @Post(':id/open')
  @HttpCode(HttpStatus.OK)
  open(
    @Param() { id }: ObjectIdParam,
    @Body() dto: OpenCohortDto,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<CohortView> {
    return this.cohorts.open(id, dto.catchUp ?? false, tenancy);
  }

  @ApiOperation({
    summary: 'Move the start',
    description:
      'Recomputes every class from the pinned funnel version. Students confirmed before the move get one "new times" mail with the new schedule and an .ics; the same start again changes nothing.',
  })
  @Post(':id/reschedule')
  @HttpCode(HttpStatus.OK)
  reschedule(
    @Param() { id }: ObjectIdParam,
    @Body() dto: RescheduleCohortDto,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<CohortView> {
    return this.cohorts.reschedule(id, dto.startAt, dto.catchUp ?? false, tenancy);
  }

  @ApiOperation({
    summary: 'Cancel a cohort',
    description:
      'Stops every message of the cohort not yet sent, at once; enrolled students then get a cancellation notice.',
  })
  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  cancel(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<CohortView> {
    return this.cohorts.cancel(id, tenancy);
  }
}

import { Body, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CurrentTenancy, ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { CohortPage, CohortsService, CohortView } from './cohorts.service';
import { CreateCohortDto, RescheduleCohortDto, OpenCohortDto } from './dto/create-cohort.dto';
import { ListCohortsQuery } from './dto/list-cohorts.query';

/** Partner staff reach only their organisation's cohorts (others answer 404). */
@ApiController('api/cohorts', 'cohorts')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  /** Creates a draft cohort from a funnel template version (partners: from their licensed clones). */
  @Post()
  @ScopedByCaller()
  create(@Body() dto: CreateCohortDto, @CurrentStaff() staff: StaffPrincipal): Promise<CohortView> {
    return this.cohorts.create(dto, staff.tokenId, tenancyOf(staff));
  }

  @Get()
  @ScopedByCaller()
  list(@Query() query: ListCohortsQuery, @CurrentStaff() staff: StaffPrincipal): Promise<CohortPage> {
    return this.cohorts.list(query, tenancyOf(staff));
  }

  @Get(':id')
  get(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<CohortView> {
    return this.cohorts.get(id, tenancy);
  }

  @Post(':id/open')
  @HttpCode(HttpStatus.OK)
  open(
    @Param() { id }: ObjectIdParam,
    @Body() dto: OpenCohortDto,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<CohortView> {
    return this.cohorts.open(id, dto.catchUp ?? false, tenancy);
  }

  @Post(':id/reschedule')
  @HttpCode(HttpStatus.OK)
  reschedule(
    @Param() { id }: ObjectIdParam,
    @Body() dto: RescheduleCohortDto,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<CohortView> {
    return this.cohorts.reschedule(id, dto.startAt, dto.catchUp ?? false, tenancy);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  cancel(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<CohortView> {
    return this.cohorts.cancel(id, tenancy);
  }
}

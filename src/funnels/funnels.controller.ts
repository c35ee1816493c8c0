import { Body, Get, Param, Post } from '@nestjs/common';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CurrentTenancy, ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { FunnelContentDto } from './dto/funnel-content.dto';
import { FunnelVersionParam } from './dto/funnel-version.param';
import { FunnelsService, FunnelView } from './funnels.service';
import { FunnelSummary, FunnelVersionRecord } from './funnels.repository';

/** Funnel templates. Partner staff see and edit only their organisation's (licensed clones). */
@ApiController('api/funnels', 'funnels')
@Staff('instructor', 'partner')
export class FunnelsController {
  constructor(private readonly funnels: FunnelsService) {}

  /** A platform funnel; partners get theirs by cloning a license (POST /api/licenses/:id/clone). */
  @Post()
  @Staff('instructor')
  create(@Body() dto: FunnelContentDto, @CurrentStaff() staff: StaffPrincipal): Promise<FunnelView> {
    return this.funnels.create(dto, staff.tokenId);
  }

  @Get()
  @ScopedByCaller()
  list(@CurrentStaff() staff: StaffPrincipal): Promise<FunnelSummary[]> {
    return this.funnels.list(tenancyOf(staff));
  }

  /** The funnel with its latest version. */
  @Get(':id')
  @ScopedBy('funnel')
  get(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<FunnelView> {
    return this.funnels.get(id, tenancy);
  }

  /** Saves edited content as the next version; cohorts keep the version they were created from. */
  @Post(':id/versions')
  @ScopedBy('funnel')
  addVersion(
    @Param() { id }: ObjectIdParam,
    @Body() dto: FunnelContentDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<FunnelVersionRecord> {
    return this.funnels.addVersion(id, dto, staff.tokenId, tenancyOf(staff));
  }

  @Get(':id/versions/:version')
  @ScopedBy('funnel')
  getVersion(
    @Param() { id, version }: FunnelVersionParam,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<FunnelVersionRecord> {
    return this.funnels.getVersion(id, version, tenancy);
  }
}

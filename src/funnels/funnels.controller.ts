import { Body, Get, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { CurrentTenancy, ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { FunnelContentDto } from './dto/funnel-content.dto';
import { FunnelVersionParam } from './dto/funnel-version.param';
import { FunnelsService, FunnelView } from './funnels.service';
import { FunnelSummary, FunnelVersionRecord } from './funnels.repository';
import { ApiBodyExample } from '../http/api-body-example.decorator';
import { defaultFunnels } from './default-funnels';

/** Funnel templates. Partner staff see and edit only their organisation's (licensed clones). */
@ApiController('api/funnels', 'funnels')
@Staff('instructor', 'partner')
export class FunnelsController {
  constructor(private readonly funnels: FunnelsService) {}

  @ApiOperation({
    summary: 'Create a funnel template',
    description: 'A platform funnel; partners get theirs by cloning a license (POST /api/licenses/:id/clone).',
  })
  @Post()
  @Staff('instructor')
  @ApiBodyExample(FunnelContentDto, 'The seeded "3 + 4" funnel in English', defaultFunnels[1].content)
  create(@Body() dto: FunnelContentDto, @CurrentStaff() staff: StaffPrincipal): Promise<FunnelView> {
    return this.funnels.create(dto, staff.tokenId);
  }

  @ApiOperation({
    summary: 'List funnel templates',
    description: "Summaries (name, latest version, owner); partners see their organisation's clones.",
  })
  @Get()
  @ScopedByCaller()
  list(@CurrentStaff() staff: StaffPrincipal): Promise<FunnelSummary[]> {
    return this.funnels.list(tenancyOf(staff));
  }

  @ApiOperation({ summary: 'Get a funnel template', description: 'The funnel with its latest version.' })
  @Get(':id')
  @ScopedBy('funnel')
  get(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<FunnelView> {
    return this.funnels.get(id, tenancy);
  }

  @ApiOperation({
    summary: 'Save a new version',
    description: 'Saves edited content as the next version; cohorts keep the version they were created from.',
  })
  @Post(':id/versions')
  @ScopedBy('funnel')
  addVersion(
    @Param() { id }: ObjectIdParam,
    @Body() dto: FunnelContentDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<FunnelVersionRecord> {
    return this.funnels.addVersion(id, dto, staff.tokenId, tenancyOf(staff));
  }

  @ApiOperation({
    summary: 'Get one version of a funnel',
    description:
      'The content of that version as cohorts pinned to it run it: lessons, homework, offer and price ladder.',
  })
  @Get(':id/versions/:version')
  @ScopedBy('funnel')
  getVersion(
    @Param() { id, version }: FunnelVersionParam,
    @CurrentTenancy() tenancy: Tenancy,
  ): Promise<FunnelVersionRecord> {
    return this.funnels.getVersion(id, version, tenancy);
  }
}

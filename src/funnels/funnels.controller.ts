import { Body, Get, Param, Post } from '@nestjs/common';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../common/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { FunnelContentDto } from './dto/funnel-content.dto';
import { FunnelVersionParam } from './dto/funnel-version.param';
import { FunnelsService, FunnelView } from './funnels.service';
import { FunnelSummary, FunnelVersionRecord } from './funnels.repository';

@ApiController('api/funnels', 'funnels')
@Staff('instructor')
export class FunnelsController {
  constructor(private readonly funnels: FunnelsService) {}

  @Post()
  create(@Body() dto: FunnelContentDto, @CurrentStaff() staff: StaffPrincipal): Promise<FunnelView> {
    return this.funnels.create(dto, staff.tokenId);
  }

  @Get()
  list(): Promise<FunnelSummary[]> {
    return this.funnels.list();
  }

  /** The funnel with its latest version. */
  @Get(':id')
  get(@Param() { id }: ObjectIdParam): Promise<FunnelView> {
    return this.funnels.get(id);
  }

  /** Saves edited content as the next version; cohorts keep the version they were created from. */
  @Post(':id/versions')
  addVersion(
    @Param() { id }: ObjectIdParam,
    @Body() dto: FunnelContentDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<FunnelVersionRecord> {
    return this.funnels.addVersion(id, dto, staff.tokenId);
  }

  @Get(':id/versions/:version')
  getVersion(@Param() { id, version }: FunnelVersionParam): Promise<FunnelVersionRecord> {
    return this.funnels.getVersion(id, version);
  }
}

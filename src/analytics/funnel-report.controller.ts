import { Get, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentTenancy, ScopedBy } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { Staff } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { ObjectIdParam } from '../common/object-id.param';
import { FunnelReport, FunnelReportService } from './funnel-report.service';

@ApiController('api/cohorts', 'analytics')
@Staff('instructor', 'partner')
@ScopedBy('cohort')
export class FunnelReportController {
  constructor(private readonly reports: FunnelReportService) {}

  @ApiOperation({
    summary: 'Funnel report of a cohort',
    description: "Counts and conversion from each step to the next, and the cohort's referral figures.",
  })
  @Get(':id/funnel')
  funnel(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<FunnelReport> {
    return this.reports.report(id, tenancy);
  }
}

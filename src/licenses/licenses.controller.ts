import { Body, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { CurrentStaff, Staff, StaffPrincipal } from '../auth/access.decorators';
import { ApiController } from '../http/api-controller.decorator';
import { csvDownload } from '../http/csv-download';
import { ObjectIdParam } from '../common/object-id.param';
import { periodOf, StatementPeriodQuery } from '../common/period.query';
import { CurrentTenancy, ScopedBy, ScopedByCaller } from '../auth/organization-scope';
import { Tenancy } from '../common/tenancy';
import { FunnelView } from '../funnels/funnels.service';
import { IssueLicenseDto, PullUpstreamDto, RenewLicenseDto } from './dto/license.dto';
import { LicenseRecord } from './licenses.repository';
import { LicenseClonesService, UpstreamView } from './license-clones.service';
import { LicenseLedgerService, LicenseStatement } from './license-ledger.service';
import { LicensesService } from './licenses.service';

/**
 * Licenses of funnel templates to partner organisations. Admins (or a template's owner) issue
 * them; a partner holding a license that allows it sub-licenses within its territory. Each side
 * sees its own licenses only.
 */
@ApiController('api/licenses', 'licenses')
@Staff('instructor', 'partner')
// Every license read takes the caller: a partner sees the licenses it holds or grants.
@ScopedByCaller()
export class LicensesController {
  constructor(
    private readonly licenses: LicensesService,
    private readonly clones: LicenseClonesService,
    private readonly ledger: LicenseLedgerService,
  ) {}

  @Post()
  issue(@Body() dto: IssueLicenseDto, @CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord> {
    return this.licenses.issue(dto, staff);
  }

  @Get()
  list(@CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord[]> {
    return this.licenses.list(staff);
  }

  @Get(':id')
  get(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord> {
    return this.licenses.get(id, staff);
  }

  @Post(':id/renew')
  @HttpCode(200)
  renew(
    @Param() { id }: ObjectIdParam,
    @Body() dto: RenewLicenseDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<LicenseRecord> {
    return this.licenses.renew(id, dto.endsAt, dto.fee, staff);
  }

  /** Revokes the license (and its sub-licenses): no new cohorts; running ones finish. */
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord> {
    return this.licenses.revoke(id, staff);
  }

  /** The licensee's own copy of the licensed template, which it then localises. */
  @Post(':id/clone')
  clone(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<FunnelView> {
    return this.clones.clone(id, staff);
  }

  /** Sales, revenue shares and fees for a period, reconciled with the orders (JSON or CSV). */
  @Get(':id/statement')
  async statement(
    @Param() { id }: ObjectIdParam,
    @Query() query: StatementPeriodQuery,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<LicenseStatement | StreamableFile> {
    const statement = await this.ledger.statement(id, periodOf(query), staff);
    if (query.format !== 'csv') return statement;
    return csvDownload(`license-${id}.csv`, this.ledger.statementCsv(statement));
  }
}

/** A licensed clone and its licensor's newer versions: see what changed, pull it in item by item. */
@ApiController('api/funnels', 'licenses')
@Staff('instructor', 'partner')
@ScopedBy('funnel')
export class UpstreamController {
  constructor(private readonly clones: LicenseClonesService) {}

  @Get(':id/upstream')
  async changes(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<UpstreamView> {
    const { local: _l, latest: _u, ...view } = await this.clones.upstream(id, tenancy);
    return view;
  }

  @Post(':id/upstream/pull')
  @HttpCode(200)
  pull(
    @Param() { id }: ObjectIdParam,
    @Body() dto: PullUpstreamDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<UpstreamView> {
    return this.clones.pull(id, dto.choices, staff);
  }
}

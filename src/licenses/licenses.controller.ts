import { Body, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
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
import { ApiBodyExample } from '../http/api-body-example.decorator';

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

  @ApiOperation({
    summary: 'Issue a license',
    description:
      "Licenses a funnel template to a partner organisation for a territory and term, with its fee and revenue share: a platform template by an admin or its owner, or a sub-license by the parent license's holder within its territory, term, permissions and bounds. An exclusive overlap with another license of the template is a 409 naming it.",
  })
  @Post()
  @ApiBodyExample(IssueLicenseDto, 'Shenzhen, exclusive, for a year, 20% revenue share', {
    funnelId: '00000000000000000000a3c4',
    licenseeOrganizationId: '6650a1b2c3d4e5f6a7b8c9d2',
    territory: 'CN/44/4403',
    exclusive: true,
    startsAt: '2027-01-01T00:00:00+08:00',
    endsAt: '2028-01-01T00:00:00+08:00',
    fee: { amount: 5000000, currency: 'CNY' },
    revenueShareBasisPoints: 2000,
    priceBounds: { floor: { amount: 4900, currency: 'CNY' }, ceiling: { amount: 29900, currency: 'CNY' } },
    allowedChanges: ['schedule', 'branding', 'messages'],
  })
  issue(@Body() dto: IssueLicenseDto, @CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord> {
    return this.licenses.issue(dto, staff);
  }

  @ApiOperation({
    summary: 'List licenses',
    description: 'Licenses the caller may see: admins all, a partner its own and those it issued.',
  })
  @Get()
  list(@CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord[]> {
    return this.licenses.list(staff);
  }

  @ApiOperation({
    summary: 'Get a license',
    description: 'The license with its territory, term, terms of revenue share and status.',
  })
  @Get(':id')
  get(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord> {
    return this.licenses.get(id, staff);
  }

  @ApiOperation({ summary: 'Renew a license', description: 'Extends the term to `endsAt`, optionally with a new fee.' })
  @Post(':id/renew')
  @HttpCode(200)
  renew(
    @Param() { id }: ObjectIdParam,
    @Body() dto: RenewLicenseDto,
    @CurrentStaff() staff: StaffPrincipal,
  ): Promise<LicenseRecord> {
    return this.licenses.renew(id, dto.endsAt, dto.fee, staff);
  }

  @ApiOperation({
    summary: 'Revoke a license',
    description: 'Revokes the license (and its sub-licenses): no new cohorts; running ones finish.',
  })
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<LicenseRecord> {
    return this.licenses.revoke(id, staff);
  }

  @ApiOperation({
    summary: 'Clone the licensed template',
    description: "The licensee's own copy of the licensed template, which it then localises.",
  })
  @Post(':id/clone')
  clone(@Param() { id }: ObjectIdParam, @CurrentStaff() staff: StaffPrincipal): Promise<FunnelView> {
    return this.clones.clone(id, staff);
  }

  @ApiOperation({
    summary: 'License statement',
    description: 'Sales, revenue shares and fees for a period, reconciled with the orders (JSON or CSV).',
  })
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

  @ApiOperation({
    summary: 'Upstream changes of a clone',
    description:
      "What the licensor changed since the clone's source version, per lesson, offer, name and message wording, each saying whether the partner changed it too.",
  })
  @Get(':id/upstream')
  async changes(@Param() { id }: ObjectIdParam, @CurrentTenancy() tenancy: Tenancy): Promise<UpstreamView> {
    const { local: _l, latest: _u, ...view } = await this.clones.upstream(id, tenancy);
    return view;
  }

  @ApiOperation({
    summary: 'Pull upstream changes',
    description:
      "Takes the licensor's changes into the clone item by item: every change needs a choice (`upstream` or `local`), so nothing is overwritten silently. Saves the next version of the clone.",
  })
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

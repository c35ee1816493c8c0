import { Get, Param, StreamableFile } from '@nestjs/common';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { ObjectIdParam } from '../common/object-id.param';
import { csvDownload } from '../http/csv-download';
import { LicenseClonesService } from '../licenses/license-clones.service';
import { LicenseLedgerService } from '../licenses/license-ledger.service';
import { LicensesService } from '../licenses/licenses.service';
import { PartnersService } from '../partners/partners.service';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

/**
 * Licenses in the console: platform staff see every license on its territory tree, a partner its
 * own; each with its clone, how many upstream changes wait to be pulled, and its statement as CSV.
 */
@ConsoleController('console/licenses')
@ConsoleStaff('instructor', 'partner')
@ScopedByCaller()
export class ConsoleLicensesController {
  constructor(
    private readonly licenses: LicensesService,
    private readonly clones: LicenseClonesService,
    private readonly ledger: LicenseLedgerService,
    private readonly partners: PartnersService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  @Get()
  async list(@Frame() frame: ConsoleFrame): Promise<string> {
    const staff = frame.staff!;
    const tenancy = tenancyOf(staff);
    const [licenses, organizations] = await Promise.all([
      this.licenses.list(staff),
      staff.role === 'partner' ? Promise.resolve([]) : this.partners.list(),
    ]);
    const names = new Map(organizations.map((o) => [o.id, o.name]));
    const rows = await Promise.all(
      // The territory tree: a sub-territory sorts under its parent and is indented by its depth.
      [...licenses]
        .sort((a, b) => a.territory.localeCompare(b.territory))
        .map(async (license) => ({
          ...license,
          depth: license.territory.split('/').length - 1,
          licensee: names.get(license.licenseeOrganizationId) ?? license.licenseeOrganizationId,
          term: `${formatLocal(license.startsAt, 'UTC', frame.locale).slice(0, 10)} – ${formatLocal(license.endsAt, 'UTC', frame.locale).slice(0, 10)}`,
          share: `${license.revenueShareBasisPoints / 100}%`,
          upstream: license.cloneFunnelId
            ? (await this.clones.upstream(license.cloneFunnelId, tenancy)).changes.length
            : null,
        })),
    );
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'licenses', text.licenses.title, 'licenses', { licenses: rows });
  }

  @Get(':id/statement.csv')
  async statementCsv(@Param() { id }: ObjectIdParam, @Frame() frame: ConsoleFrame): Promise<StreamableFile> {
    const statement = await this.ledger.statement(id, {}, frame.staff!);
    return csvDownload(`license-${id}.csv`, this.ledger.statementCsv(statement));
  }
}

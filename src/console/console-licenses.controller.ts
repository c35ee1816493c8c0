import { Body, Get, HttpStatus, Param, Post, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedBy, ScopedByCaller, tenancyOf } from '../auth/organization-scope';
import { PostedForm, textOf } from './console-forms';
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

  /** A clone's upstream changes, each with a choice: the licensor's version, or the partner's own. */
  @Get('upstream/:id')
  @ScopedBy('funnel')
  async upstream(@Param() { id }: ObjectIdParam, @Frame() frame: ConsoleFrame): Promise<string> {
    const view = await this.clones.upstream(id, tenancyOf(frame.staff!));
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'licenses', text.licenses.upstreamTitle, 'upstream', {
      funnelId: id,
      sourceVersion: view.sourceVersion,
      upstreamVersion: view.upstreamVersion,
      // Where the partner edited the item too, keeping their version is the default: nothing of theirs is lost unasked.
      changes: view.changes.map((change) => ({ ...change, keep: change.locallyChanged })),
    });
  }

  @Post('upstream/:id')
  @ScopedBy('funnel')
  async pull(
    @Param() { id }: ObjectIdParam,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ): Promise<void> {
    const view = await this.clones.upstream(id, tenancyOf(frame.staff!));
    const choices = Object.fromEntries(
      view.changes.map(
        (change) => [change.item, textOf(form, `choice.${change.item}`) === 'local' ? 'local' : 'upstream'] as const,
      ),
    );
    await this.clones.pull(id, choices, frame.staff!);
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/funnels/${id}`);
  }
}

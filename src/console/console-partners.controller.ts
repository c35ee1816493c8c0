import { Body, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ObjectIdParam } from '../common/object-id.param';
import { validateDto } from '../common/validation';
import { LicensesService } from '../licenses/licenses.service';
import { CreatePartnerDto, CreatePartnerTokenDto } from '../partners/dto/partner.dto';
import { PartnersService } from '../partners/partners.service';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import { errorsByField, PostedForm, textOf } from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

/**
 * Partner organisations, for admins (as on the API): the list with their licenses, a new
 * organisation, and a staff token for one (shown once, on the page that made it).
 */
@ConsoleController('console/partners')
@ConsoleStaff()
export class ConsolePartnersController {
  constructor(
    private readonly partners: PartnersService,
    private readonly licenses: LicensesService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  @Get()
  async list(@Frame() frame: ConsoleFrame): Promise<string> {
    return this.page(frame, {}, null, null);
  }

  @Post()
  async create(@Body() form: PostedForm, @Res() res: Response, @Frame() frame: ConsoleFrame): Promise<void> {
    const checked = await validateDto(CreatePartnerDto, { name: textOf(form, 'name') });
    if (!checked.ok) {
      res
        .status(HttpStatus.BAD_REQUEST)
        .send(await this.page(frame, errorsByField(checked.fields, ['name']), null, textOf(form, 'name')));
      return;
    }
    await this.partners.create(checked.value.name, frame.staff!.tokenId);
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/partners`);
  }

  /** A staff token for the organisation: shown once, here, never stored in the clear. */
  @Post(':id/tokens')
  @HttpCode(HttpStatus.OK)
  async issueToken(
    @Param() { id }: ObjectIdParam,
    @Body() form: PostedForm,
    @Frame() frame: ConsoleFrame,
  ): Promise<string> {
    const checked = await validateDto(CreatePartnerTokenDto, { name: textOf(form, 'tokenName') || 'staff' });
    if (!checked.ok) return this.page(frame, errorsByField(checked.fields, ['name']), null, null);
    const issued = await this.partners.issueToken(id, checked.value.name, frame.staff!.tokenId);
    return this.page(frame, {}, { organizationId: id, token: issued.token }, null);
  }

  private async page(
    frame: ConsoleFrame,
    errors: Record<string, string[]>,
    issued: { organizationId: string; token: string } | null,
    typedName: string | null,
  ): Promise<string> {
    const [organizations, licenses] = await Promise.all([this.partners.list(), this.licenses.list(frame.staff!)]);
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'partners', text.partners.title, 'partners', {
      organizations: organizations.map((o) => ({
        ...o,
        created: formatLocal(o.createdAt, 'UTC', frame.locale),
        territories: licenses.filter((l) => l.licenseeOrganizationId === o.id).map((l) => l.territory),
        issued: issued?.organizationId === o.id ? issued.token : null,
      })),
      errors,
      hasErrors: Object.keys(errors).length > 0,
      typedName: typedName ?? '',
    });
  }
}

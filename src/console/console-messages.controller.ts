import { Body, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedBy, tenancyOf } from '../auth/organization-scope';
import { DomainError } from '../common/domain-error';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { ObjectIdParam } from '../common/object-id.param';
import { FieldError, validateDto } from '../common/validation';
import { FunnelsService } from '../funnels/funnels.service';
import { MessageTemplateDto } from '../messages/dto/message-template.dto';
import { MESSAGE_KINDS, MessageKind } from '../messages/message-kinds';
import { MessageOverridesService } from '../messages/message-overrides.service';
import { ConsoleController } from './console-controller.decorator';
import { errorsByField, oneOf, PostedForm, textOf } from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

const MESSAGE_FIELDS = ['subject', 'html', 'text'];

const kindOf = (value: unknown): MessageKind => oneOf(MESSAGE_KINDS, value) ?? 'welcome';
const localeOf = (value: unknown, fallback: Locale): Locale => oneOf(SUPPORTED_LOCALES, value) ?? fallback;

/**
 * A funnel's message wording, per kind and locale: the built-in template or the funnel's own, a
 * form to override it (refused with the line that does not compile), back to built-in, and a
 * preview with sample data as a student would get it (in a sandboxed frame: no script, no links out).
 */
@ConsoleController('console/funnels/:id/messages')
@ConsoleStaff('instructor', 'partner')
@ScopedBy('funnel')
export class ConsoleMessagesController {
  constructor(
    private readonly overrides: MessageOverridesService,
    private readonly funnels: FunnelsService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  @Get()
  async show(
    @Param() { id }: ObjectIdParam,
    @Query() query: Record<string, unknown>,
    @Frame() frame: ConsoleFrame,
  ): Promise<string> {
    return this.page(frame, id, kindOf(query['kind']), localeOf(query['locale'], frame.locale), null, []);
  }

  @Post()
  async save(
    @Param() { id }: ObjectIdParam,
    @Body() form: PostedForm,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ): Promise<void> {
    const staff = frame.staff!;
    const kind = kindOf(textOf(form, 'kind'));
    const locale = localeOf(textOf(form, 'locale'), frame.locale);
    const back = `${frame.root}/funnels/${id}/messages?kind=${kind}&locale=${locale}`;
    if (textOf(form, '_action') === 'reset') {
      await this.overrides.reset(id, kind, locale, tenancyOf(staff));
      res.redirect(HttpStatus.SEE_OTHER, back);
      return;
    }
    const source = { subject: textOf(form, 'subject'), html: textOf(form, 'html'), text: textOf(form, 'text') };
    const checked = await validateDto(MessageTemplateDto, source);
    let problems: FieldError[] = checked.ok ? [] : checked.fields;
    if (checked.ok) {
      try {
        await this.overrides.save(id, kind, locale, checked.value, staff.tokenId, tenancyOf(staff));
        res.redirect(HttpStatus.SEE_OTHER, back);
        return;
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'invalid_template') throw error;
        problems = error.extra.fields ?? [{ field: '_form', errors: [error.message] }];
      }
    }
    res.status(HttpStatus.BAD_REQUEST).send(await this.page(frame, id, kind, locale, source, problems));
  }

  private async page(
    frame: ConsoleFrame,
    funnelId: string,
    kind: MessageKind,
    locale: Locale,
    typed: { subject: string; html: string; text: string } | null,
    problems: FieldError[],
  ): Promise<string> {
    const tenancy = tenancyOf(frame.staff!);
    const [funnel, current, preview] = await Promise.all([
      this.funnels.get(funnelId, tenancy),
      this.overrides.get(funnelId, kind, locale, tenancy),
      this.overrides.preview(funnelId, kind, locale, tenancy),
    ]);
    const text = this.renderer.text(frame.locale);
    return this.renderer.page(frame, 'funnels', `${text.messages.title} · ${funnel.name}`, 'messages', {
      funnel,
      kind,
      locale,
      kinds: MESSAGE_KINDS.map((k) => ({ value: k, label: k })),
      locales: SUPPORTED_LOCALES.map((l) => ({ value: l, label: l })),
      values: typed ?? current,
      overridden: current.source === 'override',
      preview,
      errors: errorsByField(problems, MESSAGE_FIELDS),
      hasErrors: problems.length > 0,
    });
  }
}

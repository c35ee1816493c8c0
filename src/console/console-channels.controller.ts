import { Body, Get, HttpStatus, Injectable, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsoleStaff } from '../auth/access.decorators';
import { ScopedBy, tenancyOf } from '../auth/organization-scope';
import { CHAT_PLATFORMS, ChatPlatformName } from '../channels/chat-post';
import { ChannelOwner, ChannelsService, ChannelView } from '../channels/channels.service';
import { ChannelParams, CreateChannelDto, SCHEDULED_POST_KINDS } from '../channels/dto/channel.dto';
import { CHAT_PLATFORM_ADAPTERS } from '../channels/platforms';
import { DomainError } from '../common/domain-error';
import { SUPPORTED_LOCALES } from '../common/locale';
import { ObjectIdParam } from '../common/object-id.param';
import { validateDto } from '../common/validation';
import { formatLocal } from '../schedule/schedule.rules';
import { ConsoleController } from './console-controller.decorator';
import { errorsByField, oneOf, PostedForm, textOf } from './console-forms';
import { Frame } from './console-frame';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

const FIELDS = ['platform', 'name', 'webhookUrl', 'secret', 'locale', 'kinds'] as const;

/** The form's values as CreateChannelDto's plain shape (kinds are checkboxes: none ticked is "none"). */
function channelInputOf(form: PostedForm): Record<string, unknown> {
  const kinds = form['kinds'];
  return {
    platform: textOf(form, 'platform'),
    name: textOf(form, 'name'),
    webhookUrl: textOf(form, 'webhookUrl'),
    ...(textOf(form, 'secret') ? { secret: textOf(form, 'secret') } : {}),
    locale: textOf(form, 'locale'),
    kinds: kinds === undefined ? [] : Array.isArray(kinds) ? kinds : [kinds],
  };
}

interface PageState {
  values?: Record<string, string | string[]>;
  errors?: Record<string, string[]>;
  notice?: string;
  signingSecret?: string;
  preview?: { platform: ChatPlatformName; kind: string };
}

/**
 * The group-channels page of a cohort or a funnel: its channels with their last test, a form to
 * add one, test and remove buttons, and a preview of each kind of post on each platform. The
 * work is ChannelsService's, as on the API; the two controllers below differ only in the owner.
 */
@Injectable()
export class ConsoleChannelsPage {
  constructor(
    private readonly channels: ChannelsService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  async render(frame: ConsoleFrame, owner: ChannelOwner, state: PageState): Promise<string> {
    const tenancy = tenancyOf(frame.staff!);
    const text = this.renderer.text(frame.locale);
    const t = text.channels;
    const listing =
      owner.kind === 'cohort'
        ? await this.channels.ofCohort(owner.id, tenancy)
        : { ...(await this.channels.ofFunnel(owner.id, tenancy)), fromFunnel: [] };
    const ownerName = listing.name;
    const base = `${frame.root}/${owner.kind === 'cohort' ? 'cohorts' : 'funnels'}/${owner.id}`;
    const row = (c: ChannelView) => ({
      ...c,
      platformLabel: CHAT_PLATFORM_ADAPTERS[c.platform].label[frame.locale],
      kindLabels: c.kinds.map((k) => t.kindNames[k]).join(' · '),
      lastTestAt: c.lastTest ? formatLocal(c.lastTest.at, 'UTC', frame.locale) : null,
    });
    const values = state.values ?? { platform: 'wecom', locale: frame.locale, kinds: [...SCHEDULED_POST_KINDS] };
    const chosenKinds = new Set(Array.isArray(values['kinds']) ? values['kinds'] : [values['kinds']]);
    const previewPlatform = state.preview?.platform ?? 'wecom';
    const previewKind = oneOf(SCHEDULED_POST_KINDS, state.preview?.kind) ?? 'released';
    const preview = this.channels.preview(previewPlatform, previewKind, frame.locale);
    const platforms = CHAT_PLATFORMS.map((p) => ({ value: p, label: CHAT_PLATFORM_ADAPTERS[p].label[frame.locale] }));
    return this.renderer.page(
      frame,
      owner.kind === 'cohort' ? 'cohorts' : 'funnels',
      `${t.title} · ${ownerName}`,
      'channels',
      {
        ownerName,
        back: base,
        action: `${base}/channels`,
        isCohort: owner.kind === 'cohort',
        own: listing.own.map(row),
        fromFunnel: listing.fromFunnel.map(row),
        notice: state.notice ?? null,
        signingSecret: state.signingSecret ?? null,
        values,
        errors: state.errors ?? {},
        platforms,
        locales: SUPPORTED_LOCALES.map((l) => ({ value: l, label: l })),
        kinds: SCHEDULED_POST_KINDS.map((k) => ({ value: k, label: t.kindNames[k], checked: chosenKinds.has(k) })),
        preview: {
          platforms: platforms.map((p) => ({ ...p, selected: p.value === previewPlatform })),
          kinds: SCHEDULED_POST_KINDS.map((k) => ({ value: k, label: t.kindNames[k], selected: k === previewKind })),
          post: preview.post,
          payload: JSON.stringify(preview.payload, null, 2),
        },
      },
    );
  }

  /** Adds a channel from the form; errors (the DTO's and the platform's) show at their fields. */
  async add(frame: ConsoleFrame, owner: ChannelOwner, form: PostedForm, res: Response): Promise<void> {
    const values = Object.fromEntries(
      FIELDS.map((f) => [f, f === 'kinds' ? (channelInputOf(form)['kinds'] as string[]) : textOf(form, f)]),
    );
    const refuse = async (errors: Record<string, string[]>) => {
      res.status(HttpStatus.BAD_REQUEST).send(await this.render(frame, owner, { values, errors }));
    };
    const checked = await validateDto(CreateChannelDto, channelInputOf(form));
    if (!checked.ok) return refuse(errorsByField(checked.fields, FIELDS));
    try {
      const added = await this.channels.add(owner, checked.value, frame.staff!.tokenId, tenancyOf(frame.staff!));
      const text = this.renderer.text(frame.locale).channels;
      res.send(
        await this.render(frame, owner, {
          notice: text.added,
          ...(added.signingSecret ? { signingSecret: added.signingSecret } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof DomainError && error.extra.fields) return refuse(errorsByField(error.extra.fields, FIELDS));
      throw error;
    }
  }

  async test(frame: ConsoleFrame, owner: ChannelOwner, channelId: string, res: Response): Promise<void> {
    await this.channels.test(owner, channelId, tenancyOf(frame.staff!));
    res.redirect(HttpStatus.SEE_OTHER, this.here(frame, owner));
  }

  async remove(frame: ConsoleFrame, owner: ChannelOwner, channelId: string, res: Response): Promise<void> {
    await this.channels.remove(owner, channelId, frame.staff!.tokenId, tenancyOf(frame.staff!));
    res.redirect(HttpStatus.SEE_OTHER, this.here(frame, owner));
  }

  private here(frame: ConsoleFrame, owner: ChannelOwner): string {
    return `${frame.root}/${owner.kind === 'cohort' ? 'cohorts' : 'funnels'}/${owner.id}/channels`;
  }
}

type PreviewQuery = { platform?: unknown; kind?: unknown };
const previewOf = (query: PreviewQuery) => ({
  platform: oneOf(CHAT_PLATFORMS, query.platform) ?? 'wecom',
  kind: typeof query.kind === 'string' ? query.kind : 'released',
});

@ConsoleController('console/cohorts')
@ConsoleStaff('instructor', 'partner')
@ScopedBy('cohort')
export class ConsoleCohortChannelsController {
  constructor(private readonly page: ConsoleChannelsPage) {}

  @Get(':id/channels')
  show(@Param() { id }: ObjectIdParam, @Query() query: PreviewQuery, @Frame() frame: ConsoleFrame): Promise<string> {
    return this.page.render(frame, { kind: 'cohort', id }, { preview: previewOf(query) });
  }

  @Post(':id/channels')
  add(@Param() { id }: ObjectIdParam, @Body() form: PostedForm, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    return this.page.add(frame, { kind: 'cohort', id }, form, res);
  }

  @Post(':id/channels/:channelId/test')
  test(@Param() { id, channelId }: ChannelParams, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    return this.page.test(frame, { kind: 'cohort', id }, channelId, res);
  }

  @Post(':id/channels/:channelId/remove')
  remove(@Param() { id, channelId }: ChannelParams, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    return this.page.remove(frame, { kind: 'cohort', id }, channelId, res);
  }
}

@ConsoleController('console/funnels')
@ConsoleStaff('instructor', 'partner')
@ScopedBy('funnel')
export class ConsoleFunnelChannelsController {
  constructor(private readonly page: ConsoleChannelsPage) {}

  @Get(':id/channels')
  show(@Param() { id }: ObjectIdParam, @Query() query: PreviewQuery, @Frame() frame: ConsoleFrame): Promise<string> {
    return this.page.render(frame, { kind: 'funnel', id }, { preview: previewOf(query) });
  }

  @Post(':id/channels')
  add(@Param() { id }: ObjectIdParam, @Body() form: PostedForm, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    return this.page.add(frame, { kind: 'funnel', id }, form, res);
  }

  @Post(':id/channels/:channelId/test')
  test(@Param() { id, channelId }: ChannelParams, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    return this.page.test(frame, { kind: 'funnel', id }, channelId, res);
  }

  @Post(':id/channels/:channelId/remove')
  remove(@Param() { id, channelId }: ChannelParams, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    return this.page.remove(frame, { kind: 'funnel', id }, channelId, res);
  }
}

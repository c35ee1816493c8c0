import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainHooks } from '../events/domain-hooks';
import { MessageError } from './messages.errors';
import { Locale } from '../common/locale';
import { FunnelsService } from '../funnels/funnels.service';
import { MessageKind, RenderedMessage } from './message-kinds';
import { CompiledTemplate, MessageRenderer, TemplateError } from './message.renderer';
import { OverrideRecord, MessageOverridesRepository } from './message-overrides.repository';
import { sampleMessage } from './message-samples';
import { MessageTemplateSource } from './message-template.rules';
import { Tenancy } from '../common/tenancy';

export interface MessageTemplateView extends MessageTemplateSource {
  kind: MessageKind;
  locale: Locale;
  /** `override` when the funnel has its own wording, else `default`. */
  source: 'override' | 'default';
}

/** Per-funnel wording of messages: validated on save, previewed with sample data, applied at send. */
@Injectable()
export class MessageOverridesService {
  /** Compiled overrides, keyed by funnel/kind/locale and the time they were saved. */
  private readonly compiled = new Map<string, { updatedAt: number; template: CompiledTemplate }>();

  constructor(
    private readonly overrides: MessageOverridesRepository,
    private readonly renderer: MessageRenderer,
    private readonly funnels: FunnelsService,
    private readonly hooks: DomainHooks,
    private readonly clock: Clock,
  ) {}

  async get(funnelId: string, kind: MessageKind, locale: Locale, tenancy: Tenancy): Promise<MessageTemplateView> {
    await this.funnels.get(funnelId, tenancy);
    return this.view(funnelId, kind, locale);
  }

  private async view(funnelId: string, kind: MessageKind, locale: Locale): Promise<MessageTemplateView> {
    const override = await this.overrides.find(funnelId, kind, locale);
    const source = override ?? this.renderer.defaultSource(kind, locale);
    return {
      kind,
      locale,
      subject: source.subject,
      html: source.html,
      text: source.text,
      source: override ? 'override' : 'default',
    };
  }

  /** Saves an override after compiling it and rendering it with sample data; a 400 names the line. */
  async save(
    funnelId: string,
    kind: MessageKind,
    locale: Locale,
    source: MessageTemplateSource,
    by: string,
    tenancy: Tenancy,
  ): Promise<MessageTemplateView> {
    await this.funnels.get(funnelId, tenancy);
    this.compileOrRefuse(kind, locale, source);
    await this.hooks.run('funnel.messages.proposed', { funnelId });
    await this.overrides.save({ funnelId, kind, locale, ...source, updatedAt: this.clock.now(), updatedBy: by });
    return this.view(funnelId, kind, locale);
  }

  /** A funnel's overrides as stored (kind, locale and its three parts). */
  list(funnelId: string): Promise<OverrideRecord[]> {
    return this.overrides.forFunnels([funnelId]);
  }

  /** Sets one funnel's wording of a kind and locale to another's (or to the default when it has none). */
  async adopt(fromFunnelId: string, toFunnelId: string, kind: MessageKind, locale: Locale, by: string): Promise<void> {
    const source = await this.overrides.find(fromFunnelId, kind, locale);
    if (source)
      await this.overrides.save({ ...source, funnelId: toFunnelId, updatedAt: this.clock.now(), updatedBy: by });
    else await this.overrides.remove(toFunnelId, kind, locale);
  }

  /** Copies every override of one funnel to another (a licensed clone starts with its template's wording). */
  async copy(fromFunnelId: string, toFunnelId: string, by: string): Promise<number> {
    const overrides = await this.overrides.forFunnels([fromFunnelId]);
    for (const override of overrides) {
      await this.overrides.save({ ...override, funnelId: toFunnelId, updatedAt: this.clock.now(), updatedBy: by });
    }
    return overrides.length;
  }

  async reset(funnelId: string, kind: MessageKind, locale: Locale, tenancy: Tenancy): Promise<MessageTemplateView> {
    await this.funnels.get(funnelId, tenancy);
    await this.hooks.run('funnel.messages.proposed', { funnelId });
    await this.overrides.remove(funnelId, kind, locale);
    return this.view(funnelId, kind, locale);
  }

  /** The message as a student would get it, with sample data: the override if any, else the default. */
  async preview(funnelId: string, kind: MessageKind, locale: Locale, tenancy: Tenancy): Promise<RenderedMessage> {
    await this.funnels.get(funnelId, tenancy);
    const override = await this.overrides.find(funnelId, kind, locale);
    return this.renderer.render(sampleMessage(kind, locale), locale, override ? this.compiledFor(override) : undefined);
  }

  /** The compiled overrides of these funnels, for one batch of outgoing mail (one query). */
  async templatesFor(funnelIds: string[]): Promise<Map<string, CompiledTemplate>> {
    const found = await this.overrides.forFunnels([...new Set(funnelIds)]);
    return new Map(found.map((o) => [`${o.funnelId}:${o.kind}:${o.locale}`, this.compiledFor(o)]));
  }

  private compiledFor(override: OverrideRecord): CompiledTemplate {
    const key = `${override.funnelId}:${override.kind}:${override.locale}`;
    const cached = this.compiled.get(key);
    if (cached && cached.updatedAt === override.updatedAt.getTime()) return cached.template;
    const template = this.renderer.compileOverride(override.kind, override.locale, override);
    this.compiled.set(key, { updatedAt: override.updatedAt.getTime(), template });
    return template;
  }

  private compileOrRefuse(kind: MessageKind, locale: Locale, source: MessageTemplateSource): void {
    try {
      this.renderer.compileOverride(kind, locale, source);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw new MessageError('invalid_template', error.message, {
        fields: [{ field: error.part, errors: [error.message] }],
      });
    }
  }
}

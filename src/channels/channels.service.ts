import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { sealSecret } from '../auth/secret-box';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { Locale } from '../common/locale';
import { Tenancy } from '../common/tenancy';
import { CohortsService } from '../cohorts/cohorts.service';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { FunnelsService } from '../funnels/funnels.service';
import { ChatPlatformName, ChatPost, ChatPostKind } from './chat-post';
import { ChatPostRenderer } from './chat-post.renderer';
import { CHANNEL_SECRET_PURPOSE, ChatPostSender } from './chat-post.sender';
import { ChannelOwnerKind } from './channel.schema';
import { ChannelRecord, ChannelsRepository } from './channels.repository';
import { ChannelError, ChannelFieldError } from './channels.errors';
import { CreateChannelDto, SCHEDULED_POST_KINDS } from './dto/channel.dto';
import { CHAT_PLATFORM_ADAPTERS, maskWebhookUrl } from './platforms';

export interface ChannelOwner {
  kind: ChannelOwnerKind;
  id: string;
}

/** A channel as staff see it: never its URL or secret, only the masked hint. */
export interface ChannelView {
  id: string;
  owner: ChannelOwner;
  platform: ChatPlatformName;
  name: string;
  locale: Locale;
  kinds: ChatPostKind[];
  /** The webhook URL with its key masked. */
  webhook: string;
  hasSecret: boolean;
  createdAt: Date;
  lastTest: { at: Date; delivered: boolean; detail: string } | null;
}

/** A cohort's channels: its own, the funnel's (its default), and which of them post. */
export interface CohortChannels {
  /** The cohort's name. */
  name: string;
  own: ChannelView[];
  fromFunnel: ChannelView[];
  /** `own` when the cohort has channels of its own, else `funnel` when the funnel has some. */
  posting: 'own' | 'funnel' | 'none';
}

export interface TestResult {
  delivered: boolean;
  /** What the platform answered, or why it was not sent. */
  detail: string;
}

export const toChannelView = (c: ChannelRecord): ChannelView => ({
  id: c.id,
  owner: { kind: c.ownerKind, id: c.ownerId },
  platform: c.platform,
  name: c.name,
  locale: c.locale,
  kinds: c.kinds,
  webhook: c.hint,
  hasSecret: c.hasSecret,
  createdAt: c.createdAt,
  lastTest: c.lastTest,
});

/** The example webhook of each platform, for previews. */
const EXAMPLE_URLS: Record<ChatPlatformName, string> = {
  wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000',
  feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook/00000000-0000-0000-0000-000000000000',
  dingtalk: 'https://oapi.dingtalk.com/robot/send?access_token=0000000000000000',
  slack: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  webhook: 'https://example.com/hooks/course-funnel',
};

/**
 * Staff's side of group channels: adding one to a cohort or a funnel (checked against its
 * platform, sealed at once), listing, removing, and sending a test message. Partners reach only
 * their organisation's cohorts and funnels: every call resolves the owner within the tenancy.
 */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly cohorts: CohortsService,
    private readonly funnels: FunnelsService,
    private readonly sender: ChatPostSender,
    private readonly renderer: ChatPostRenderer,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  /** A cohort's channels: its own, its funnel's, and which of them post. */
  async ofCohort(cohortId: string, tenancy: Tenancy): Promise<CohortChannels> {
    const cohort = await this.cohorts.find(cohortId, tenancy);
    const [own, fromFunnel] = await Promise.all([
      this.channels.activeOf([cohort.id]),
      this.channels.activeOf([cohort.funnelId]),
    ]);
    return {
      name: cohort.name,
      own: own.map(toChannelView),
      fromFunnel: fromFunnel.map(toChannelView),
      posting: own.length > 0 ? 'own' : fromFunnel.length > 0 ? 'funnel' : 'none',
    };
  }

  /** A funnel's default channels, with the funnel's name. */
  async ofFunnel(funnelId: string, tenancy: Tenancy): Promise<{ name: string; own: ChannelView[] }> {
    const funnel = await this.funnels.get(funnelId, tenancy);
    return { name: funnel.name, own: (await this.channels.activeOf([funnelId])).map(toChannelView) };
  }

  /**
   * Adds a channel. For the generic webhook without a secret, one is made and returned once as
   * `signingSecret` (the receiver needs it to check signatures); nothing else is ever shown again.
   */
  async add(
    owner: ChannelOwner,
    dto: CreateChannelDto,
    by: string,
    tenancy: Tenancy,
  ): Promise<ChannelView & { signingSecret?: string }> {
    const { organizationId, locale } = await this.resolveOwner(owner, tenancy);
    const platform = CHAT_PLATFORM_ADAPTERS[dto.platform];
    const urlProblem = platform.checkUrl(dto.webhookUrl, this.options.channels.extraHosts);
    if (urlProblem) throw new ChannelFieldError('webhookUrl', urlProblem);
    if (platform.secret === 'none' && dto.secret) {
      throw new ChannelFieldError('secret', `a ${platform.label.en} has no signing secret: leave it out`);
    }
    const made =
      platform.secret === 'required' && !dto.secret ? `whsec_${randomBytes(24).toString('base64')}` : undefined;
    const secret = dto.secret ?? made;
    if (secret && dto.platform === 'webhook' && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
      throw new ChannelFieldError(
        'secret',
        'a webhook secret is `whsec_` followed by base64, or left out to have one made',
      );
    }
    const channel = await this.channels.create({
      ownerKind: owner.kind,
      ownerId: owner.id,
      organizationId,
      platform: dto.platform,
      name: dto.name.trim(),
      locale: dto.locale ?? locale,
      kinds: dto.kinds ?? [...SCHEDULED_POST_KINDS],
      sealed: sealSecret(
        this.options.appSecret,
        CHANNEL_SECRET_PURPOSE,
        JSON.stringify({ url: dto.webhookUrl, ...(secret ? { secret } : {}) }),
      ),
      hint: maskWebhookUrl(dto.webhookUrl),
      hasSecret: secret !== undefined,
      createdBy: by,
      createdAt: this.clock.now(),
    });
    return { ...toChannelView(channel), ...(made ? { signingSecret: made } : {}) };
  }

  /** Removes a channel: its posts not yet sent are dropped when their turn comes. Removing twice is fine. */
  async remove(owner: ChannelOwner, channelId: string, by: string, tenancy: Tenancy): Promise<void> {
    await this.owned(owner, channelId, tenancy);
    await this.channels.remove(channelId, by, this.clock.now());
  }

  /** Sends the test message now, in the channel's turn, and keeps what the platform answered. */
  async test(owner: ChannelOwner, channelId: string, tenancy: Tenancy): Promise<TestResult> {
    const { channel, ownerName } = await this.owned(owner, channelId, tenancy);
    if (channel.removedAt) throw new ChannelError('channel_removed', `channel ${channelId} was removed`);
    const at = this.clock.now();
    const outcome = await this.sender.deliver(
      channel,
      { kind: 'test', data: { cohort: { name: ownerName }, channel: { name: channel.name } } },
      `test:${channel.id}:${at.getTime()}`,
    );
    const result: TestResult =
      outcome.outcome === 'sent'
        ? { delivered: true, detail: 'delivered' }
        : outcome.outcome === 'deferred'
          ? { delivered: false, detail: `the platform's rate limit: try again after ${outcome.until.toISOString()}` }
          : { delivered: false, detail: outcome.outcome === 'failed' ? outcome.error : outcome.reason };
    await this.channels.recordTest(channel.id, { at, ...result });
    return result;
  }

  /** A kind of post with sample data, as the platform would receive it. */
  preview(platformName: ChatPlatformName, kind: ChatPostKind, locale: Locale): { post: ChatPost; payload: unknown } {
    const post = this.renderer.render(this.renderer.sample(kind, locale), locale);
    const platform = CHAT_PLATFORM_ADAPTERS[platformName];
    const secret = platform.secret === 'none' ? undefined : platformName === 'webhook' ? 'whsec_c2FtcGxl' : 'SECsample';
    const request = platform.request(post, { url: EXAMPLE_URLS[platformName], secret }, this.clock.now(), 'preview');
    return { post, payload: JSON.parse(request.body) as unknown };
  }

  private async owned(
    owner: ChannelOwner,
    channelId: string,
    tenancy: Tenancy,
  ): Promise<{ channel: ChannelRecord; ownerName: string }> {
    const { name } = await this.resolveOwner(owner, tenancy);
    const channel = await this.channels.findById(channelId);
    if (!channel || channel.ownerId !== owner.id || channel.ownerKind !== owner.kind) {
      throw new NotFoundError('channel', channelId);
    }
    return { channel, ownerName: name };
  }

  private async resolveOwner(
    owner: ChannelOwner,
    tenancy: Tenancy,
  ): Promise<{ organizationId: string | null; locale: Locale; name: string }> {
    if (owner.kind === 'cohort') {
      const cohort = await this.cohorts.find(owner.id, tenancy);
      const version = await this.cohorts.pinnedVersion(cohort);
      return { organizationId: cohort.organizationId, locale: version.defaultLocale, name: cohort.name };
    }
    const funnel = await this.funnels.get(owner.id, tenancy);
    return { organizationId: funnel.organizationId, locale: funnel.current.defaultLocale, name: funnel.name };
  }
}

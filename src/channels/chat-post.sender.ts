import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { openSecret } from '../auth/secret-box';
import { Clock } from '../common/clock';
import { templateErrorDetail } from '../common/template-rules';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { OutboxRecord } from '../outbox/outbox.repository';
import { OutboxSenders, SendOutcome } from '../outbox/outbox-senders';
import { ChatPostData } from './chat-post';
import { ChatPostRenderer } from './chat-post.renderer';
import { ChannelRecord, ChannelsRepository } from './channels.repository';
import { nextTryAt, slotAt, slotLengthMs } from './pacing.rules';
import { CHAT_PLATFORM_ADAPTERS } from './platforms';
import { ChatTarget } from './platforms/chat-platform';

/** What a channel's post stores in the outbox: the post's kind and data (rendered when sent). */
export interface ChatMessageData {
  post: ChatPostData;
}

/** The sealed part of a channel. */
export const CHANNEL_SECRET_PURPOSE = 'channel-target';

/** A receiver gets this long to answer. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Sends a channel's posts: the outbox worker claims, retries and dead-letters them like mail, and
 * hands each one here (OutboxSenders, kind `chat`). A post waits for its channel's turn under the
 * platform's rate limit (one unique slot per post, shared by every instance), then goes out as the
 * platform's own request, and the platform's answer decides: delivered, retried, or dead-lettered
 * at once (a bad key). The webhook URL and secret never reach a log or a stored error.
 */
@Injectable()
export class ChatPostSender implements OnModuleInit {
  /** Posts of this process waiting per channel slot, so those behind the first spread over later slots. */
  private readonly inLine = new Map<string, number>();

  constructor(
    private readonly channels: ChannelsRepository,
    private readonly renderer: ChatPostRenderer,
    private readonly senders: OutboxSenders,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onModuleInit(): void {
    this.senders.register('chat', { send: (message) => this.sendQueued(message) });
  }

  private async sendQueued(message: OutboxRecord): Promise<SendOutcome> {
    const channel = await this.channels.findById(message.to);
    if (!channel || channel.removedAt) return { outcome: 'cancelled', reason: 'the channel was removed' };
    return this.deliver(channel, (message.data as ChatMessageData).post, message.key);
  }

  /** Posts to a channel now, in its turn (a queued post, or staff's test message). */
  async deliver(channel: ChannelRecord, data: ChatPostData, deliveryId: string): Promise<SendOutcome> {
    const target = this.targetOf(channel);
    if (!target) {
      return {
        outcome: 'failed',
        permanent: true,
        error: 'the channel webhook cannot be read (APP_SECRET changed?): remove the channel and add it again',
      };
    }
    let post;
    try {
      post = this.renderer.render(data, channel.locale);
    } catch (error) {
      return { outcome: 'failed', permanent: true, error: `cannot render: ${templateErrorDetail(error)}` };
    }
    const platform = CHAT_PLATFORM_ADAPTERS[channel.platform];
    const turn = await this.takeTurn(channel, slotLengthMs(platform.rateLimit));
    if (turn) return { outcome: 'deferred', until: turn };

    const now = this.clock.now();
    const request = platform.request(post, target, now, deliveryId);
    let status: number;
    let body: string;
    let headers: Record<string, string>;
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      });
      status = response.status;
      body = (await response.text()).slice(0, 4000);
      headers = Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v]));
    } catch (error) {
      return { outcome: 'failed', permanent: false, error: scrub(`no answer: ${networkReason(error)}`, target) };
    }
    const answer = platform.answer(status, body, headers);
    if (answer.outcome === 'delivered') return { outcome: 'sent' };
    if (answer.outcome === 'rejected')
      return { outcome: 'failed', permanent: true, error: scrub(answer.reason, target) };
    return {
      outcome: 'failed',
      permanent: false,
      error: scrub(answer.reason, target),
      ...(answer.retryAfterMs ? { retryAt: new Date(now.getTime() + answer.retryAfterMs) } : {}),
    };
  }

  /** null when the post may go now, else when to try again: the slot now is another post's. */
  private async takeTurn(channel: ChannelRecord, slotMs: number): Promise<Date | null> {
    const now = this.clock.now();
    const slot = slotAt(now, slotMs);
    if (await this.channels.takeSlot(`${channel.id}:${slot}`, now)) return null;
    const line = `${channel.id}:${slot}`;
    const place = this.inLine.get(line) ?? 0;
    this.inLine.set(line, place + 1);
    if (this.inLine.size > 1000) this.inLine.clear();
    return nextTryAt(slot, slotMs, place);
  }

  private targetOf(channel: ChannelRecord): ChatTarget | null {
    const opened = openSecret(this.options.appSecret, CHANNEL_SECRET_PURPOSE, channel.sealed);
    if (opened === null) return null;
    try {
      return JSON.parse(opened) as ChatTarget;
    } catch {
      return null;
    }
  }
}

/** What a failed request says, without the request: fetch names its cause (ECONNREFUSED, a timeout). */
function networkReason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return `no answer within ${ANSWER_TIMEOUT_MS / 1000} s`;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

/** Takes every secret part of the target out of a text that may be stored or shown. */
export function scrub(text: string, target: ChatTarget): string {
  const secrets = [target.url, target.secret ?? ''];
  try {
    const url = new URL(target.url);
    secrets.push(...url.searchParams.values(), ...url.pathname.split('/'));
  } catch {
    // not a URL: the whole of it is already listed
  }
  let clean = text;
  for (const secret of secrets.filter((s) => s.length >= 8).sort((a, b) => b.length - a.length)) {
    clean = clean.split(secret).join('…');
  }
  return clean;
}

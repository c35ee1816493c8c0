import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '../common/clock';
import { forEachConcurrently } from '../common/concurrency';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../course-funnel.options';
import { MailTransport } from '../mail/mail-transport';
import { MessageData } from '../messages/message-kinds';
import { CompiledTemplate, MessageRenderer } from '../messages/message.renderer';
import { MessageOverridesService } from '../messages/message-overrides.service';
import { OutboxRecord, OutboxRepository } from './outbox.repository';
import { messageIdFor, retryDelayMs } from './outbox.rules';

const MARK_SENT_BATCH = 25;

export interface DrainResult {
  sent: number;
  failed: number;
  /** Due messages cancelled because their student unsubscribed or their cohort was cancelled. */
  cancelled: number;
  /** Due messages another worker had claimed first. */
  skipped: number;
}

/**
 * Sends what the outbox holds. Every instance runs one; they never send the same attempt twice
 * because each attempt is claimed by a unique insert first. A worker that dies mid-send leaves an
 * open claim; once its lease runs out the attempt counts as failed and the message is retried.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('Outbox');
  private running: Promise<DrainResult> | null = null;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly renderer: MessageRenderer,
    private readonly overrides: MessageOverridesService,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    const { tickMs } = this.options.outbox;
    if (tickMs <= 0) return;
    const timer = setInterval(() => {
      this.drainOnce().catch((error: unknown) => this.logger.error(`outbox poll failed: ${String(error)}`));
    }, tickMs);
    this.scheduler.addInterval(`course-funnel-outbox-${this.workerId}`, timer);
  }

  /** One poll: reap abandoned attempts, then claim and send one batch. Overlapping calls share a run. */
  drainOnce(): Promise<DrainResult> {
    this.running ??= this.poll().finally(() => (this.running = null));
    return this.running;
  }

  /** Polls until nothing due is left (tests and benchmarks). */
  async drainAll(): Promise<DrainResult> {
    const total: DrainResult = { sent: 0, failed: 0, cancelled: 0, skipped: 0 };
    for (;;) {
      const round = await this.drainOnce();
      total.sent += round.sent;
      total.failed += round.failed;
      total.cancelled += round.cancelled;
      total.skipped += round.skipped;
      if (round.sent + round.failed + round.cancelled === 0) return total;
    }
  }

  private async poll(): Promise<DrainResult> {
    const settings = this.options.outbox;
    await this.reapAbandoned();
    const due = await this.outbox.findDue(this.clock.now(), settings.batchSize);
    const suppressed = await this.outbox.suppressedAmong(due);
    const overrides = await this.overrides.templatesFor(due.flatMap((m) => (m.funnelId ? [m.funnelId] : [])));
    const result: DrainResult = { sent: 0, failed: 0, cancelled: 0, skipped: 0 };
    // Delivered messages are marked in batches; a crash loses at most one batch of marks, and those
    // messages come back through the lease reaper (at-least-once, never lost).
    let delivered: OutboxRecord[] = [];
    const flush = async () => {
      const batch = delivered;
      delivered = [];
      try {
        await this.outbox.markSent(batch, this.clock.now());
      } catch (error) {
        // The mail went out; if the marks are lost, the lease reaper retries (at-least-once).
        this.logger.error({ msg: 'marking sent messages failed', count: batch.length, error: String(error) });
      }
    };
    await forEachConcurrently(due, settings.concurrency, async (message) => {
      if (suppressed.has(message.id)) {
        await this.outbox.cancelOne(message, 'suppressed: unsubscribed student or cancelled cohort');
        result.cancelled++;
        return;
      }
      const leaseUntil = new Date(this.clock.now().getTime() + settings.leaseMs);
      if (!(await this.outbox.claim(message, this.workerId, leaseUntil))) {
        result.skipped++;
        return;
      }
      if (await this.deliver(message, overrides.get(`${message.funnelId}:${message.kind}:${message.locale}`))) {
        result.sent++;
        delivered.push(message);
        if (delivered.length >= MARK_SENT_BATCH) await flush();
      } else {
        result.failed++;
      }
    });
    await flush();
    return result;
  }

  private async deliver(message: OutboxRecord, override: CompiledTemplate | undefined): Promise<boolean> {
    try {
      const rendered = this.renderer.render(
        { kind: message.kind, data: message.data } as MessageData,
        message.locale,
        override,
      );
      await this.transport.send({
        to: message.to,
        ...rendered,
        messageId: messageIdFor(message.key, this.options.mail.from),
        ...(message.unsubscribeUrl
          ? {
              headers: {
                'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              },
            }
          : {}),
      });
      return true;
    } catch (error) {
      const { backoffBaseMs, backoffMaxMs } = this.options.outbox;
      const retryAt = new Date(
        this.clock.now().getTime() + retryDelayMs(message.attempts + 1, backoffBaseMs, backoffMaxMs),
      );
      const status = await this.outbox.markFailed(
        message,
        error instanceof Error ? error.message : String(error),
        retryAt,
      );
      if (status === 'dead') this.logger.warn({ msg: 'message dead-lettered', id: message.id, key: message.key });
      return false;
    }
  }

  /** Attempts whose worker stopped mid-send count as failed, so the message is retried, never lost. */
  private async reapAbandoned(): Promise<void> {
    const now = this.clock.now();
    for (const claim of await this.outbox.findAbandonedClaims(now, 100)) {
      const message = await this.outbox.findById(claim.messageId);
      if (message?.status === 'pending' && message.attempts === claim.attempt) {
        await this.outbox.markFailed(message, 'the worker stopped during the send (lease expired)', now);
      } else {
        await this.outbox.closeClaim(claim.messageId, claim.attempt);
      }
    }
  }
}

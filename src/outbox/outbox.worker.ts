import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Clock } from '../common/clock';
import { templateErrorDetail } from '../common/template-rules';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { MailTransport, OutgoingMail } from '../mail/mail-transport';
import { MessageData } from '../messages/message-kinds';
import { CompiledTemplate, MessageRenderer } from '../messages/message.renderer';
import { MessageOverridesService } from '../messages/message-overrides.service';
import { DueMessage, FailedAttempt, OutboxRecord, OutboxRepository } from './outbox.repository';
import { OutboxTallyRepository } from './outbox-tally.repository';
import { OutboxSender, OutboxSenders } from './outbox-senders';
import {
  abandonedClaims,
  beatIntervalMs,
  chunksForBatch,
  heartbeatDue,
  mayStartSend,
  messageIdFor,
  retryDelayMs,
  statusWriteRetryMs,
} from './outbox.rules';

/** Sent marks are written once this many have piled up, or this long after the first of them. */
const RECORD_EVERY = 100;
const RECORD_AFTER_MS = 200;
/** At shutdown a failing status write is given this many tries; until then it is retried for ever. */
const SHUTDOWN_WRITE_TRIES = 8;
/** Heartbeats of workers gone this long are cleared. */
const FORGET_WORKERS_AFTER_MS = 24 * 3600_000;
/** How often a worker folds old status tallies into totals (any instance may; a fold counts once). */
const FOLD_EVERY_MS = 60_000;
const ABANDONED = 'the worker stopped during the send (lease expired)';
const SUPPRESSED = 'suppressed: unsubscribed student or cancelled cohort';

export interface DrainResult {
  sent: number;
  failed: number;
  /** Due messages cancelled because their student unsubscribed or their cohort was cancelled. */
  cancelled: number;
  /** Due messages another worker had claimed first. */
  skipped: number;
  /** Claimed messages handed back unsent (shutdown, or the lease could not be renewed). */
  released: number;
  /** Claimed messages put off, not sent, because their receiver takes no more for now. */
  deferred: number;
}

const emptyResult = (): DrainResult => ({ sent: 0, failed: 0, cancelled: 0, skipped: 0, released: 0, deferred: 0 });
const claimKey = (m: OutboxRecord) => `${m.id}:${m.attempts}`;
/**
 * Whether a run met due mail, so the next poll may follow at once. Skipped messages are another
 * worker's batch, and there may be more behind them.
 */
const didWork = (r: DrainResult) => r.sent + r.failed + r.cancelled + r.skipped > 0;
const addTo = (total: DrainResult, part: DrainResult) => {
  for (const key of Object.keys(total) as (keyof DrainResult)[]) total[key] += part[key];
};

interface ClaimedBatch {
  claimed: DueMessage[];
  overrides: Map<string, CompiledTemplate>;
  /** Cancelled and skipped messages of this poll. */
  result: DrainResult;
}

/** What one run knows about the chunks it polls. */
interface RunState {
  /** Messages claimed in this run whose outcome is not recorded yet, by id: their chunks. */
  inHand: Map<string, string>;
  /** Chunks whose due mail is all held (in hand here or elsewhere): not polled again this run. */
  heldChunks: Set<string>;
}

/**
 * Sends what the outbox holds. Every instance runs one worker, one run at a time:
 * - a batch is claimed in one round trip, one unique insert per message, so no two workers on any
 *   instance send the same attempt; while a full batch sends, the next one is claimed;
 * - the worker's heartbeat keeps all its claims held however slow the database or SMTP is, and it
 *   starts no send once it can no longer prove its lease;
 * - outcomes are written in a few batched writes, and a failed status write is retried as a write,
 *   never as a second send;
 * - only the claims of a worker whose heartbeat has stopped are taken over, so a message is sent
 *   twice only if a worker died between its send and the write recording it.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('Outbox');
  private running: Promise<DrainResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** Claims of the batch in hand, until their outcome is recorded. */
  private readonly holding = new Set<string>();
  /** Clock time of the last recorded heartbeat, and the lease it proves. */
  private lastBeatAt = -Infinity;
  private heldUntil = 0;
  private beating: Promise<void> | null = null;
  /** Messages another worker was seen to hold, until about when its lease ends, and their chunks. */
  private readonly claimedElsewhere = new Map<string, { until: number; chunk: string }>();
  private lastFoldAt = -Infinity;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly tallies: OutboxTallyRepository,
    private readonly renderer: MessageRenderer,
    private readonly overrides: MessageOverridesService,
    private readonly transport: MailTransport,
    private readonly senders: OutboxSenders,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.outbox.tickMs > 0) this.pollAfter(this.options.outbox.tickMs);
  }

  /** True once shutdown has begun: from then on no new send starts. */
  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** Graceful shutdown: start no new send, finish the batch in hand and record it, then go. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    const forgetBefore = new Date(this.clock.now().getTime() - FORGET_WORKERS_AFTER_MS);
    await this.outbox.retire(this.workerId, forgetBefore).catch((error: unknown) => {
      this.logger.warn({ msg: 'could not clear the heartbeat at shutdown', error: String(error) });
    });
  }

  /**
   * One poll: claim one batch (taking over crashed sends met on the way) and send it. Overlapping
   * calls share a run.
   */
  drainOnce(): Promise<DrainResult> {
    return this.run(false);
  }

  /** Polls until nothing due is left (tests and benchmarks), the way the timer does. */
  async drainAll(): Promise<DrainResult> {
    const total = emptyResult();
    for (;;) {
      const round = await this.run(true);
      addTo(total, round);
      if (!didWork(round)) return total;
    }
  }

  /** The next poll: at once after a run that did something, else after the tick. */
  private pollAfter(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.run(true).then(
        (r) => this.pollAfter(didWork(r) ? 0 : this.options.outbox.tickMs),
        (error: unknown) => {
          this.logger.error({ msg: 'outbox poll failed', error: String(error) });
          this.pollAfter(this.options.outbox.tickMs);
        },
      );
    }, delayMs);
  }

  /** One run at a time per worker: a call while one is going shares it. */
  private run(backlog: boolean): Promise<DrainResult> {
    this.running ??= this.sendRun(backlog).finally(() => (this.running = null));
    return this.running;
  }

  /**
   * Claims and sends one batch, or with `backlog` all that is due: `concurrency` lanes send from a
   * queue of claimed messages, topped up a batch at a time while they work, and outcomes are
   * written in the background; so neither claims nor status writes leave SMTP idle between batches.
   */
  private async sendRun(backlog: boolean): Promise<DrainResult> {
    const total = emptyResult();
    const { batchSize, concurrency, leaseMs } = this.options.outbox;
    // Real-time renewals while claims are in hand (sends and status writes can be slow).
    const renewer = setInterval(
      () => void this.beatIfDue().catch(() => undefined),
      Math.max(100, beatIntervalMs(leaseMs)),
    );
    const queue: { message: OutboxRecord; template: CompiledTemplate | undefined }[] = [];
    const state: RunState = { inHand: new Map(), heldChunks: new Set() };
    const outcomes = this.outcomeRecorder(total, (recorded) => {
      for (const m of recorded) {
        state.inHand.delete(m.id);
        this.holding.delete(claimKey(m));
      }
    });
    let mayHaveMore = true;
    let claiming: Promise<void> | null = null;
    const claimMore = (): Promise<void> =>
      (claiming ??= this.claimNext(state)
        .then((batch) => {
          if (!batch) return void (mayHaveMore = false);
          addTo(total, batch.result);
          for (const m of batch.claimed) {
            state.inHand.set(m.id, m.chunk);
            queue.push({ message: m, template: batch.overrides.get(`${m.funnelId}:${m.kind}:${m.locale}`) });
          }
          // A backlog run polls until a poll finds nothing: a short batch may come from the last
          // messages of a chunk while other chunks are due.
          if (!backlog) mayHaveMore = false;
        })
        .catch((error: unknown) => {
          this.logger.error({ msg: 'claiming outbox messages failed', error: String(error) });
          mayHaveMore = false;
        })
        .finally(() => (claiming = null)));

    const lane = async (): Promise<void> => {
      for (;;) {
        // The next batch is claimed while half of this one is still to go.
        if (mayHaveMore && !this.stopping && queue.length <= batchSize / 2) void claimMore();
        const item = queue.shift();
        if (!item) {
          if (!claiming) return;
          await claiming;
          continue;
        }
        await this.beatIfDue().catch(() => undefined);
        if (this.stopping || !mayStartSend(this.clock.now().getTime(), this.heldUntil, leaseMs)) {
          outcomes.released(item.message);
          continue;
        }
        const sender = this.senders.get(item.message.kind);
        if (sender) {
          await this.sendThrough(sender, item.message, outcomes);
          continue;
        }
        let mail: OutgoingMail;
        try {
          mail = this.mailFor(item.message, item.template);
        } catch (error) {
          // The same data and template fail the same way every time: no retries, a dead letter that says why.
          outcomes.failed(item.message, `cannot render: ${templateErrorDetail(error)}`, { permanent: true });
          continue;
        }
        try {
          await this.transport.send(mail);
          outcomes.sent(item.message);
        } catch (error) {
          outcomes.failed(item.message, error instanceof Error ? error.message : String(error));
        }
      }
    };

    try {
      await claimMore();
      await Promise.all(Array.from({ length: concurrency }, lane));
      await outcomes.flush();
      await this.foldTalliesIfDue();
    } finally {
      clearInterval(renewer);
      // Lanes do not throw (each outcome is caught and recorded), but never leave a claim held.
      for (const { message } of queue.splice(0)) outcomes.released(message);
      await outcomes.flush();
    }
    return total;
  }

  /**
   * Collects the outcomes of sends and writes them in a few batched writes, one write at a time:
   * once 50 have piled up or 200 ms after the first of them, and when flushed. Each write is
   * retried until it lands (see record); `onRecorded` then hears which messages it covered.
   */
  private outcomeRecorder(total: DrainResult, onRecorded: (messages: OutboxRecord[]) => void) {
    const { backoffBaseMs, backoffMaxMs } = this.options.outbox;
    let sent: OutboxRecord[] = [];
    let failures: FailedAttempt[] = [];
    let released: OutboxRecord[] = [];
    let deferred: { message: OutboxRecord; until: Date }[] = [];
    let cancelled: { message: OutboxRecord; reason: string }[] = [];
    let firstAt = 0;
    let writes = Promise.resolve();
    const flush = (): Promise<void> => {
      const batch = { sent, failures, released, deferred, cancelled };
      sent = [];
      failures = [];
      released = [];
      deferred = [];
      cancelled = [];
      writes = writes.then(async () => {
        const now = () => this.clock.now();
        await this.record('sent marks', batch.sent.length, () => this.outbox.markSent(batch.sent, now()));
        await this.record('failed attempts', batch.failures.length, async () => {
          for (const dead of await this.outbox.markFailed(batch.failures, now())) {
            this.logger.warn({ msg: 'message dead-lettered', id: dead.id, key: dead.key });
          }
        });
        await this.record('released claims', batch.released.length, () => this.outbox.release(batch.released, now()));
        await this.record('deferred messages', batch.deferred.length, () => this.outbox.defer(batch.deferred, now()));
        await this.record('cancelled messages', batch.cancelled.length, async () => {
          for (const c of batch.cancelled) await this.outbox.cancelMany([c.message], c.reason, now());
        });
        onRecorded([
          ...batch.sent,
          ...batch.failures.map((f) => f.message),
          ...batch.released,
          ...batch.deferred.map((d) => d.message),
          ...batch.cancelled.map((c) => c.message),
        ]);
      });
      return writes;
    };
    const noted = () => {
      const count = sent.length + failures.length + released.length + deferred.length + cancelled.length;
      if (count === 1) firstAt = performance.now();
      if (count >= RECORD_EVERY || performance.now() - firstAt >= RECORD_AFTER_MS) void flush();
    };
    return {
      sent: (message: OutboxRecord) => {
        total.sent++;
        sent.push(message);
        noted();
      },
      failed: (
        message: OutboxRecord,
        error: string,
        { permanent = false, retryAt = undefined as Date | undefined } = {},
      ) => {
        total.failed++;
        const backoff = this.clock.now().getTime() + retryDelayMs(message.attempts + 1, backoffBaseMs, backoffMaxMs);
        // A receiver that says when to come back (Retry-After) is taken at its word, never sooner than the backoff.
        const at = new Date(Math.max(backoff, retryAt?.getTime() ?? 0));
        failures.push({ message, error, retryAt: at, permanent });
        noted();
      },
      deferred: (message: OutboxRecord, until: Date) => {
        total.deferred++;
        deferred.push({ message, until });
        noted();
      },
      cancelled: (message: OutboxRecord, reason: string) => {
        total.cancelled++;
        cancelled.push({ message, reason });
        noted();
      },
      released: (message: OutboxRecord) => {
        total.released++;
        released.push(message);
        noted();
      },
      flush,
    };
  }

  /** Keeps the status counts a few small reads: folds tallies older than a lease, now and then. */
  private async foldTalliesIfDue(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastFoldAt < FOLD_EVERY_MS) return;
    this.lastFoldAt = now.getTime();
    await this.tallies.fold(now, this.options.outbox.leaseMs).catch((error: unknown) => {
      this.logger.warn({ msg: 'folding outbox tallies failed', error: String(error) });
    });
  }

  /**
   * Reaps crashed sends, then claims the next batch of due messages (leaving out the claims in
   * hand): cancels the suppressed ones, claims the rest in one round trip.
   */
  private async claimNext(run: RunState): Promise<ClaimedBatch | null> {
    if (this.stopping) return null;
    const { leaseMs } = this.options.outbox;
    const due = await this.findDue(run);
    if (due.length === 0) return null;
    // The heartbeat before any claim: it is what keeps the claims below held. (An idle poll writes nothing.)
    await this.beatIfDue();
    if (!mayStartSend(this.clock.now().getTime(), this.heldUntil, leaseMs)) return null;
    const result = emptyResult();

    const suppressed = await this.outbox.suppressedAmong(due);
    const blocked = due.filter((m) => suppressed.has(m.id));
    await this.outbox.cancelMany(blocked, SUPPRESSED, this.clock.now());
    result.cancelled = blocked.length;
    const candidates = due.filter((m) => !suppressed.has(m.id));
    const overrides = await this.overrides.templatesFor(candidates.flatMap((m) => (m.funnelId ? [m.funnelId] : [])));

    const leaseUntil = new Date(this.clock.now().getTime() + leaseMs);
    const claimed = await this.outbox.claimBatch(candidates, this.workerId, leaseUntil);
    for (const m of claimed) this.holding.add(claimKey(m));
    const won = new Set(claimed.map((m) => m.id));
    const taken = await this.takeOverAbandoned(candidates.filter((m) => !won.has(m.id)));
    const lost = candidates.filter((m) => !won.has(m.id) && !taken.has(m.id));
    result.skipped = lost.length;
    // A crashed send is a failed attempt; its message is due again at once.
    result.failed = taken.size;
    // Another worker holds these: leave them out of this worker's polls for a lease, so that it
    // takes the next part of a backlog instead.
    for (const m of lost) this.claimedElsewhere.set(m.id, { until: leaseUntil.getTime(), chunk: m.chunk });
    return { claimed, overrides, result };
  }

  /** Sends a message of a kind that is not mail through its feature's sender, and notes the outcome. */
  private async sendThrough(
    sender: OutboxSender,
    message: OutboxRecord,
    outcomes: ReturnType<OutboxWorker['outcomeRecorder']>,
  ): Promise<void> {
    try {
      const result = await sender.send(message);
      if (result.outcome === 'sent') outcomes.sent(message);
      else if (result.outcome === 'deferred') outcomes.deferred(message, result.until);
      else if (result.outcome === 'cancelled') outcomes.cancelled(message, result.reason);
      else outcomes.failed(message, result.error, { permanent: result.permanent, retryAt: result.retryAt });
    } catch (error) {
      outcomes.failed(message, error instanceof Error ? error.message : String(error));
    }
  }

  private mailFor(message: OutboxRecord, override: CompiledTemplate | undefined): OutgoingMail {
    const rendered = this.renderer.render(
      { kind: message.kind, data: message.data } as MessageData,
      message.locale,
      override,
    );
    return {
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
    };
  }

  /**
   * Writes an outcome, retrying the write until it succeeds: the mail is out (or deliberately
   * not), so sending again is never the answer. The heartbeat is renewed meanwhile, so nobody
   * takes over the messages whose outcome is still unrecorded.
   */
  private async record(what: string, count: number, write: () => Promise<unknown>): Promise<void> {
    if (count === 0) return;
    for (let failures = 1; ; failures++) {
      try {
        await write();
        return;
      } catch (error) {
        const givingUp = this.stopping && failures >= SHUTDOWN_WRITE_TRIES;
        this.logger[givingUp ? 'error' : 'warn']({
          msg: givingUp
            ? `could not record ${what} before shutdown; these messages will be retried after their lease`
            : `recording ${what} failed; retrying the write`,
          count,
          attempt: failures,
          error: String(error),
        });
        if (givingUp) return;
        await sleep(statusWriteRetryMs(failures));
        await this.beatIfDue().catch(() => undefined);
      }
    }
  }

  /**
   * Up to a batch of due messages, chunk by chunk (see OutboxChunk): picks due chunks, reads their
   * due mail except the claims known to be held, and settles the chunks that gave nothing. Each
   * round either finds mail or takes chunks out of the way (deleted, due later, or held for this
   * run), so it ends.
   */
  private async findDue(run: RunState): Promise<DueMessage[]> {
    const { batchSize } = this.options.outbox;
    for (;;) {
      const now = this.clock.now();
      const held = [...run.inHand, ...this.othersClaims()];
      const heldIn = new Map<string, number>();
      for (const [, chunk] of held) heldIn.set(chunk, (heldIn.get(chunk) ?? 0) + 1);
      // What a chunk may still give is its size less the claims known to be held in it.
      const dueFirst = (await this.outbox.dueChunks(now, [...run.heldChunks])).map((c) => ({
        id: c.id,
        size: Math.max(0, c.size - (heldIn.get(c.id) ?? 0)),
      }));
      if (dueFirst.length === 0) return [];
      const chunks = chunksForBatch(dueFirst, batchSize).map((c) => c.id);
      if (chunks.length === 0) {
        // All these chunks' mail is held: look past them.
        for (const c of dueFirst) run.heldChunks.add(c.id);
        continue;
      }
      const picked = new Set(chunks);
      const except = held.filter(([, chunk]) => picked.has(chunk)).map(([id]) => id);
      const due = await this.outbox.findDueIn(chunks, now, batchSize, except);
      if (due.length >= batchSize) return due;
      // Short of a batch: every chunk that gave nothing had nothing to give.
      const gaveMail = new Set(due.map((m) => m.chunk));
      const heldChunks = await this.outbox.settleChunks(
        chunks.filter((c) => !gaveMail.has(c)),
        now,
      );
      for (const chunk of heldChunks) run.heldChunks.add(chunk);
      if (due.length > 0) return due;
    }
  }

  /** The messages to leave out of the next poll, with their chunks; forgets those whose holder's lease has ended. */
  private othersClaims(): [string, string][] {
    const now = this.clock.now().getTime();
    for (const [id, { until }] of this.claimedElsewhere) if (until <= now) this.claimedElsewhere.delete(id);
    // Bounded: past this many, the oldest are polled (and skipped) again.
    const limit = 10 * this.options.outbox.batchSize;
    for (const id of this.claimedElsewhere.keys()) {
      if (this.claimedElsewhere.size <= limit) break;
      this.claimedElsewhere.delete(id);
    }
    return [...this.claimedElsewhere].map(([id, { chunk }]) => [id, chunk]);
  }

  /** Renews this worker's heartbeat when a third of the lease has passed; concurrent calls share one write. */
  private beatIfDue(): Promise<void> {
    const { leaseMs } = this.options.outbox;
    if (!heartbeatDue(this.clock.now().getTime(), this.lastBeatAt, leaseMs)) return Promise.resolve();
    this.beating ??= (async () => {
      const at = this.clock.now();
      const aliveUntil = new Date(at.getTime() + leaseMs);
      await this.outbox.beat(this.workerId, at, aliveUntil);
      // The lease counts from before the write went out, so it is never longer than the stored one.
      this.lastBeatAt = at.getTime();
      this.heldUntil = aliveUntil.getTime();
    })()
      .catch((error: unknown) => {
        this.logger.warn({ msg: 'heartbeat failed', error: String(error) });
        throw error;
      })
      .finally(() => (this.beating = null));
    return this.beating;
  }

  /**
   * Of the messages whose current attempt another claim holds, fails the attempts of crashed sends
   * (lease over, worker's heartbeat stopped) so that they are retried, never lost. Returns those.
   */
  private async takeOverAbandoned(lost: OutboxRecord[]): Promise<Set<string>> {
    if (lost.length === 0) return new Set();
    const now = this.clock.now();
    const claims = await this.outbox.findClaims(lost);
    const expired = claims.filter((c) => c.leaseUntil < now);
    if (expired.length === 0) return new Set();
    const others = [...new Set(expired.map((c) => c.workerId))].filter((w) => w !== this.workerId);
    const live = await this.outbox.liveWorkers(others, now);
    const abandoned = new Set(
      abandonedClaims(expired, live, { workerId: this.workerId, holding: this.holding }).map((c) => c.messageId),
    );
    const crashed = lost.filter((m) => abandoned.has(m.id));
    await this.outbox.markFailed(
      crashed.map((message) => ({ message, error: ABANDONED, retryAt: now })),
      now,
    );
    if (crashed.length > 0)
      this.logger.warn({ msg: 'retrying messages whose worker stopped mid-send', count: crashed.length });
    return abandoned;
  }
}

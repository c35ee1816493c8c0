import { createHash } from 'node:crypto';
import { addCounts, noMessages, StatusTally } from './outbox-tally.rules';

/** Delay before retry number `failures` (1 = first retry): doubling from `baseMs`, capped at `maxMs`. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/** A stable Message-ID from the idempotency key, so a resend is recognisable as the same message. */
export function messageIdFor(key: string, fromAddress: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(fromAddress)?.[1] ?? 'course-funnel.invalid';
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}`;
}

/**
 * Leases. A worker's heartbeat makes every claim it holds good until `aliveUntil`; it beats every
 * third of the lease and starts no send in the last third, so a send it starts always ends
 * (the SMTP timeouts are far shorter) before anyone else may take the message over.
 */
export const beatIntervalMs = (leaseMs: number) => Math.floor(leaseMs / 3);

/** Whether the worker must renew its heartbeat before it claims or sends more. */
export function heartbeatDue(now: number, lastBeatAt: number, leaseMs: number): boolean {
  return now - lastBeatAt >= beatIntervalMs(leaseMs);
}

/** Whether a send may start: the lease proven by the last recorded heartbeat has a third left. */
export function mayStartSend(now: number, heldUntil: number, leaseMs: number): boolean {
  return now < heldUntil - beatIntervalMs(leaseMs);
}

/**
 * Which expired claims are crashed sends: those of workers with no live heartbeat, and this
 * worker's own claims that it no longer holds in memory (e.g. an insert whose answer was lost).
 */
export function abandonedClaims<C extends { id: string; workerId: string }>(
  expired: C[],
  liveWorkers: Set<string>,
  self: { workerId: string; holding: Set<string> },
): C[] {
  return expired.filter((c) => (c.workerId === self.workerId ? !self.holding.has(c.id) : !liveWorkers.has(c.workerId)));
}

/**
 * What a chunk whose poll found nothing to claim says about itself, from its pending messages:
 * `gone` when none is left (delete it); `later` when none is due yet (its next due time);
 * `held` when due ones remain that the poll left out (claims in hand): look again next run.
 */
export type ChunkState = { state: 'gone' } | { state: 'later'; dueAt: Date } | { state: 'held' };

export function chunkState(pending: { nextAttemptAt: Date }[], now: Date): ChunkState {
  if (pending.length === 0) return { state: 'gone' };
  let next = Infinity;
  for (const m of pending) next = Math.min(next, m.nextAttemptAt.getTime());
  return next <= now.getTime() ? { state: 'held' } : { state: 'later', dueAt: new Date(next) };
}

/**
 * Picks chunks, oldest due first, until what they may still give (`size`) could fill a batch: a
 * poll then reads about one batch, however big the backlog. A chunk that may give nothing (all
 * its mail is held) is passed over.
 */
export function chunksForBatch<C extends { size: number }>(dueFirst: C[], batchSize: number): C[] {
  const picked: C[] = [];
  let room = 0;
  for (const chunk of dueFirst) {
    if (room >= batchSize) break;
    if (chunk.size <= 0) continue;
    picked.push(chunk);
    room += chunk.size;
  }
  return picked;
}

/** Delay before retrying a failed status write (a write, never a second send): 100 ms doubling to 5 s. */
export function statusWriteRetryMs(failures: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, failures - 1));
}

export interface OutboxCounts {
  totals: StatusTally;
  /** One row per cohort (null: mail outside a cohort, e.g. staff notices) and kind. */
  rows: ({ cohortId: string | null; kind: string } & StatusTally)[];
}

/** Sorts counted rows by cohort and kind, and adds them up. */
export function tallyOutbox(counted: ({ cohortId: string | null; kind: string } & StatusTally)[]): OutboxCounts {
  const totals = counted.reduce(addCounts, noMessages());
  const order = (r: OutboxCounts['rows'][number]) => `${r.cohortId ?? ''}:${r.kind}`;
  return { totals, rows: [...counted].sort((a, b) => order(a).localeCompare(order(b))) };
}

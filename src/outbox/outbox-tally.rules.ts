import { createHash } from 'node:crypto';
import type { OutboxStatus } from './outbox-message.schema';

/**
 * Status counts without counting messages. Every write that moves messages between statuses
 * first inserts a tally (how many it moves, per cohort and kind); a total per cohort and kind folds
 * the tallies older than a lease. Counts are the total plus the tallies after its cut: a few
 * small documents however many messages there are. Tallies are insert-only, so concurrent writers
 * never lose one another's (FerretDB 1 loses concurrent updates of one document).
 */

/** Where a message is counted: its cohort (null: mail outside a cohort) and kind. */
export type StatusTally = Record<'pending' | 'sent' | 'dead' | 'cancelled', number>;

export interface Bucket {
  cohortId: string | null;
  kind: string;
}

export const bucketKey = (b: Bucket) => `${b.cohortId ?? '-'}:${b.kind}`;

export const noMessages = (): StatusTally => ({ pending: 0, sent: 0, dead: 0, cancelled: 0 });

/** The change to the counts when `n` messages move from one status to another (from null: new). */
export function moveDelta(from: OutboxStatus | null, to: OutboxStatus, n: number): StatusTally {
  const delta = noMessages();
  if (from) delta[from] -= n;
  delta[to] += n;
  return delta;
}

const STATUSES = ['pending', 'sent', 'dead', 'cancelled'] as const satisfies readonly OutboxStatus[];

/** Adds `more` into `into`, status by status. */
export function addCounts(into: StatusTally, more: StatusTally): StatusTally {
  for (const status of STATUSES) into[status] += more[status];
  return into;
}

/** Just the four counts of a stored tally or total. */
export const pickCounts = (doc: StatusTally): StatusTally => addCounts(noMessages(), doc);

export const isZero = (t: StatusTally) => t.pending === 0 && t.sent === 0 && t.dead === 0 && t.cancelled === 0;

/**
 * One id per logical write, the same on every retry of it: a status write that failed (and may or
 * may not have landed) is written again with the same tally, which then counts once.
 */
export function tallyOpId(what: string, members: string[]): string {
  const hash = createHash('sha256').update(what);
  for (const m of [...members].sort()) hash.update(`\n${m}`);
  return hash.digest('hex').slice(0, 32);
}

/** How many of the messages in each bucket, for a write over messages of several buckets. */
export function perBucket<M extends Bucket>(messages: M[]): { bucket: Bucket; messages: M[] }[] {
  const groups = new Map<string, { bucket: Bucket; messages: M[] }>();
  for (const m of messages) {
    const key = bucketKey(m);
    const group = groups.get(key) ?? { bucket: { cohortId: m.cohortId, kind: m.kind }, messages: [] };
    group.messages.push(m);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface TotalRow extends Bucket, StatusTally {
  /** Tallies at or before this time are in the total. */
  cut: Date;
}

export interface TallyRow extends Bucket, StatusTally {
  at: Date;
}

/** The counts per bucket: each total, plus its bucket's tallies after the total's cut. */
export function mergeCounts(totals: TotalRow[], tallies: TallyRow[]): (Bucket & StatusTally)[] {
  const rows = new Map<string, Bucket & StatusTally>();
  const cuts = new Map<string, number>();
  for (const t of totals) {
    rows.set(bucketKey(t), { cohortId: t.cohortId, kind: t.kind, ...pickCounts(t) });
    cuts.set(bucketKey(t), t.cut.getTime());
  }
  for (const t of tallies) {
    const key = bucketKey(t);
    if (t.at.getTime() <= (cuts.get(key) ?? -Infinity)) continue;
    const row = rows.get(key) ?? { cohortId: t.cohortId, kind: t.kind, ...noMessages() };
    addCounts(row, t);
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** The sum of tallies, e.g. those a fold moves into a total. */
export function sumTallies(tallies: StatusTally[]): StatusTally {
  const sum = noMessages();
  for (const t of tallies)
    for (const status of ['pending', 'sent', 'dead', 'cancelled'] as const) sum[status] += t[status];
  return sum;
}

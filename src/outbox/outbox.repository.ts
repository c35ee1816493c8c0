import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertManyOnce } from '../database/insert-once';
import { isDuplicateKeyError, isTransientWriteConflict } from '../database/mongo-errors';
import { OutboxKind } from '../messages/message-kinds';
import { NewOutboxMessage } from '../messages/outgoing-message';
import { OutboxChunk, OutboxClaim, OutboxMessage, OutboxStatus, OutboxWorkerBeat } from './outbox-message.schema';
import { chunkState } from './outbox.rules';
import { moveDelta, perBucket, tallyOpId } from './outbox-tally.rules';
import { OutboxTallyRepository } from './outbox-tally.repository';
import { Suppression } from './suppression.schema';

export interface OutboxRecord extends Omit<NewOutboxMessage, 'cohortId' | 'studentId' | 'funnelId'> {
  id: string;
  cohortId: string | null;
  studentId: string | null;
  funnelId: string | null;
  status: OutboxStatus;
  attempts: number;
  attemptLimit: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

type StoredMessage = OutboxMessage & { _id: Types.ObjectId };

/** A due message as the worker's poll sees it: with the chunk it was read from. */
export type DueMessage = OutboxRecord & { chunk: string };

function toRecord(doc: StoredMessage): OutboxRecord {
  return {
    id: doc._id.toHexString(),
    key: doc.key,
    kind: doc.kind,
    locale: doc.locale,
    to: doc.to,
    data: doc.data,
    ...(doc.unsubscribeUrl ? { unsubscribeUrl: doc.unsubscribeUrl } : {}),
    cohortId: doc.cohortId?.toHexString() ?? null,
    studentId: doc.studentId?.toHexString() ?? null,
    funnelId: doc.funnelId?.toHexString() ?? null,
    status: doc.status,
    attempts: doc.attempts,
    attemptLimit: doc.attemptLimit,
    nextAttemptAt: doc.nextAttemptAt,
    lastError: doc.lastError ?? null,
    createdAt: doc.createdAt,
    sentAt: doc.sentAt ?? null,
  };
}

const oid = (id: string | undefined) => (id ? new Types.ObjectId(id) : undefined);

/** Attempt n of a message is claimed under this id, which can be inserted once. */
const claimId = (m: Pick<OutboxRecord, 'id' | 'attempts'>) => `${m.id}:${m.attempts}`;
const objectIds = (messages: Pick<OutboxRecord, 'id'>[]) => messages.map((m) => new Types.ObjectId(m.id));
/** A failed send: retried at `retryAt`, or dead-lettered now when it is `permanent` (trying again cannot help). */
export interface FailedAttempt {
  message: OutboxRecord;
  error: string;
  retryAt: Date;
  permanent?: boolean;
}

/** Whether a failed attempt is the message's last one (it is then dead-lettered). */
const isLastAttempt = (m: OutboxRecord) => m.attempts + 1 >= m.attemptLimit;
/** Messages grouped by their current attempt, for writes that apply to that attempt only. */
function byAttempts<M extends { attempts: number }>(messages: M[]): Map<number, M[]> {
  const groups = new Map<number, M[]>();
  for (const m of messages) {
    const group = groups.get(m.attempts) ?? [];
    group.push(m);
    groups.set(m.attempts, group);
  }
  return groups;
}
/** The earliest attempt among these messages: when their chunk is due. */
const earliest = (messages: { nextAttemptAt: Date }[]) =>
  new Date(Math.min(...messages.map((m) => m.nextAttemptAt.getTime())));
/** Messages a cancellation moves per write. */
const CANCEL_CHUNK = 500;
/** Most messages in one chunk (see OutboxChunk). */
const CHUNK_SIZE = 1000;
/** Most chunks one poll sorts through: plenty for a batch, bounded however many are due. */
const CHUNKS_PER_POLL = 200;

/** What a status write needs of a message: which attempt it is at, and where it is counted. */
type Moving = Pick<OutboxRecord, 'id' | 'cohortId' | 'kind' | 'attempts'>;

export interface ClaimRecord {
  id: string;
  messageId: string;
  workerId: string;
  leaseUntil: Date;
}

@Injectable()
export class OutboxRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectModel(OutboxMessage.name, COURSE_FUNNEL_CONNECTION) private readonly messages: Model<OutboxMessage>,
    @InjectModel(OutboxChunk.name, COURSE_FUNNEL_CONNECTION) private readonly chunks: Model<OutboxChunk>,
    @InjectModel(OutboxClaim.name, COURSE_FUNNEL_CONNECTION) private readonly claims: Model<OutboxClaim>,
    @InjectModel(Suppression.name, COURSE_FUNNEL_CONNECTION) private readonly suppressions: Model<Suppression>,
    @InjectModel(OutboxWorkerBeat.name, COURSE_FUNNEL_CONNECTION) private readonly beats: Model<OutboxWorkerBeat>,
    private readonly tallies: OutboxTallyRepository,
  ) {}

  /** Pending messages stored before chunks existed are put in chunks, so that the poll finds them. */
  async onApplicationBootstrap(): Promise<void> {
    let filled = 0;
    for (;;) {
      const batch = await this.rawMessages()
        .find({ status: 'pending', chunk: { $exists: false } }, { projection: { _id: 1, nextAttemptAt: 1 } })
        .limit(CHUNK_SIZE)
        .toArray();
      if (batch.length === 0) break;
      const chunk = `earlier:${batch[0]._id.toHexString()}`;
      await this.openChunks([{ _id: chunk, dueAt: earliest(batch), size: batch.length }]);
      await this.rawMessages().updateMany(
        { _id: { $in: batch.map((m) => m._id) }, chunk: { $exists: false } },
        { $set: { chunk } },
      );
      filled += batch.length;
    }
    if (filled > 0) this.logger.log({ msg: 'put earlier pending mail in chunks', count: filled });
  }

  /** Records a suppression; suppressing again keeps the first record. */
  async suppress(id: string, exceptKinds: OutboxKind[], at: Date): Promise<void> {
    try {
      await this.suppressions.create({ _id: id, exceptKinds, createdAt: at });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async unsuppress(id: string): Promise<void> {
    await this.suppressions.deleteOne({ _id: id }).exec();
  }

  /** The messages of a batch that must not go out, by message id. One query per batch. */
  async suppressedAmong(batch: OutboxRecord[]): Promise<Set<string>> {
    const keys = new Set<string>();
    for (const m of batch) {
      if (m.studentId) keys.add(`student:${m.studentId}`);
      if (m.cohortId) keys.add(`cohort:${m.cohortId}`);
    }
    if (keys.size === 0) return new Set();
    const found = await this.suppressions
      .find({ _id: trusted({ $in: [...keys] }) })
      .lean<Suppression[]>()
      .exec();
    const rules = new Map(found.map((s) => [s._id, s.exceptKinds]));
    const blocked = (key: string, kind: OutboxKind) => rules.has(key) && !rules.get(key)?.includes(kind);
    return new Set(
      batch
        .filter(
          (m) =>
            (m.studentId && blocked(`student:${m.studentId}`, m.kind)) ||
            (m.cohortId && blocked(`cohort:${m.cohortId}`, m.kind)),
        )
        .map((m) => m.id),
    );
  }

  /** Marks suppressed messages cancelled instead of sending them. */
  async cancelMany(messages: OutboxRecord[], reason: string, at: Date): Promise<void> {
    await this.move(messages, 'pending', 'cancelled', { $set: { lastError: reason } }, at);
  }

  /**
   * Writes messages whose keys are new and skips the others; returns how many were new. Unordered,
   * so one duplicate does not stop the rest of the batch.
   */
  async enqueue(batch: NewOutboxMessage[], attemptLimit: number, now: Date): Promise<number> {
    if (batch.length === 0) return 0;
    // Tallied as new before the insert; the keys that existed already are counted back out after.
    const op = tallyOpId(
      'new',
      batch.map((m) => m.key),
    );
    const buckets = (messages: NewOutboxMessage[]) =>
      perBucket(messages.map((m) => ({ cohortId: m.cohortId ?? null, kind: m.kind, key: m.key })));
    await this.tallies.record(
      op,
      buckets(batch).map((g) => ({ bucket: g.bucket, delta: moveDelta(null, 'pending', g.messages.length) })),
      now,
    );
    // Chunks before their messages: a chunk left empty by a crash here is deleted when polled.
    const chunked = Array.from({ length: Math.ceil(batch.length / CHUNK_SIZE) }, (_, i) => ({
      _id: `${op}:${i}`,
      messages: batch.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE),
    }));
    await this.openChunks(chunked.map((c) => ({ _id: c._id, dueAt: earliest(c.messages), size: c.messages.length })));
    const docs = chunked.flatMap((c) =>
      c.messages.map((m) => ({
        ...m,
        cohortId: oid(m.cohortId),
        studentId: oid(m.studentId),
        funnelId: oid(m.funnelId),
        status: 'pending' as const,
        attempts: 0,
        attemptLimit,
        createdAt: now,
        enqueueOp: op,
        chunk: c._id,
      })),
    );
    try {
      // The driver's insertMany: these documents are built here from typed input, so mongoose's
      // per-document casting and validation would only slow large fan-outs down.
      const result = await this.messages.collection.insertMany(docs, { ordered: false });
      return result.insertedCount;
    } catch (error) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      const writeErrors = ([] as mongo.WriteError[]).concat(error.writeErrors);
      if (!writeErrors.every(isDuplicateKeyError)) throw error;
      // Ours are the keys this write inserted (now or in an earlier try of it); the rest existed.
      const ours = await this.messages
        .find({ key: trusted({ $in: batch.map((m) => m.key) }), enqueueOp: op }, { key: 1 })
        .lean<{ key: string }[]>()
        .exec();
      const inserted = new Set(ours.map((d) => d.key));
      const existed = batch.filter((m) => !inserted.has(m.key));
      await this.tallies.record(
        `${op}:existed`,
        buckets(existed).map((g) => ({ bucket: g.bucket, delta: moveDelta(null, 'pending', -g.messages.length) })),
        now,
      );
      return error.insertedCount;
    }
  }

  /**
   * The worker's poll, step one: chunks with mail due at `now`, oldest first (a bounded number),
   * except those named. Sorts chunks, not messages, so it costs the same at any backlog.
   */
  async dueChunks(now: Date, except: string[]): Promise<{ id: string; size: number }[]> {
    const due = await this.chunks
      .find({ dueAt: trusted({ $lte: now }), ...(except.length > 0 ? { _id: trusted({ $nin: except }) } : {}) })
      .sort({ dueAt: 1 })
      .limit(CHUNKS_PER_POLL)
      .lean<OutboxChunk[]>()
      .exec();
    return due.map((c) => ({ id: c._id, size: c.size }));
  }

  /**
   * Step two: up to `limit` pending messages due at `now` in these chunks, except those named (the
   * claims in hand). Reads by equality on the chunk: never more than the chunks hold.
   */
  async findDueIn(chunks: string[], now: Date, limit: number, except: string[]): Promise<DueMessage[]> {
    if (chunks.length === 0) return [];
    const docs = await this.messages
      .find({
        chunk: trusted({ $in: chunks }),
        status: 'pending',
        nextAttemptAt: trusted({ $lte: now }),
        ...(except.length > 0 ? { _id: trusted({ $nin: except.map((id) => new Types.ObjectId(id)) }) } : {}),
      })
      // Engines whose indexes hold every field (DocumentDB) would otherwise intersect this with
      // an index on status, reading every pending message's entry.
      .hint({ chunk: 1 })
      .limit(limit)
      .lean<StoredMessage[]>()
      .exec();
    return docs.map((doc) => ({ ...toRecord(doc), chunk: doc.chunk! }));
  }

  /**
   * Step three, for the chunks where step two found nothing: deletes those with no pending mail
   * left, moves those with none due to their next due time, and returns the rest (due mail left
   * out of the poll, i.e. claims in hand), which the caller leaves alone for the rest of its run.
   */
  async settleChunks(chunks: string[], now: Date): Promise<string[]> {
    if (chunks.length === 0) return [];
    const pending = await this.rawMessages()
      .find({ chunk: { $in: chunks }, status: 'pending' }, { projection: { chunk: 1, nextAttemptAt: 1 } })
      .hint({ chunk: 1 })
      .toArray();
    const byChunk = new Map<string, { nextAttemptAt: Date }[]>(chunks.map((c) => [c, []]));
    for (const m of pending) byChunk.get(m.chunk!)?.push(m);
    const held: string[] = [];
    const gone: string[] = [];
    for (const [chunk, ofChunk] of byChunk) {
      const state = chunkState(ofChunk, now);
      if (state.state === 'gone') gone.push(chunk);
      else if (state.state === 'held') held.push(chunk);
      else await this.rawChunks().updateOne({ _id: chunk }, { $set: { dueAt: state.dueAt } });
    }
    if (gone.length > 0) await this.rawChunks().deleteMany({ _id: { $in: gone } });
    return held;
  }

  /**
   * Claims the current attempt of each message in one round trip: one unique insert per message,
   * unordered, so each claim is decided on its own. Returns the messages this caller won; a
   * duplicate (another worker was first) or a conflict the engine reports as a deadlock loses.
   */
  async claimBatch<M extends OutboxRecord>(batch: M[], workerId: string, leaseUntil: Date): Promise<M[]> {
    if (batch.length === 0) return [];
    const docs = batch.map((m) => ({
      _id: claimId(m),
      messageId: new Types.ObjectId(m.id),
      attempt: m.attempts,
      workerId,
      leaseUntil,
    }));
    try {
      await this.claims.collection.insertMany(docs as never[], { ordered: false });
      return batch;
    } catch (error) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      const writeErrors = ([] as mongo.WriteError[]).concat(error.writeErrors);
      if (!writeErrors.every((e) => isDuplicateKeyError(e) || isTransientWriteConflict(e))) throw error;
      const lost = new Set(writeErrors.map((e) => e.index));
      return batch.filter((_, i) => !lost.has(i));
    }
  }

  /** True for exactly one caller per (message, attempt), across all instances. */
  async claim(message: OutboxRecord, workerId: string, leaseUntil: Date): Promise<boolean> {
    return (await this.claimBatch([message], workerId, leaseUntil)).length === 1;
  }

  /**
   * Records delivered messages as sent. One cancelled while it was being sent went out all the
   * same, and is recorded as sent too.
   */
  async markSent(messages: OutboxRecord[], at: Date): Promise<void> {
    const update = { $set: { sentAt: at }, $inc: { attempts: 1 } };
    const cancelledMeanwhile = await this.move(messages, 'pending', 'sent', update, at);
    await this.move(cancelledMeanwhile, 'cancelled', 'sent', update, at);
  }

  /**
   * Counts failed attempts: each message retries at its own time, or is dead-lettered when it has
   * reached its limit or cannot succeed. Only the attempt that was claimed is counted.
   */
  async markFailed(failures: FailedAttempt[], at: Date): Promise<OutboxRecord[]> {
    if (failures.length === 0) return [];
    const failure = new Map(failures.map((f) => [f.message.id, f]));
    const isDead = (m: OutboxRecord) => failure.get(m.id)!.permanent === true || isLastAttempt(m);
    await this.updateEachAttempt(
      failures.map((f) => f.message),
      (m) => {
        const { error, retryAt } = failure.get(m.id)!;
        const status: OutboxStatus = isDead(m) ? 'dead' : 'pending';
        return { $set: { attempts: m.attempts + 1, status, lastError: error.slice(0, 1000), nextAttemptAt: retryAt } };
      },
      at,
    );
    return failures.map((f) => f.message).filter(isDead);
  }

  /**
   * Hands claimed messages back unsent (the worker is stopping, or could no longer prove its
   * lease): due again at once, and the attempt does not count against the message's limit.
   */
  async release(messages: OutboxRecord[], now: Date): Promise<void> {
    await this.defer(
      messages.map((message) => ({ message, until: now })),
      now,
    );
  }

  /**
   * Hands claimed messages back unsent until a later time (their receiver's rate limit), without
   * counting the attempt. Their chunk stays due no later than they are, as attempts only move later.
   */
  async defer(deferrals: { message: OutboxRecord; until: Date }[], now: Date): Promise<void> {
    if (deferrals.length === 0) return;
    const until = new Map(deferrals.map((d) => [d.message.id, d.until]));
    await this.updateEachAttempt(
      deferrals.map((d) => d.message),
      (m) => ({ $set: { nextAttemptAt: until.get(m.id)! }, $inc: { attempts: 1, attemptLimit: 1 } }),
      now,
    );
  }

  /** The claims on these messages' current attempts (those another worker won). */
  async findClaims(messages: OutboxRecord[]): Promise<ClaimRecord[]> {
    if (messages.length === 0) return [];
    const claims = await this.claims
      .find({ _id: trusted({ $in: messages.map(claimId) }) })
      .lean<OutboxClaim[]>()
      .exec();
    return claims.map((c) => ({
      id: c._id,
      messageId: c.messageId.toHexString(),
      workerId: c.workerId,
      leaseUntil: c.leaseUntil,
    }));
  }

  /** Renews a worker's heartbeat: every claim it holds stays held until `aliveUntil`. */
  async beat(workerId: string, at: Date, aliveUntil: Date): Promise<void> {
    await this.rawBeats().updateOne({ _id: workerId }, { $set: { aliveUntil, beatAt: at } }, { upsert: true });
  }

  /** The workers among `workerIds` whose heartbeat is alive at `now`. */
  async liveWorkers(workerIds: string[], now: Date): Promise<Set<string>> {
    if (workerIds.length === 0) return new Set();
    const live = await this.beats
      .find({ _id: trusted({ $in: workerIds }), aliveUntil: trusted({ $gte: now }) })
      .lean<OutboxWorkerBeat[]>()
      .exec();
    return new Set(live.map((b) => b._id));
  }

  /** A worker that stopped cleanly holds nothing; its heartbeat goes with it. */
  async retire(workerId: string, olderThan: Date): Promise<void> {
    await this.rawBeats().deleteMany({ $or: [{ _id: workerId }, { aliveUntil: { $lt: olderThan } }] });
  }

  async findById(id: string): Promise<OutboxRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.messages.findById(id).lean<StoredMessage>().exec();
    return doc ? toRecord(doc) : null;
  }

  async listPage(
    filter: { status?: OutboxStatus; cohortId?: string },
    limit: number,
    afterId?: string,
  ): Promise<OutboxRecord[]> {
    const query: Record<string, unknown> = {};
    if (filter.status) query['status'] = filter.status;
    if (filter.cohortId) query['cohortId'] = new Types.ObjectId(filter.cohortId);
    if (afterId) query['_id'] = trusted({ $gt: new Types.ObjectId(afterId) });
    const docs = await this.messages.find(query).sort({ _id: 1 }).limit(limit).lean<StoredMessage[]>().exec();
    return docs.map(toRecord);
  }

  /** A dead letter goes back to pending with room for as many attempts as a new message. */
  async revive(id: string, maxAttempts: number, now: Date): Promise<OutboxRecord | null> {
    const message = await this.findById(id);
    if (!message || message.status !== 'dead') return message;
    // Its chunk may be gone: it goes back in one of its own.
    const chunk = `revived:${id}:${message.attempts}`;
    await this.openChunks([{ _id: chunk, dueAt: now, size: 1 }]);
    const update = { $set: { nextAttemptAt: now, attemptLimit: message.attempts + maxAttempts, chunk } };
    await this.move([message], 'dead', 'pending', update, now);
    return this.findById(id);
  }

  /**
   * Stops mail not yet sent, e.g. when a cohort is cancelled or a student unsubscribes; moved in
   * chunks, so that each is tallied per cohort and kind.
   */
  async cancelPending(
    filter: { cohortId?: string; studentId?: string },
    exceptKinds: OutboxKind[],
    at: Date,
  ): Promise<number> {
    const query: Record<string, unknown> = { status: 'pending' };
    if (filter.cohortId) query['cohortId'] = new Types.ObjectId(filter.cohortId);
    if (filter.studentId) query['studentId'] = new Types.ObjectId(filter.studentId);
    if (exceptKinds.length > 0) query['kind'] = trusted({ $nin: exceptKinds });
    const cursor = this.messages
      .find(query, { _id: 1, cohortId: 1, kind: 1, attempts: 1 })
      .lean<Pick<StoredMessage, '_id' | 'cohortId' | 'kind' | 'attempts'>>()
      .cursor({ batchSize: CANCEL_CHUNK });
    let cancelled = 0;
    let chunk: Moving[] = [];
    const flush = async () => {
      const stayed = await this.move(chunk, 'pending', 'cancelled', {}, at);
      cancelled += chunk.length - stayed.length;
      chunk = [];
    };
    for await (const doc of cursor) {
      chunk.push({
        id: doc._id.toHexString(),
        cohortId: doc.cohortId?.toHexString() ?? null,
        kind: doc.kind,
        attempts: doc.attempts,
      });
      if (chunk.length === CANCEL_CHUNK) await flush();
    }
    await flush();
    return cancelled;
  }

  /**
   * Moves messages from one status to another at their current attempt, tallied: the tally goes in
   * first, so the counts never miss a write in flight, and the messages this write did not move
   * (another write moved them first) are counted back out after. Returns those. A retry of the
   * same write has the same tally, so it counts once.
   */
  private async move<M extends Moving>(
    messages: M[],
    from: OutboxStatus,
    to: OutboxStatus,
    update: mongo.UpdateFilter<OutboxMessage>,
    at: Date,
  ): Promise<M[]> {
    if (messages.length === 0) return [];
    const op = tallyOpId(`${from}>${to}`, messages.map(claimId));
    await this.tallies.record(op, this.deltas(messages, from, to), at);
    let moved = 0;
    for (const [attempts, group] of byAttempts(messages)) {
      const result = await this.rawMessages().updateMany(
        { _id: { $in: objectIds(group) }, attempts, status: from },
        { ...update, $set: { ...update.$set, status: to, tallyOp: op } },
      );
      moved += result.modifiedCount;
    }
    if (moved === messages.length) return [];
    const ours = await this.rawMessages()
      .find({ _id: { $in: objectIds(messages) }, tallyOp: op }, { projection: { _id: 1 } })
      .toArray();
    const movedIds = new Set(ours.map((d) => d._id.toHexString()));
    const stayed = messages.filter((m) => !movedIds.has(m.id));
    await this.tallies.record(`${op}:stayed`, this.deltas(stayed, to, from), at);
    return stayed;
  }

  private deltas(messages: Moving[], from: OutboxStatus, to: OutboxStatus) {
    return perBucket(messages).map((g) => ({ bucket: g.bucket, delta: moveDelta(from, to, g.messages.length) }));
  }

  /**
   * Applies an update to each message's current attempt only (a message that has moved on is left
   * alone), as one updateMany per distinct update: a batch usually needs one or two. (FerretDB 1.24
   * stalls on a bulkWrite of ~100 single updates, and updateMany is one statement everywhere.)
   */
  private async updateEachAttempt(
    messages: OutboxRecord[],
    updateFor: (m: OutboxRecord) => mongo.UpdateFilter<OutboxMessage>,
    at: Date,
  ): Promise<void> {
    const groups = new Map<string, { update: mongo.UpdateFilter<OutboxMessage>; of: OutboxRecord[] }>();
    for (const m of messages) {
      const update = updateFor(m);
      const key = `${m.attempts}:${JSON.stringify(update)}`;
      const group = groups.get(key) ?? { update, of: [] };
      group.of.push(m);
      groups.set(key, group);
    }
    for (const { update, of } of groups.values()) {
      const { status, ...rest } = (update.$set ?? {}) as { status?: OutboxStatus };
      if (status && status !== 'pending') {
        await this.move(of, 'pending', status, { ...update, $set: rest }, at);
        continue;
      }
      await this.rawMessages().updateMany(
        { _id: { $in: objectIds(of) }, attempts: of[0].attempts, status: 'pending' },
        update,
      );
    }
  }

  /** Inserts chunks; one that exists already (a retried write) is left as it is. */
  private openChunks(chunks: OutboxChunk[]): Promise<void> {
    return insertManyOnce(this.rawChunks(), chunks);
  }

  private rawChunks() {
    return this.chunks.collection as unknown as mongo.Collection<OutboxChunk>;
  }

  /** The driver's collections, for batched writes that mongoose would only cast document by document. */
  private rawMessages() {
    return this.messages.collection as unknown as mongo.Collection<OutboxMessage & { _id: Types.ObjectId }>;
  }

  private rawBeats() {
    return this.beats.collection as unknown as mongo.Collection<OutboxWorkerBeat>;
  }
}

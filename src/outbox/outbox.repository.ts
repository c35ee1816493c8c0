import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo, trusted, Types } from 'mongoose';
import { Locale } from '../common/locale';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError, isTransientWriteConflict } from '../database/mongo-errors';
import { MessageKind } from '../messages/message-kinds';
import { OutboxClaim, OutboxMessage, OutboxStatus, OutboxWorkerBeat } from './outbox-message.schema';
import { Suppression } from './suppression.schema';

export interface NewOutboxMessage {
  key: string;
  kind: MessageKind;
  locale: Locale;
  to: string;
  data: object;
  unsubscribeUrl?: string;
  cohortId?: string;
  studentId?: string;
  /** Whose message overrides apply. */
  funnelId?: string;
  nextAttemptAt: Date;
}

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
const claimId = (m: OutboxRecord) => `${m.id}:${m.attempts}`;
const objectIds = (messages: OutboxRecord[]) => messages.map((m) => new Types.ObjectId(m.id));
/** Whether a failed attempt is the message's last one (it is then dead-lettered). */
const isLastAttempt = (m: OutboxRecord) => m.attempts + 1 >= m.attemptLimit;

export interface StatusCountRow {
  cohortId: string | null;
  kind: MessageKind;
  status: OutboxStatus;
  count: number;
}

export interface ClaimRecord {
  id: string;
  messageId: string;
  workerId: string;
  leaseUntil: Date;
}

@Injectable()
export class OutboxRepository {
  constructor(
    @InjectModel(OutboxMessage.name, COURSE_FUNNEL_CONNECTION) private readonly messages: Model<OutboxMessage>,
    @InjectModel(OutboxClaim.name, COURSE_FUNNEL_CONNECTION) private readonly claims: Model<OutboxClaim>,
    @InjectModel(Suppression.name, COURSE_FUNNEL_CONNECTION) private readonly suppressions: Model<Suppression>,
    @InjectModel(OutboxWorkerBeat.name, COURSE_FUNNEL_CONNECTION) private readonly beats: Model<OutboxWorkerBeat>,
  ) {}

  /** Records a suppression; suppressing again keeps the first record. */
  async suppress(id: string, exceptKinds: MessageKind[], at: Date): Promise<void> {
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
    const blocked = (key: string, kind: MessageKind) => rules.has(key) && !rules.get(key)?.includes(kind);
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

  /** Marks suppressed messages cancelled instead of sending them; one write. */
  async cancelMany(messages: OutboxRecord[], reason: string): Promise<void> {
    if (messages.length === 0) return;
    await this.rawMessages().updateMany(
      { _id: { $in: objectIds(messages) }, status: 'pending' },
      { $set: { status: 'cancelled', lastError: reason } },
    );
  }

  /**
   * Writes messages whose keys are new and skips the others; returns how many were new. Unordered,
   * so one duplicate does not stop the rest of the batch.
   */
  async enqueue(batch: NewOutboxMessage[], attemptLimit: number, now: Date): Promise<number> {
    if (batch.length === 0) return 0;
    const docs = batch.map((m) => ({
      ...m,
      cohortId: oid(m.cohortId),
      studentId: oid(m.studentId),
      funnelId: oid(m.funnelId),
      status: 'pending' as const,
      attempts: 0,
      attemptLimit,
      createdAt: now,
    }));
    try {
      // The driver's insertMany: these documents are built here from typed input, so mongoose's
      // per-document casting and validation would only slow large fan-outs down.
      const result = await this.messages.collection.insertMany(docs, { ordered: false });
      return result.insertedCount;
    } catch (error) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      const writeErrors = ([] as mongo.WriteError[]).concat(error.writeErrors);
      if (!writeErrors.every((e) => e.code === 11000)) throw error;
      return error.insertedCount;
    }
  }

  /** Pending messages due at `now`, oldest first, except those named (the worker's poll). */
  async findDue(now: Date, limit: number, except: string[] = []): Promise<OutboxRecord[]> {
    const docs = await this.messages
      .find({
        status: 'pending',
        nextAttemptAt: trusted({ $lte: now }),
        ...(except.length > 0 ? { _id: trusted({ $nin: except.map((id) => new Types.ObjectId(id)) }) } : {}),
      })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<StoredMessage[]>()
      .exec();
    return docs.map(toRecord);
  }

  /**
   * Claims the current attempt of each message in one round trip: one unique insert per message,
   * unordered, so each claim is decided on its own. Returns the messages this caller won; a
   * duplicate (another worker was first) or a conflict the engine reports as a deadlock loses.
   */
  async claimBatch(batch: OutboxRecord[], workerId: string, leaseUntil: Date): Promise<OutboxRecord[]> {
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

  /** Records delivered messages as sent: one write. */
  async markSent(messages: OutboxRecord[], at: Date): Promise<void> {
    if (messages.length === 0) return;
    await this.rawMessages().updateMany(
      { _id: { $in: objectIds(messages) } },
      { $set: { status: 'sent', sentAt: at }, $inc: { attempts: 1 } },
    );
  }

  /**
   * Counts failed attempts in one round trip: each message retries at its own time, or is
   * dead-lettered when it has reached its limit. Only the attempt that was claimed is counted.
   */
  async markFailed(failures: { message: OutboxRecord; error: string; retryAt: Date }[]): Promise<OutboxRecord[]> {
    if (failures.length === 0) return [];
    const failure = new Map(failures.map((f) => [f.message.id, f]));
    const dead = failures.map((f) => f.message).filter(isLastAttempt);
    await this.updateEachAttempt(
      failures.map((f) => f.message),
      (m) => {
        const { error, retryAt } = failure.get(m.id)!;
        const status: OutboxStatus = isLastAttempt(m) ? 'dead' : 'pending';
        return { $set: { attempts: m.attempts + 1, status, lastError: error.slice(0, 1000), nextAttemptAt: retryAt } };
      },
    );
    return dead;
  }

  /**
   * Hands claimed messages back unsent (the worker is stopping, or could no longer prove its
   * lease): due again at once, and the attempt does not count against the message's limit.
   */
  async release(messages: OutboxRecord[], now: Date): Promise<void> {
    if (messages.length === 0) return;
    await this.updateEachAttempt(messages, () => ({
      $set: { nextAttemptAt: now },
      $inc: { attempts: 1, attemptLimit: 1 },
    }));
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

  /** How many messages are in each status, per cohort and kind; one aggregation. */
  async statusCounts(filter: { cohortId?: string; kind?: MessageKind }): Promise<StatusCountRow[]> {
    const match: Record<string, unknown> = {};
    if (filter.cohortId) match['cohortId'] = new Types.ObjectId(filter.cohortId);
    if (filter.kind) match['kind'] = filter.kind;
    const groups = await this.messages.collection
      .aggregate<{ _id: { cohortId?: Types.ObjectId | null; kind: MessageKind; status: OutboxStatus }; n: number }>([
        { $match: match },
        { $group: { _id: { cohortId: '$cohortId', kind: '$kind', status: '$status' }, n: { $sum: 1 } } },
      ])
      .toArray();
    return groups.map((g) => ({
      cohortId: g._id.cohortId ? g._id.cohortId.toHexString() : null,
      kind: g._id.kind,
      status: g._id.status,
      count: g.n,
    }));
  }

  /** A dead letter goes back to pending with room for as many attempts as a new message. */
  async revive(id: string, maxAttempts: number, now: Date): Promise<OutboxRecord | null> {
    const doc = await this.messages.findOne({ _id: id, status: 'dead' }).lean<StoredMessage>().exec();
    if (!doc) return null;
    await this.messages
      .updateOne(
        { _id: id, status: 'dead' },
        { $set: { status: 'pending', nextAttemptAt: now, attemptLimit: doc.attempts + maxAttempts } },
      )
      .exec();
    return this.findById(id);
  }

  /** Stops mail not yet sent, e.g. when a cohort is cancelled or a student unsubscribes. */
  async cancelPending(
    filter: { cohortId?: string; studentId?: string },
    exceptKinds: MessageKind[] = [],
  ): Promise<number> {
    const query: Record<string, unknown> = { status: 'pending' };
    if (filter.cohortId) query['cohortId'] = new Types.ObjectId(filter.cohortId);
    if (filter.studentId) query['studentId'] = new Types.ObjectId(filter.studentId);
    if (exceptKinds.length > 0) query['kind'] = trusted({ $nin: exceptKinds });
    const result = await this.messages.updateMany(query, { $set: { status: 'cancelled' } }).exec();
    return result.modifiedCount;
  }

  /**
   * Applies an update to each message's current attempt only (a message that has moved on is left
   * alone), as one updateMany per distinct update: a batch usually needs one or two. (FerretDB 1.24
   * stalls on a bulkWrite of ~100 single updates, and updateMany is one statement everywhere.)
   */
  private async updateEachAttempt(
    messages: OutboxRecord[],
    updateFor: (m: OutboxRecord) => mongo.UpdateFilter<OutboxMessage>,
  ): Promise<void> {
    const groups = new Map<
      string,
      { attempts: number; update: mongo.UpdateFilter<OutboxMessage>; of: OutboxRecord[] }
    >();
    for (const m of messages) {
      const update = updateFor(m);
      const key = `${m.attempts}:${JSON.stringify(update)}`;
      const group = groups.get(key) ?? { attempts: m.attempts, update, of: [] };
      group.of.push(m);
      groups.set(key, group);
    }
    for (const g of groups.values()) {
      await this.rawMessages().updateMany(
        { _id: { $in: objectIds(g.of) }, attempts: g.attempts, status: 'pending' },
        g.update,
      );
    }
  }

  /** The driver's collections, for batched writes that mongoose would only cast document by document. */
  private rawMessages() {
    return this.messages.collection as unknown as mongo.Collection<OutboxMessage & { _id: Types.ObjectId }>;
  }

  private rawBeats() {
    return this.beats.collection as unknown as mongo.Collection<OutboxWorkerBeat>;
  }
}

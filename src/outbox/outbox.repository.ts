import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo, trusted, Types } from 'mongoose';
import { Locale } from '../common/locale';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { MessageKind } from '../messages/message-kinds';
import { OutboxClaim, OutboxMessage, OutboxStatus } from './outbox-message.schema';
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

@Injectable()
export class OutboxRepository {
  constructor(
    @InjectModel(OutboxMessage.name, COURSE_FUNNEL_CONNECTION) private readonly messages: Model<OutboxMessage>,
    @InjectModel(OutboxClaim.name, COURSE_FUNNEL_CONNECTION) private readonly claims: Model<OutboxClaim>,
    @InjectModel(Suppression.name, COURSE_FUNNEL_CONNECTION) private readonly suppressions: Model<Suppression>,
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

  /** Marks one suppressed message cancelled instead of sending it. */
  async cancelOne(message: OutboxRecord, reason: string): Promise<void> {
    await this.messages
      .updateOne({ _id: message.id, status: 'pending' }, { $set: { status: 'cancelled', lastError: reason } })
      .exec();
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

  /** Pending messages due at `now`, oldest first (the worker's poll). */
  async findDue(now: Date, limit: number): Promise<OutboxRecord[]> {
    const docs = await this.messages
      .find({ status: 'pending', nextAttemptAt: trusted({ $lte: now }) })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<StoredMessage[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** True for exactly one caller per (message, attempt), across all instances. */
  async claim(message: OutboxRecord, workerId: string, leaseUntil: Date): Promise<boolean> {
    try {
      await this.claims.create({
        _id: `${message.id}:${message.attempts}`,
        messageId: new Types.ObjectId(message.id),
        attempt: message.attempts,
        workerId,
        leaseUntil,
        open: true,
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Marks a batch of delivered messages sent and closes their claims: two writes per batch. */
  async markSent(messages: OutboxRecord[], at: Date): Promise<void> {
    if (messages.length === 0) return;
    await this.messages
      .updateMany(
        { _id: trusted({ $in: messages.map((m) => new Types.ObjectId(m.id)) }) },
        { $set: { status: 'sent', sentAt: at }, $inc: { attempts: 1 } },
      )
      .exec();
    await this.claims
      .updateMany({ _id: trusted({ $in: messages.map((m) => `${m.id}:${m.attempts}`) }) }, { $set: { open: false } })
      .exec();
  }

  /** Counts the attempt as failed: retry at `retryAt`, or dead-letter when the limit is reached. */
  async markFailed(message: OutboxRecord, error: string, retryAt: Date): Promise<OutboxStatus> {
    const attempts = message.attempts + 1;
    const status: OutboxStatus = attempts >= message.attemptLimit ? 'dead' : 'pending';
    await this.messages
      .updateOne(
        { _id: message.id, attempts: message.attempts, status: 'pending' },
        { $set: { attempts, status, lastError: error.slice(0, 1000), nextAttemptAt: retryAt } },
      )
      .exec();
    await this.closeClaim(message.id, message.attempts);
    return status;
  }

  /** Attempts whose worker stopped mid-send: their claims are still open past the lease. */
  async findAbandonedClaims(now: Date, limit: number): Promise<{ messageId: string; attempt: number }[]> {
    const claims = await this.claims
      .find({ open: true, leaseUntil: trusted({ $lt: now }) })
      .limit(limit)
      .lean<OutboxClaim[]>()
      .exec();
    return claims.map((c) => ({ messageId: c.messageId.toHexString(), attempt: c.attempt }));
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

  async closeClaim(messageId: string, attempt: number): Promise<void> {
    await this.claims.updateOne({ _id: `${messageId}:${attempt}` }, { $set: { open: false } }).exec();
  }
}

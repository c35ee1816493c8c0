import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import { OUTBOX_KINDS, OutboxKind } from '../messages/message-kinds';

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * A message waiting to be sent, or the record that it was. Written before any sending, under a
 * unique idempotency key, so a message exists once however often it is enqueued. It holds the
 * data for its template; the worker renders when it sends.
 */
@Schema({ collection: 'cf_outbox', strictQuery: 'throw', versionKey: false })
export class OutboxMessage {
  @Prop({ required: true })
  key!: string;

  @Prop({ type: String, required: true, enum: OUTBOX_KINDS })
  kind!: OutboxKind;

  @Prop({ type: String, required: true, enum: SUPPORTED_LOCALES })
  locale!: Locale;

  @Prop({ required: true })
  to!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  data!: object;

  @Prop()
  unsubscribeUrl?: string;

  @Prop({ type: Types.ObjectId })
  cohortId?: Types.ObjectId;

  @Prop({ type: Types.ObjectId })
  studentId?: Types.ObjectId;

  @Prop({ type: Types.ObjectId })
  funnelId?: Types.ObjectId;

  @Prop({ type: String, required: true, enum: OUTBOX_STATUSES })
  status!: OutboxStatus;

  /** Attempts started so far; attempt n is claimed under the key `${_id}:${n}`. */
  @Prop({ required: true })
  attempts!: number;

  /** Dead-letter once `attempts` reaches this; a manual retry raises it. */
  @Prop({ required: true })
  attemptLimit!: number;

  @Prop({ required: true })
  nextAttemptAt!: Date;

  @Prop()
  lastError?: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  sentAt?: Date;

  /** The status write that last moved it (see outbox-tally.rules): how a write knows what it moved. */
  @Prop()
  tallyOp?: string;

  /**
   * The enqueue that inserted it, never overwritten: how an enqueue run again (same keys, same
   * tally) tells the messages it inserted from those that existed, after they have moved on.
   */
  @Prop()
  enqueueOp?: string;

  /**
   * The chunk (OutboxChunk) it was written in. The worker reads due mail chunk by chunk, by
   * equality on this field, so a poll reads what it sends and never the whole backlog.
   */
  @Prop()
  chunk?: string;
}

export const OutboxMessageSchema = SchemaFactory.createForClass(OutboxMessage);
// At most one message per idempotency key.
OutboxMessageSchema.index({ key: 1 }, { unique: true });
// The worker's poll, within the chunks it picked.
OutboxMessageSchema.index({ chunk: 1 }, { sparse: true });
// Staff listing by status in _id order (GET /api/outbox?status=).
OutboxMessageSchema.index({ status: 1, _id: 1 });
// Staff listing of a cohort in _id order, and cancelling a cohort's (or a student's in it) pending messages.
OutboxMessageSchema.index({ cohortId: 1, status: 1, _id: 1 });
// None on studentId: on DocumentDB every index costs each status write (0.74 ms a message with six,
// 0.54 with five, measured), so unsubscribing finds a student's mail through their cohorts instead.

/**
 * The messages one enqueue wrote together (up to 1,000): a lesson's fan-out is a few hundred
 * chunks, a confirmation mail is one. `dueAt` is never later than the next attempt of any of its
 * pending messages (attempts only move later, and a revived message gets a new chunk), so the
 * worker finds due mail by sorting chunks, not messages: on engines that cannot stop an index
 * scan at a limit (DocumentDB reads and sorts every match), a poll over messages would read the
 * whole due backlog each time. A chunk with no pending message left is deleted.
 */
@Schema({ collection: 'cf_outbox_chunks', strictQuery: 'throw', versionKey: false })
export class OutboxChunk {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  dueAt!: Date;

  /** Messages written in it; how the poll picks enough chunks for a batch. */
  @Prop({ required: true })
  size!: number;
}

export const OutboxChunkSchema = SchemaFactory.createForClass(OutboxChunk);
OutboxChunkSchema.index({ dueAt: 1 });

/**
 * The claim on one attempt of one message. Its _id `${messageId}:${attempt}` can be inserted once,
 * so exactly one worker on one instance sends that attempt (FerretDB 1.x cannot guard this with a
 * conditional update). Insert-only: the attempt's outcome is written on the message, which moves
 * to the next attempt or out of `pending`, and the claim stays so that a stale reader cannot claim
 * it again. It is held while its own lease runs or its worker's heartbeat (OutboxWorkerBeat) is
 * alive; past both, the next worker that meets it takes the attempt over as a crashed send.
 * Only the _id index: no query reads claims by anything else.
 */
@Schema({ collection: 'cf_outbox_claims', strictQuery: 'throw', versionKey: false })
export class OutboxClaim {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  messageId!: Types.ObjectId;

  @Prop({ required: true })
  attempt!: number;

  @Prop({ required: true })
  workerId!: string;

  @Prop({ required: true })
  leaseUntil!: Date;
}

export const OutboxClaimSchema = SchemaFactory.createForClass(OutboxClaim);

/**
 * One worker's heartbeat. A live worker renews it every third of the lease, so every claim it holds
 * stays held however long its sends or status writes take; one write per worker, not per claim.
 */
@Schema({ collection: 'cf_outbox_workers', strictQuery: 'throw', versionKey: false })
export class OutboxWorkerBeat {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  aliveUntil!: Date;

  @Prop({ required: true })
  beatAt!: Date;
}

export const OutboxWorkerBeatSchema = SchemaFactory.createForClass(OutboxWorkerBeat);
// Clearing the heartbeats of workers long gone.
OutboxWorkerBeatSchema.index({ aliveUntil: 1 });

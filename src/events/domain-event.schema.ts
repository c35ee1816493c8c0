import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

export const DOMAIN_EVENT_STATES = ['pending', 'done', 'failed'] as const;
export type DomainEventState = (typeof DOMAIN_EVENT_STATES)[number];

/**
 * Something that happened, stored before any of its effects: its unique key decides that it
 * happened once, and `pending` lists the handlers that have not recorded it yet (the owner's
 * own change first). A crash leaves it pending, and it is delivered again until the list is empty.
 */
@Schema({ collection: 'cf_events', strictQuery: 'throw', versionKey: false })
export class DomainEventDoc {
  /** The idempotency key, e.g. `order.paid:<orderId>`. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  payload!: object;

  @Prop({ type: String, required: true, enum: DOMAIN_EVENT_STATES })
  state!: DomainEventState;

  @Prop({ type: [String], required: true })
  pending!: string[];

  @Prop({ required: true })
  attempts!: number;

  /** When the next delivery may start (after a failure, the backoff). */
  @Prop({ required: true })
  dueAt!: Date;

  /** Who is delivering it and until when; a lapsed lease means the deliverer died. */
  @Prop()
  leaseOwner?: string;

  @Prop()
  leaseUntil?: Date;

  /** The last delivery's failures, one per handler ("handler: message"). */
  @Prop({ type: [String] })
  failures?: string[];

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  doneAt?: Date;
}

export const DomainEventSchema = SchemaFactory.createForClass(DomainEventDoc);
// The sweeper's query: pending events that are due.
DomainEventSchema.index({ state: 1, dueAt: 1 });

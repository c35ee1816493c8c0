import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per admitted hit of a (throttler, client, window), each holding one of the slots
 * 1..limit (the next one after the count, or a random free one after losing a race). The
 * unique (window, slot) index is what makes the count exact under concurrency on every instance:
 * inserts against a unique index are atomic on MongoDB and on FerretDB alike, whereas FerretDB 1.x
 * applies `$inc` as a separate read and write and loses concurrent increments.
 */
@Schema({ collection: 'cf_rate_limit_hits', strictQuery: 'throw', versionKey: false })
export class RateLimitHit {
  /** `${throttler}:${key}:${windowStartMs}` */
  @Prop({ required: true })
  window!: string;

  @Prop({ required: true })
  slot!: number;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const RateLimitHitSchema = SchemaFactory.createForClass(RateLimitHit);
// Slot allocation (unique); counting a window's hits and reading its taken slots (prefix).
RateLimitHitSchema.index({ window: 1, slot: 1 }, { unique: true });
// The periodic purge of ended windows (FerretDB 1.x has no TTL indexes, so we purge ourselves).
RateLimitHitSchema.index({ expiresAt: 1 });

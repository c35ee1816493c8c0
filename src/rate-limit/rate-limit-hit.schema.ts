import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per admitted hit: the n-th hit of a (throttler, client, window) holds slot n. The
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
// Slot allocation (unique) and counting the hits of a window (prefix of the same index).
RateLimitHitSchema.index({ window: 1, slot: 1 }, { unique: true });
// The periodic purge of ended windows (FerretDB 1.x has no TTL indexes, so we purge ourselves).
RateLimitHitSchema.index({ expiresAt: 1 });

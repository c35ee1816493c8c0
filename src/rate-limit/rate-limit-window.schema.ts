import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One fixed counting window per (throttler, client key). Every app instance increments the
 * same document, so a limit holds across instances.
 */
@Schema({ collection: 'cf_rate_limit_windows', strictQuery: 'throw', versionKey: false })
export class RateLimitWindow {
  /** `${key}:${windowStartMs}` */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  hits!: number;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const RateLimitWindowSchema = SchemaFactory.createForClass(RateLimitWindow);
// The periodic purge deletes expired windows (FerretDB 1.x has no TTL indexes, so we purge ourselves).
RateLimitWindowSchema.index({ expiresAt: 1 });

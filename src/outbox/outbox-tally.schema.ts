import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { OUTBOX_KINDS, OutboxKind } from '../messages/message-kinds';

/** A cohort (null: mail outside a cohort) and kind, and how many of its messages are in each status. */
abstract class BucketCounts {
  @Prop({ type: Types.ObjectId, default: null })
  cohortId!: Types.ObjectId | null;

  @Prop({ type: String, required: true, enum: OUTBOX_KINDS })
  kind!: OutboxKind;

  @Prop({ required: true })
  pending!: number;

  @Prop({ required: true })
  sent!: number;

  @Prop({ required: true })
  dead!: number;

  @Prop({ required: true })
  cancelled!: number;
}

/**
 * How one status write changed the counts of one cohort and kind: inserted before the write, so
 * a write in flight is never missing from the counts (see outbox-tally.rules). Insert-only; folded
 * into the bucket's OutboxTotal a lease after `at`, then deleted.
 */
@Schema({ collection: 'cf_outbox_tallies', strictQuery: 'throw', versionKey: false })
export class OutboxTally extends BucketCounts {
  /** `${write id}:${bucket}`: a retried write inserts the same tally, which then counts once. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  at!: Date;
}

export const OutboxTallySchema = SchemaFactory.createForClass(OutboxTally);
// The counts of a cohort (and kind), and a bucket's tallies before or after a cut.
OutboxTallySchema.index({ cohortId: 1, kind: 1, at: 1 });
// Finding tallies old enough to fold.
OutboxTallySchema.index({ at: 1 });

/**
 * The counts of one cohort and kind up to `cut`: every tally at or before it is in here. Written
 * by the fold (conditional on the cut it read, so a fold counts once) and by the recount that
 * repairs a bucket after a crash (when no write has touched it for a lease).
 */
@Schema({ collection: 'cf_outbox_totals', strictQuery: 'throw', versionKey: false })
export class OutboxTotal extends BucketCounts {
  /** `${cohortId or -}:${kind}` */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  cut!: Date;
}

export const OutboxTotalSchema = SchemaFactory.createForClass(OutboxTotal);
OutboxTotalSchema.index({ cohortId: 1 });

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Money } from '../common/money';

/**
 * A price locked for one checkout: later referrals do not change it, and it expires. An order is
 * made from exactly one quote.
 */
@Schema({ collection: 'cf_quotes', strictQuery: 'throw', versionKey: false })
export class Quote {
  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  studentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ required: true })
  courseName!: string;

  /** The ladder tier the price comes from (0 is the list price). */
  @Prop({ required: true })
  tier!: number;

  @Prop({ type: { amount: Number, currency: String }, required: true, _id: false })
  price!: Money;

  @Prop({ type: { amount: Number, currency: String }, required: true, _id: false })
  listPrice!: Money;

  @Prop({ required: true })
  qualifiedReferrals!: number;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const QuoteSchema = SchemaFactory.createForClass(Quote);
QuoteSchema.index({ enrollmentId: 1, createdAt: -1 });

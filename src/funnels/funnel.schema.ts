import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PriceTier } from './price-ladder';
import { FunnelSource } from './funnel-content';
import { Schema as MongooseSchema, Types } from 'mongoose';
import { HomeworkSpec } from './homework-spec';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';
import type { Money } from '../common/money';
import { LESSON_PHASES, LessonPhase, LessonSpec, OfferSpec } from './funnel-content';

/**
 * A funnel template. Its content, name included, lives in immutable versions; the latest version
 * is read from them rather than kept in a counter here (FerretDB 1.x loses concurrent updates to
 * one document, while the unique version index holds everywhere).
 */
@Schema({ collection: 'cf_funnels', strictQuery: 'throw', versionKey: false })
export class Funnel {
  /** Staff token that created it; `seed` for the built-in funnels. */
  @Prop({ required: true })
  createdBy!: string;

  @Prop({ required: true })
  createdAt!: Date;

  /** The partner organisation that owns it; none for the platform's own funnels. */
  @Prop()
  organizationId?: string;

  /** A licensed clone's origin: the template, the version it was copied from, and the license. */
  @Prop({ type: { funnelId: String, version: Number, licenseId: String }, _id: false })
  source?: FunnelSource;
}
export const FunnelSchema = SchemaFactory.createForClass(Funnel);
FunnelSchema.index({ organizationId: 1 });

@Schema({ _id: false, versionKey: false })
class ReleaseOffsetDoc {
  @Prop({ required: true })
  after!: string;

  @Prop()
  at?: string;
}

@Schema({ _id: false, versionKey: false })
class LessonDoc implements LessonSpec {
  @Prop({ required: true })
  key!: string;

  @Prop({ type: String, required: true, enum: LESSON_PHASES })
  phase!: LessonPhase;

  @Prop({ required: true })
  title!: string;

  @Prop({ type: String, default: '' })
  body!: string;

  @Prop({ type: SchemaFactory.createForClass(ReleaseOffsetDoc), required: true })
  release!: ReleaseOffsetDoc;

  /** Validated as a whole (see homeworkSpecProblems) and never queried into, so stored as is. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  homework?: HomeworkSpec;
}

@Schema({ _id: false, versionKey: false })
class OfferDoc implements OfferSpec {
  @Prop({ required: true })
  courseName!: string;

  @Prop({ type: { amount: Number, currency: String }, required: true, _id: false })
  listPrice!: Money;

  @Prop()
  description?: string;

  @Prop()
  openAfter?: string;

  @Prop({ required: true })
  deadlineAfter!: string;

  @Prop({ type: [{ minReferrals: Number, price: { amount: Number, currency: String } }], _id: false })
  priceTiers?: PriceTier[];

  @Prop()
  priceProtectionDays?: number;

  @Prop()
  referralMinClassesAttended?: number;
}

/** One immutable version of a funnel's content. Cohorts pin the version they were created from. */
@Schema({ collection: 'cf_funnel_versions', strictQuery: 'throw', versionKey: false })
export class FunnelVersion {
  @Prop({ type: Types.ObjectId, required: true })
  funnelId!: Types.ObjectId;

  @Prop({ required: true })
  version!: number;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: SUPPORTED_LOCALES })
  defaultLocale!: Locale;

  @Prop({ type: [SchemaFactory.createForClass(LessonDoc)], required: true })
  lessons!: LessonDoc[];

  @Prop({ type: SchemaFactory.createForClass(OfferDoc), required: true })
  offer!: OfferDoc;

  @Prop({ required: true })
  createdBy!: string;

  @Prop({ required: true })
  createdAt!: Date;
}
export const FunnelVersionSchema = SchemaFactory.createForClass(FunnelVersion);
// Look-up of a pinned version, the latest version (sorted desc), and the guard against two writers
// creating the same version number.
FunnelVersionSchema.index({ funnelId: 1, version: 1 }, { unique: true });

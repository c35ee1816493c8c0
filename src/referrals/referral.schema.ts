import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { REFERRAL_REFUSALS, ReferralRefusal } from './referral.rules';

/** A student's code for one enrolment (`_id` is the code). One per enrolment, unique across all. */
@Schema({ collection: 'cf_referral_codes', strictQuery: 'throw', versionKey: false })
export class ReferralCode {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  studentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  funnelId!: Types.ObjectId;

  /** The owner's provider-aware email identity, for the self-referral check. */
  @Prop({ required: true })
  identity!: string;

  @Prop({ required: true })
  createdAt!: Date;
}

export const ReferralCodeSchema = SchemaFactory.createForClass(ReferralCode);
// A second code for the same enrolment loses the race and the first is used.
ReferralCodeSchema.index({ enrollmentId: 1 }, { unique: true });

export const REFERRAL_STATUSES = ['pending', 'qualified'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** `none`: not flagged; `held`: flagged, waiting for staff; then `approved` or `rejected`. */
export const REFERRAL_REVIEWS = ['none', 'held', 'approved', 'rejected'] as const;
export type ReferralReview = (typeof REFERRAL_REVIEWS)[number];

/**
 * One attributed referral. `_id` is the referee's enrolment: the first valid code inserts it and
 * no later code can replace it.
 */
@Schema({ collection: 'cf_referrals', strictQuery: 'throw', versionKey: false })
export class Referral {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  code!: string;

  @Prop({ type: Types.ObjectId, required: true })
  referrerEnrollmentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  referrerStudentId!: Types.ObjectId;

  /** The referrer's cohort (cohort reports count the invites its students made). */
  @Prop({ type: Types.ObjectId, required: true })
  referrerCohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  refereeStudentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  funnelId!: Types.ObjectId;

  /** The referee's cohort. */
  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: String, required: true, enum: REFERRAL_STATUSES })
  status!: ReferralStatus;

  @Prop({ type: [String], default: [] })
  flags!: string[];

  @Prop({ type: String, required: true, enum: REFERRAL_REVIEWS })
  review!: ReferralReview;

  @Prop()
  reviewedBy?: string;

  @Prop()
  reviewedAt?: Date;

  @Prop()
  ip?: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  qualifiedAt?: Date;
}

export const ReferralSchema = SchemaFactory.createForClass(Referral);
// A referrer's count and activity; a referee's upline; the review queue.
ReferralSchema.index({ referrerEnrollmentId: 1, status: 1 });
ReferralSchema.index({ referrerStudentId: 1, createdAt: 1 });
ReferralSchema.index({ refereeStudentId: 1 });
ReferralSchema.index({ review: 1, createdAt: 1 });
ReferralSchema.index({ referrerCohortId: 1, status: 1 });

/** A code that was refused for a sign-up, with why (`${refereeEnrollmentId}:${code}`), for staff. */
@Schema({ collection: 'cf_referral_refusals', strictQuery: 'throw', versionKey: false })
export class ReferralRefusalDoc {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  code!: string;

  @Prop({ type: Types.ObjectId, required: true })
  refereeEnrollmentId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: String, required: true, enum: Object.keys(REFERRAL_REFUSALS) })
  reason!: ReferralRefusal;

  @Prop({ required: true })
  at!: Date;
}

export const ReferralRefusalSchema = SchemaFactory.createForClass(ReferralRefusalDoc);
ReferralRefusalSchema.index({ cohortId: 1 });
ReferralRefusalSchema.index({ refereeEnrollmentId: 1, at: -1 });

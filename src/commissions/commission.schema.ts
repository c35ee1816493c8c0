import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Money } from '../common/money';
import { LEVELS, Level } from './promotion.rules';

/** A student's level on the promotion ladder (`_id` is the student id). */
@Schema({ collection: 'cf_levels', strictQuery: 'throw', versionKey: false })
export class StudentLevel {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true, enum: LEVELS })
  level!: Level;

  @Prop({ required: true })
  since!: Date;

  /** Set by the maintenance review when activity dropped below the threshold; staff decide. */
  @Prop({ default: false })
  reviewDue!: boolean;

  @Prop()
  reviewReason?: string;
}

export const StudentLevelSchema = SchemaFactory.createForClass(StudentLevel);
// CommissionsRepository.promoted: agents and partners (level != member), page by page, for the review.
StudentLevelSchema.index({ level: 1 });
// CommissionsRepository.dueForReview: the students put up for maintenance review (GET /api/levels/review).
StudentLevelSchema.index({ reviewDue: 1 });

/**
 * One change of level, kept for history. Automatic promotions are `${studentId}:auto:${level}`, so
 * racing instances promote once; staff changes get their own ids.
 */
@Schema({ collection: 'cf_level_changes', strictQuery: 'throw', versionKey: false })
export class LevelChange {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  studentId!: string;

  @Prop({ type: String, required: true, enum: LEVELS })
  from!: Level;

  @Prop({ type: String, required: true, enum: LEVELS })
  to!: Level;

  @Prop({ required: true })
  reason!: string;

  /** `system`, or the staff token id. */
  @Prop({ required: true })
  by!: string;

  @Prop({ required: true })
  at!: Date;
}

export const LevelChangeSchema = SchemaFactory.createForClass(LevelChange);
// CommissionsRepository.history: a student's level changes in time order.
LevelChangeSchema.index({ studentId: 1, at: 1 });

/** One commission on one paid order: `${orderId}:${depth}`, written once. */
@Schema({ collection: 'cf_commissions', strictQuery: 'throw', versionKey: false })
export class Commission {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  orderId!: Types.ObjectId;

  @Prop({ required: true })
  beneficiaryStudentId!: string;

  /** The buyer's free-cohort enrolment (whose referral may be held for review). */
  @Prop({ required: true })
  buyerEnrollmentId!: string;

  @Prop({ required: true })
  depth!: number;

  @Prop({ type: String, required: true, enum: LEVELS })
  level!: Level;

  @Prop({ required: true })
  basisPoints!: number;

  @Prop({ type: { amount: Number, currency: String }, required: true, _id: false })
  amount!: Money;

  /** The buyer's referral was flagged: nothing is paid until staff approve it. */
  @Prop({ required: true })
  held!: boolean;

  /** When the order can no longer be refunded. */
  @Prop({ required: true })
  payableAt!: Date;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ type: String, enum: ['paid', 'reversed'] })
  settled?: 'paid' | 'reversed';

  @Prop()
  settledAt?: Date;

  @Prop()
  payoutId?: string;
}

export const CommissionSchema = SchemaFactory.createForClass(Commission);
// CommissionsRepository.ofBeneficiary: a student's entries in a period, oldest first (statement, payouts).
CommissionSchema.index({ beneficiaryStudentId: 1, createdAt: 1 });
// CommissionsRepository.ofOrder: an order's entries, reversed on refund.
CommissionSchema.index({ orderId: 1 });
// CommissionsRepository.ofBuyerEnrollment: entries held or released when the buyer's referral is reviewed.
CommissionSchema.index({ buyerEnrollmentId: 1 });

/** Settling an entry (paid out, or reversed by a refund) is decided once, by inserting this (`_id`: entry id). */
@Schema({ collection: 'cf_commission_settlements', strictQuery: 'throw', versionKey: false })
export class CommissionSettlement {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true, enum: ['paid', 'reversed'] })
  kind!: 'paid' | 'reversed';

  @Prop()
  payoutId?: string;

  @Prop({ required: true })
  by!: string;

  @Prop({ required: true })
  at!: Date;
}

export const CommissionSettlementSchema = SchemaFactory.createForClass(CommissionSettlement);

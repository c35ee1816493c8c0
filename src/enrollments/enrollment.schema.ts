import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Locale, SUPPORTED_LOCALES } from '../common/locale';

/** `withdrawn`: a paid place given back by a refund. */
export const ENROLLMENT_STATUSES = ['pending', 'confirmed', 'unsubscribed', 'withdrawn'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/**
 * A student's place in a cohort. The document is also the seat: `seat` is its 1-based number, and
 * the unique (cohortId, seat) index is what keeps a cohort within capacity under concurrent
 * sign-ups on every instance (a unique insert is atomic on MongoDB and FerretDB alike).
 */
@Schema({ collection: 'cf_enrollments', strictQuery: 'throw', versionKey: false })
export class Enrollment {
  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  studentId!: Types.ObjectId;

  /** Normalised email; one enrolment per (cohort, email). */
  @Prop({ required: true })
  emailKey!: string;

  /**
   * The recipient as mail needs it, copied from the student at sign-up, so a fan-out streams one
   * collection instead of looking students up batch by batch.
   */
  @Prop({ required: true })
  email!: string;

  /** The inbox behind the address as its provider sees it (see identityKey), for referral checks. */
  @Prop()
  identity?: string;

  @Prop({ required: true })
  name!: string;

  @Prop({ required: true })
  seat!: number;

  /** `${cohortId}:${seat}`, unique: the seat is taken once (see seatKey in this file). */
  @Prop()
  seatKey?: string;

  /** `${cohortId}:${emailKey}`, unique: one enrolment per cohort and normalised email. */
  @Prop()
  signupKey?: string;

  @Prop({ type: String, required: true, enum: ENROLLMENT_STATUSES })
  status!: EnrollmentStatus;

  @Prop({ type: String, required: true, enum: SUPPORTED_LOCALES })
  locale!: Locale;

  @Prop()
  timezone?: string;

  @Prop()
  referralCode?: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  confirmedAt?: Date;

  @Prop()
  unsubscribedAt?: Date;
}

/**
 * The unique keys are single strings rather than compound (cohortId, ...) unique indexes: on
 * FerretDB 2 + DocumentDB a compound unique index whose first field is shared (one cohort) costs
 * each insert time in proportion to the cohort's size, so filling a 100,000-seat cohort took
 * quadratic time; a single-field unique index does not. Sparse, for enrolments written before
 * these fields existed (EnrollmentsRepository backfills them at start).
 */
export const seatKey = (cohortId: string, seat: number) => `${cohortId}:${seat}`;
/** One sign-up per inbox: keyed by the address as its provider sees it (identityKey). */
export const signupKey = (cohortId: string, identity: string) => `${cohortId}:${identity}`;

export const EnrollmentSchema = SchemaFactory.createForClass(Enrollment);
// Idempotent sign-up: one enrolment per cohort and normalised email.
EnrollmentSchema.index({ signupKey: 1 }, { unique: true, sparse: true });
// Capacity: one enrolment per seat number.
EnrollmentSchema.index({ seatKey: 1 }, { unique: true, sparse: true });
// Counts and pages a cohort's enrolments in seat order.
EnrollmentSchema.index({ cohortId: 1, seat: 1 });
// Unsubscribing a student from all their enrolments.
EnrollmentSchema.index({ studentId: 1 });
// Whether a referee was already in a funnel (by inbox, across student records).
EnrollmentSchema.index({ identity: 1 });

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { ATTENDANCE_STATUSES, AttendanceStatus, EXCUSE_DECISIONS, ExcuseDecision } from './attendance.rules';

export const ATTENDANCE_EVENTS = ['joined', 'checked_in'] as const;
export type AttendanceEventKind = (typeof ATTENDANCE_EVENTS)[number];

/**
 * Something a student did about a lesson. Its _id `${enrollmentId}:${lessonKey}:${kind}` can be
 * inserted once, so recording twice is harmless and the first (earliest) time wins, also when two
 * requests race on instances that cannot guard this with a conditional update.
 */
@Schema({ collection: 'cf_attendance_events', strictQuery: 'throw', versionKey: false })
export class AttendanceEvent {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ required: true })
  lessonKey!: string;

  @Prop({ type: String, required: true, enum: ATTENDANCE_EVENTS })
  kind!: AttendanceEventKind;

  @Prop({ required: true })
  at!: Date;

  /** Notes or a learning reflection written at check-in. */
  @Prop()
  notes?: string;
}

export const AttendanceEventSchema = SchemaFactory.createForClass(AttendanceEvent);
// The reports: a page's events by enrolment (AttendanceRepository.forEnrollments, $in), and a whole
// cohort's in enrolment order through one cursor (cohortFacts: equality on cohortId, sort on enrollmentId).
AttendanceEventSchema.index({ cohortId: 1, enrollmentId: 1 });

/** An instructor's word on one student and lesson (a live class, an excuse): the latest wins. */
@Schema({ collection: 'cf_attendance_marks', strictQuery: 'throw', versionKey: false })
export class AttendanceMark {
  /** `${enrollmentId}:${lessonKey}` */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ required: true })
  lessonKey!: string;

  @Prop({ type: String, required: true, enum: ATTENDANCE_STATUSES })
  status!: AttendanceStatus;

  @Prop({ required: true })
  markedBy!: string;

  @Prop({ required: true })
  markedAt!: Date;
}

export const AttendanceMarkSchema = SchemaFactory.createForClass(AttendanceMark);
// The reports, as for events: forEnrollments ($in) and cohortFacts (a cohort's marks in enrolment order).
AttendanceMarkSchema.index({ cohortId: 1, enrollmentId: 1 });

/** A student's request, before a class, to be excused from it; an instructor decides. */
@Schema({ collection: 'cf_excuse_requests', strictQuery: 'throw', versionKey: false })
export class ExcuseRequest {
  /** `${enrollmentId}:${lessonKey}` */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Types.ObjectId, required: true })
  cohortId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  enrollmentId!: Types.ObjectId;

  @Prop({ required: true })
  lessonKey!: string;

  @Prop({ required: true })
  reason!: string;

  @Prop({ required: true })
  requestedAt!: Date;

  @Prop({ type: String, enum: EXCUSE_DECISIONS })
  decision?: ExcuseDecision;

  @Prop()
  decidedBy?: string;

  @Prop()
  decidedAt?: Date;
}

export const ExcuseRequestSchema = SchemaFactory.createForClass(ExcuseRequest);
// The reports, as for events: forEnrollments ($in) and cohortFacts (a cohort's requests in enrolment order).
ExcuseRequestSchema.index({ cohortId: 1, enrollmentId: 1 });
// The instructors' list of requests waiting for a decision.
ExcuseRequestSchema.index({ cohortId: 1, decision: 1 });

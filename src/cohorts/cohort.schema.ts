import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { AttendancePolicy } from './cohort-policies';
import { LESSON_PHASES, LessonPhase } from '../funnels/funnel-content';
import { CompletionRule } from './cohort-policies';
import { COHORT_STATUSES, CohortStatus, RELEASE_CLOCKS, ReleaseClock } from './cohort.rules';

@Schema({ _id: false, versionKey: false })
class ScheduledLessonDoc {
  @Prop({ required: true })
  key!: string;

  @Prop({ type: String, required: true, enum: LESSON_PHASES })
  phase!: LessonPhase;

  @Prop({ required: true })
  title!: string;

  @Prop({ required: true })
  releaseAt!: Date;
}

/** A run of one pinned funnel version, with its schedule materialised in UTC. */
@Schema({ collection: 'cf_cohorts', strictQuery: 'throw', versionKey: false })
export class Cohort {
  @Prop({ type: Types.ObjectId, required: true })
  funnelId!: Types.ObjectId;

  @Prop({ required: true })
  funnelVersion!: number;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: COHORT_STATUSES })
  status!: CohortStatus;

  @Prop({ required: true })
  startAt!: Date;

  @Prop({ required: true })
  timezone!: string;

  @Prop({ type: String, required: true, enum: RELEASE_CLOCKS })
  releaseClock!: ReleaseClock;

  @Prop({ required: true })
  capacity!: number;

  /** Always open; each student's day 0 is the moment they confirm (their own schedule). */
  @Prop({ default: false })
  evergreen!: boolean;

  /** Send a class reminder this long before each free class; absent for none. */
  @Prop()
  reminderMinutesBefore?: number;

  @Prop()
  enrollmentOpensAt?: Date;

  @Prop()
  enrollmentClosesAt?: Date;

  @Prop({ type: [SchemaFactory.createForClass(ScheduledLessonDoc)], required: true })
  lessons!: ScheduledLessonDoc[];

  @Prop({ required: true })
  offerDeadlineAt!: Date;

  /** Cohorts created before attendance existed have none: the defaults apply. */
  @Prop({
    type: {
      checkInOpensBeforeMinutes: Number,
      lateAfterMinutes: Number,
      closeAfterMinutes: Number,
      nudgeAbsent: Boolean,
    },
    _id: false,
  })
  attendance?: AttendancePolicy;

  @Prop({ type: { minAttended: Number, minHomeworkPassed: Number }, _id: false })
  completion?: CompletionRule;

  @Prop({ type: Types.ObjectId })
  paidCohortId?: Types.ObjectId;

  /** A partner organisation's cohort (run from its licensed clone), and under which license. */
  @Prop()
  organizationId?: string;

  @Prop()
  licenseId?: string;

  /** Where it runs (hierarchical code, e.g. CN/44/4403); within the license's territory. */
  @Prop()
  territory?: string;

  @Prop({ required: true })
  createdBy!: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  cancelledAt?: Date;

  /** Opened or moved with catchUp at this instant: the classes due by then go out as one catch-up. */
  @Prop({ type: Date })
  catchUpUntil?: Date | null;

  /** When its start last moved: the confirmed students are told the new times once per move. */
  @Prop({ type: Date })
  rescheduledAt?: Date | null;
}

export const CohortSchema = SchemaFactory.createForClass(Cohort);
// Staff listings by funnel and status, newest start first.
CohortSchema.index({ funnelId: 1, status: 1, startAt: -1 });
// Listing by status alone (e.g. all open cohorts), and the scheduler's scan of running cohorts.
CohortSchema.index({ status: 1, startAt: 1 });
CohortSchema.index({ organizationId: 1 });
CohortSchema.index({ licenseId: 1 });

import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One run of a scheduled job for one period, across all instances. Inserting it is the lease: the
 * unique (job, periodKey) index lets exactly one insert win, so one instance runs each period and
 * a period with a record is never run again (not after a crash mid-run either: at most once).
 */
@Schema({ collection: 'cf_job_runs', strictQuery: 'throw', versionKey: false })
export class JobRun {
  @Prop({ required: true })
  job!: string;

  /** The period's occurrence as an ISO instant (see JobPeriod), so a job's keys sort by time. */
  @Prop({ required: true })
  periodKey!: string;

  /** Which instance took the lease (host:pid:random). */
  @Prop({ required: true })
  instanceId!: string;

  @Prop({ required: true })
  startedAt!: Date;

  @Prop({ type: Date })
  finishedAt?: Date;

  /** Why the run failed; the next period runs again regardless. */
  @Prop({ type: String })
  error?: string;
}

export const JobRunSchema = SchemaFactory.createForClass(JobRun);
// The lease (unique); and forgetting a job's old periods (job, periodKey < current) by its prefix.
JobRunSchema.index({ job: 1, periodKey: 1 }, { unique: true });

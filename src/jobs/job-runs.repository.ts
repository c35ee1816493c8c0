import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { retryTransient } from '../database/mongo-errors';
import { JobRun } from './job-run.schema';

export interface JobRunRecord {
  job: string;
  periodKey: string;
  instanceId: string;
  startedAt: Date;
  finishedAt?: Date;
  error?: string;
}

@Injectable()
export class JobRunsRepository {
  constructor(@InjectModel(JobRun.name, COURSE_FUNNEL_CONNECTION) private readonly runs: Model<JobRun>) {}

  /** Takes the period for this instance; false when another run (here or elsewhere) has it. */
  lease(job: string, periodKey: string, instanceId: string, at: Date): Promise<boolean> {
    return insertOnce(this.runs, { job, periodKey, instanceId, startedAt: at });
  }

  async finish(job: string, periodKey: string, at: Date, error?: string): Promise<void> {
    await retryTransient(() =>
      this.runs.updateOne({ job, periodKey }, { $set: { finishedAt: at, ...(error ? { error } : {}) } }).exec(),
    );
  }

  /**
   * Forgets runs of periods before `periodKey` that started before `startedBefore`. Only the
   * latest period is ever leased, so older records decide nothing; they are kept a while to read.
   */
  async forgetBefore(job: string, periodKey: string, startedBefore: Date): Promise<number> {
    const result = await this.runs
      .deleteMany({ job, periodKey: trusted({ $lt: periodKey }), startedAt: trusted({ $lt: startedBefore }) })
      .exec();
    return result.deletedCount;
  }

  /** A job's runs, latest period first (operators and tests). */
  recent(job: string, limit: number): Promise<JobRunRecord[]> {
    return this.runs
      .find({ job })
      .sort({ periodKey: -1 })
      .limit(limit)
      .select({ _id: 0 })
      .lean<JobRunRecord[]>()
      .exec();
  }
}

import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { JobRun, JobRunSchema } from './job-run.schema';
import { JobRunsRepository } from './job-runs.repository';
import { PeriodicJobs } from './periodic-jobs.service';

/** Timers for periodic work (cron periods leased across instances, or ticks); see PeriodicJobs. */
@Module({
  imports: [MongooseModule.forFeature([{ name: JobRun.name, schema: JobRunSchema }], COURSE_FUNNEL_CONNECTION)],
  providers: [JobRunsRepository, PeriodicJobs],
  exports: [PeriodicJobs],
})
export class JobsModule {}

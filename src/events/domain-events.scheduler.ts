import { Inject, Injectable } from '@nestjs/common';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { PeriodicJob, PeriodicJobs } from '../jobs/periodic-jobs.service';
import { DomainEvents } from './domain-events.service';

/** Redelivers events whose handlers failed or whose deliverer died; every instance may tick. */
@Injectable()
export class DomainEventsScheduler {
  private readonly job: PeriodicJob<{ delivered: number; purged: number }>;

  constructor(
    private readonly events: DomainEvents,
    jobs: PeriodicJobs,
    @Inject(COURSE_FUNNEL_OPTIONS) options: ResolvedCourseFunnelOptions,
  ) {
    this.job = jobs.register({
      name: 'domain-events',
      schedule: { everyMs: options.schedulerTickMs },
      run: async () => ({
        delivered: await this.events.deliverDue(),
        purged: await this.events.purgeDone(),
      }),
    });
  }

  tick(): Promise<{ delivered: number; purged: number }> {
    return this.job.runNow();
  }
}

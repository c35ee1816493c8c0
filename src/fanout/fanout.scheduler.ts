import { Inject, Injectable } from '@nestjs/common';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { PeriodicJob, PeriodicJobs } from '../jobs/periodic-jobs.service';
import { FanoutService, ReleaseReport } from './fanout.service';

/** The scheduler tick: it only asks the service to release what is due (every instance may tick). */
@Injectable()
export class FanoutScheduler {
  private readonly job: PeriodicJob<ReleaseReport>;

  constructor(
    private readonly releases: FanoutService,
    jobs: PeriodicJobs,
    @Inject(COURSE_FUNNEL_OPTIONS) options: ResolvedCourseFunnelOptions,
  ) {
    this.job = jobs.register({
      name: 'releases',
      schedule: { everyMs: options.schedulerTickMs },
      run: () => this.releases.releaseDue(),
      // At once too: whatever came due while no instance was running goes out now.
      runAtStart: true,
    });
  }

  tick(): Promise<ReleaseReport> {
    return this.job.runNow();
  }
}

import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob } from '../common/interval-job';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { ReleaseReport, FanoutService } from './fanout.service';

/** The scheduler tick: it only asks the service to release what is due (every instance may tick). */
@Injectable()
export class FanoutScheduler implements OnApplicationBootstrap {
  private readonly job = new IntervalJob<ReleaseReport>('releases', () => this.releases.releaseDue());

  constructor(
    private readonly releases: FanoutService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    // At once too: whatever came due while no instance was running goes out now.
    this.job.start(this.scheduler, this.options.schedulerTickMs, { immediately: true });
  }

  tick(): Promise<ReleaseReport> {
    return this.job.tick();
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../course-funnel.options';
import { ReleaseReport, ReleasesService } from './releases.service';

/** The scheduler tick: it only asks the service to release what is due (every instance may tick). */
@Injectable()
export class ReleaseScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Releases');
  private running: Promise<ReleaseReport> | null = null;

  constructor(
    private readonly releases: ReleasesService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.schedulerTickMs <= 0) return;
    const timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.logger.error(`release tick failed: ${String(error)}`));
    }, this.options.schedulerTickMs);
    this.scheduler.addInterval('course-funnel-releases', timer);
    // Catch up at once with whatever came due while no instance was running.
    void this.tick().catch((error: unknown) => this.logger.error(`release catch-up failed: ${String(error)}`));
  }

  /** Overlapping ticks share one run. */
  tick(): Promise<ReleaseReport> {
    this.running ??= this.releases.releaseDue().finally(() => (this.running = null));
    return this.running;
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../course-funnel.options';
import { LevelsService } from './levels.service';

const DAY_MS = 24 * 3600_000;

/** Runs the level maintenance review daily (with the scheduler on); every instance may run it. */
@Injectable()
export class LevelReviewScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Levels');

  constructor(
    private readonly levels: LevelsService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.schedulerTickMs <= 0) return;
    const timer = setInterval(() => {
      this.levels
        .reviewActivity()
        .then((result) => this.logger.log({ msg: 'level review', ...result }))
        .catch((error: unknown) => this.logger.error(`level review failed: ${String(error)}`));
    }, DAY_MS);
    this.scheduler.addInterval('course-funnel-level-review', timer);
  }
}

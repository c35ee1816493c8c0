import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob } from '../common/interval-job';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { LevelsService } from './levels.service';

const DAY_MS = 24 * 3600_000;

/** Runs the level maintenance review daily (with the scheduler on); every instance may run it. */
@Injectable()
export class LevelReviewScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('Levels');
  private readonly job = new IntervalJob('level-review', async () => {
    this.logger.log({ msg: 'level review', ...(await this.levels.reviewActivity()) });
  });

  constructor(
    private readonly levels: LevelsService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(this.scheduler, this.options.schedulerTickMs > 0 ? DAY_MS : 0);
  }
}

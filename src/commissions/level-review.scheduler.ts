import { Injectable, Logger } from '@nestjs/common';
import { PeriodicJobs } from '../jobs/periodic-jobs.service';
import { LevelsService } from './levels.service';

/**
 * The level maintenance review, daily at 03:00 UTC on one instance (the day's run is leased), and
 * at start-up when no instance ran today's: a server restarted every day still reviews.
 */
@Injectable()
export class LevelReviewScheduler {
  private readonly logger = new Logger('Levels');

  constructor(
    private readonly levels: LevelsService,
    jobs: PeriodicJobs,
  ) {
    jobs.register({
      name: 'level-review',
      schedule: { cron: '0 3 * * *', timeZone: 'UTC' },
      run: async () => {
        this.logger.log({ msg: 'level review', ...(await this.levels.reviewActivity()) });
      },
    });
  }
}

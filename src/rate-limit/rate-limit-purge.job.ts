import { Injectable } from '@nestjs/common';
import { PeriodicJobs } from '../jobs/periodic-jobs.service';
import { MongoThrottlerStorage } from './mongo-throttler.storage';

/**
 * Keeps the window collection small: each minute (windows last one), on one instance, as the
 * purge needs doing once however many instances run; off with the scheduler, like every timer.
 * A failed purge is logged and kept on its run record; the next minute's purges what it left.
 */
@Injectable()
export class RateLimitPurgeJob {
  constructor(storage: MongoThrottlerStorage, jobs: PeriodicJobs) {
    jobs.register({ name: 'rate-limit-purge', schedule: { cron: '* * * * *' }, run: () => storage.purgeExpired() });
  }
}

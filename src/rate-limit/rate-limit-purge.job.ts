import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { MongoThrottlerStorage } from './mongo-throttler.storage';

/** Keeps the window collection small; the scheduler tick only calls the storage. */
@Injectable()
export class RateLimitPurgeJob {
  private readonly logger = new Logger('RateLimit');

  constructor(private readonly storage: MongoThrottlerStorage) {}

  @Interval(60_000)
  async purge(): Promise<void> {
    try {
      await this.storage.purgeExpired();
    } catch (error) {
      this.logger.warn(`purge of expired rate-limit windows failed: ${(error as Error).message}`);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Model, trusted } from 'mongoose';
import { Clock } from '../common/clock';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { RateLimitWindow } from './rate-limit-window.schema';
import { fixedWindow, secondsUntil } from './rate-limit.rules';

/** Not exported by @nestjs/throttler's index, so derived from the interface. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler storage backed by the database: each hit is one atomic `$inc` upsert on
 * the window document, so concurrent requests on several instances are all counted.
 */
@Injectable()
export class MongoThrottlerStorage implements ThrottlerStorage {
  constructor(
    @InjectModel(RateLimitWindow.name, COURSE_FUNNEL_CONNECTION) private readonly windows: Model<RateLimitWindow>,
    private readonly clock: Clock,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const nowMs = this.clock.now().getTime();
    const window = fixedWindow(nowMs, ttl);
    const hits = await this.hit(`${throttlerName}:${key}:${window.startMs}`, new Date(window.endMs));
    const timeToExpire = secondsUntil(window.endMs, nowMs);
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
  }

  private async hit(id: string, expiresAt: Date): Promise<number> {
    const update = { $inc: { hits: 1 }, $setOnInsert: { expiresAt } };
    try {
      const doc = await this.windows
        .findOneAndUpdate({ _id: id }, update, { upsert: true, returnDocument: 'after' })
        .lean()
        .exec();
      return doc?.hits ?? 1;
    } catch (error) {
      // Two first hits raced on the upsert; the loser increments the document the winner made.
      if (!isDuplicateKeyError(error)) throw error;
      const doc = await this.windows.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean().exec();
      return doc?.hits ?? 1;
    }
  }

  /** Removes windows that have ended; safe to run on every instance at once. */
  async purgeExpired(): Promise<number> {
    const result = await this.windows.deleteMany({ expiresAt: trusted({ $lte: this.clock.now() }) }).exec();
    return result.deletedCount;
  }
}

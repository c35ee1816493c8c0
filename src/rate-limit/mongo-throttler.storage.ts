import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Model, trusted } from 'mongoose';
import { Clock } from '../common/clock';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { RateLimitHit } from './rate-limit-hit.schema';
import { fixedWindow, secondsUntil } from './rate-limit.rules';

/** Not exported by @nestjs/throttler's index, so derived from the interface. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler storage in the database, shared by all instances. A hit is admitted by
 * claiming the next free slot of its window with a unique insert, so exactly `limit` hits pass per
 * window however many instances and requests race.
 */
@Injectable()
export class MongoThrottlerStorage implements ThrottlerStorage {
  constructor(
    @InjectModel(RateLimitHit.name, COURSE_FUNNEL_CONNECTION) private readonly hits: Model<RateLimitHit>,
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
    const { startMs, endMs } = fixedWindow(nowMs, ttl);
    const window = `${throttlerName}:${key}:${startMs}`;
    const timeToExpire = secondsUntil(endMs, nowMs);
    const slot = await this.claimSlot(window, limit, new Date(endMs));
    const isBlocked = slot === null;
    return {
      totalHits: slot ?? limit + 1,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    };
  }

  /** The slot number this hit took, or null when all `limit` slots are taken. */
  private async claimSlot(window: string, limit: number, expiresAt: Date): Promise<number | null> {
    let slot = (await this.hits.countDocuments({ window }).exec()) + 1;
    while (slot <= limit) {
      try {
        await this.hits.create({ window, slot, expiresAt });
        return slot;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        slot++; // another request took it; try the next
      }
    }
    return null;
  }

  /** Removes hits of ended windows; safe to run on every instance at once. */
  async purgeExpired(): Promise<number> {
    const result = await this.hits.deleteMany({ expiresAt: trusted({ $lte: this.clock.now() }) }).exec();
    return result.deletedCount;
  }
}

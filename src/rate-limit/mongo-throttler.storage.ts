import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Model, trusted } from 'mongoose';
import { Clock } from '../common/clock';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError, isTransientWriteConflict, retryTransient } from '../database/mongo-errors';
import { RateLimitHit } from './rate-limit-hit.schema';
import { fixedWindow, freeSlot, secondsUntil } from './rate-limit.rules';

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
    const admitted = await this.claimSlot(window, limit, new Date(endMs));
    const isBlocked = admitted === null;
    return {
      totalHits: admitted ?? limit + 1,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    };
  }

  /**
   * How many hits the window had admitted with this one, or null when all `limit` slots were
   * taken. The first try is the next slot after the count; a hit that loses that race reads which
   * slots are taken and tries a random free one, so racers spread out. An insert that lost a
   * deadlock to a racing one (FerretDB 2 + DocumentDB) took nothing and tries the same slot again,
   * a few times, then picks another free one.
   */
  private async claimSlot(window: string, limit: number, expiresAt: Date): Promise<number | null> {
    let known = await this.hits.countDocuments({ window }).exec();
    let slot: number | null = known < limit ? known + 1 : null;
    while (slot !== null) {
      const claimed = slot;
      try {
        await retryTransient(() => this.hits.create({ window, slot: claimed, expiresAt }));
        return known + 1;
      } catch (error) {
        // Lost the slot, or kept losing deadlocks for it under a crowd: either way someone else
        // is writing this window; pick again among the free slots.
        if (!isDuplicateKeyError(error) && !isTransientWriteConflict(error)) throw error;
        const taken = await this.hits.find({ window }, { slot: 1, _id: 0 }).lean<{ slot: number }[]>().exec();
        known = taken.length;
        slot = freeSlot(
          taken.map((hit) => hit.slot),
          limit,
        );
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

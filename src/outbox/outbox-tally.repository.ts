import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertManyOnce, insertOnce } from '../database/insert-once';
import { OutboxKind } from '../messages/message-kinds';
import { OutboxMessage, OutboxStatus } from './outbox-message.schema';
import { OutboxTally, OutboxTotal } from './outbox-tally.schema';
import {
  Bucket,
  bucketKey,
  isZero,
  mergeCounts,
  noMessages,
  pickCounts,
  sumTallies,
  TallyRow,
  TotalRow,
} from './outbox-tally.rules';
import { StatusTally } from './outbox-tally.rules';

const oid = (id: string | null) => (id ? new Types.ObjectId(id) : null);
const bucketFilter = (b: Bucket) => ({ cohortId: oid(b.cohortId), kind: b.kind as OutboxKind });
const toBucket = (doc: { cohortId: Types.ObjectId | null; kind: string }): Bucket => ({
  cohortId: doc.cohortId ? doc.cohortId.toHexString() : null,
  kind: doc.kind,
});

/** The outbox's status counts: tallies of status writes, folded into totals (see outbox-tally.rules). */
@Injectable()
export class OutboxTallyRepository {
  constructor(
    @InjectModel(OutboxTally.name, COURSE_FUNNEL_CONNECTION) private readonly tallies: Model<OutboxTally>,
    @InjectModel(OutboxTotal.name, COURSE_FUNNEL_CONNECTION) private readonly totals: Model<OutboxTotal>,
    @InjectModel(OutboxMessage.name, COURSE_FUNNEL_CONNECTION) private readonly messages: Model<OutboxMessage>,
  ) {}

  /**
   * Inserts the tallies of write `op`, one per bucket; a tally that exists (the same write, retried)
   * stays as it is.
   */
  async record(op: string, entries: { bucket: Bucket; delta: StatusTally }[], at: Date): Promise<void> {
    const docs = entries
      .filter((e) => !isZero(e.delta))
      .map((e) => ({ _id: `${op}:${bucketKey(e.bucket)}`, ...bucketFilter(e.bucket), at, ...e.delta }));
    await insertManyOnce(this.tallies.collection as unknown as mongo.Collection<(typeof docs)[number]>, docs);
  }

  /** The counts per cohort and kind: totals, plus the tallies after their cut. Two small reads. */
  async counts(filter: { cohortId?: string; kind?: OutboxKind }): Promise<(Bucket & StatusTally)[]> {
    const query: Record<string, unknown> = {};
    if (filter.cohortId) query['cohortId'] = new Types.ObjectId(filter.cohortId);
    if (filter.kind) query['kind'] = filter.kind;
    const [totals, tallies] = await Promise.all([
      this.totals.find(query).lean<OutboxTotal[]>().exec(),
      this.tallies.find(query, { _id: 0 }).lean<OutboxTally[]>().exec(),
    ]);
    return mergeCounts(
      totals.map((t): TotalRow => ({ ...toBucket(t), ...pickCounts(t), cut: t.cut })),
      tallies.map((t): TallyRow => ({ ...toBucket(t), ...pickCounts(t), at: t.at })),
    );
  }

  /**
   * Folds the tallies older than `quietMs` into their buckets' totals (at most `maxBuckets` buckets
   * a call); a bucket no write has touched since then is recounted from its messages instead,
   * which repairs what a crash between a tally and its write left wrong. Returns the buckets done.
   */
  async fold(now: Date, quietMs: number, maxBuckets = 20): Promise<number> {
    const cut = new Date(now.getTime() - quietMs);
    const old = await this.tallies
      .find({ at: trusted({ $lte: cut }) }, { _id: 0, cohortId: 1, kind: 1 })
      .sort({ at: 1 })
      .limit(maxBuckets * 20)
      .lean<Pick<OutboxTally, 'cohortId' | 'kind'>[]>()
      .exec();
    const buckets = new Map(old.map((t) => [bucketKey(toBucket(t)), toBucket(t)]));
    let done = 0;
    for (const bucket of [...buckets.values()].slice(0, maxBuckets)) {
      if (await this.foldBucket(bucket, cut)) done++;
    }
    return done;
  }

  private async foldBucket(bucket: Bucket, cut: Date): Promise<boolean> {
    const key = bucketKey(bucket);
    const total = await this.totals.findById(key).lean<OutboxTotal>().exec();
    const previousCut = total?.cut ?? new Date(0);
    const since = { ...bucketFilter(bucket), at: trusted({ $gt: cut }) };
    let next: StatusTally;
    if (await this.tallies.exists(since).exec()) {
      // Busy: add the tallies up to the cut.
      const folded = await this.tallies
        .find({ ...bucketFilter(bucket), at: trusted({ $gt: previousCut, $lte: cut }) }, { _id: 0 })
        .lean<OutboxTally[]>()
        .exec();
      const sum = sumTallies(folded.map(pickCounts));
      next = total ? sumTallies([pickCounts(total), sum]) : sum;
    } else {
      // Quiet for a lease: every write that tallied has landed, so the messages are the truth.
      next = await this.recount(bucket);
      // A write that began meanwhile may or may not be in the recount: leave this bucket for later.
      if (await this.tallies.exists(since).exec()) return false;
    }
    const written = total
      ? (await this.totals.updateOne({ _id: key, cut: previousCut }, { $set: { ...next, cut } }).exec())
          .modifiedCount === 1
      : await insertOnce(this.totals, { _id: key, ...bucketFilter(bucket), ...next, cut });
    // Tallies up to the cut are in the total now; counts ignore any this delete leaves.
    if (written) await this.tallies.deleteMany({ ...bucketFilter(bucket), at: trusted({ $lte: cut }) }).exec();
    return written;
  }

  private async recount(bucket: Bucket): Promise<StatusTally> {
    const groups = await this.messages.collection
      .aggregate<{ _id: OutboxStatus; n: number }>([
        { $match: bucketFilter(bucket) },
        { $group: { _id: '$status', n: { $sum: 1 } } },
      ])
      .toArray();
    const tally = noMessages();
    for (const g of groups) tally[g._id] = g.n;
    return tally;
  }
}

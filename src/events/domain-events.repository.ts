import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { retryTransient } from '../database/mongo-errors';
import { DeliveryResult } from './domain-event.rules';
import { DomainEventDoc, DomainEventState } from './domain-event.schema';

export interface StoredEvent {
  key: string;
  name: string;
  payload: object;
  state: DomainEventState;
  pending: string[];
  attempts: number;
  errors: string[];
  createdAt: Date;
  doneAt: Date | null;
}

const toRecord = (doc: DomainEventDoc): StoredEvent => ({
  key: doc._id,
  name: doc.name,
  payload: doc.payload,
  state: doc.state,
  pending: doc.pending,
  attempts: doc.attempts,
  errors: doc.failures ?? [],
  createdAt: doc.createdAt,
  doneAt: doc.doneAt ?? null,
});

@Injectable()
export class DomainEventsRepository {
  constructor(
    @InjectModel(DomainEventDoc.name, COURSE_FUNNEL_CONNECTION) private readonly events: Model<DomainEventDoc>,
  ) {}

  /** Stores the event, held by `leaseOwner`; false when it was stored before (a replay, or a race lost). */
  insert(event: {
    key: string;
    name: string;
    payload: object;
    pending: string[];
    leaseOwner: string;
    leaseUntil: Date;
    at: Date;
  }): Promise<boolean> {
    return insertOnce(this.events, {
      _id: event.key,
      name: event.name,
      payload: event.payload,
      state: 'pending',
      pending: event.pending,
      attempts: 0,
      dueAt: event.at,
      leaseOwner: event.leaseOwner,
      leaseUntil: event.leaseUntil,
      createdAt: event.at,
    });
  }

  /**
   * Takes a pending event for delivery: one this deliverer holds already, or one whose lease has
   * lapsed. Null when someone else holds it or nothing is left to deliver.
   */
  async claim(key: string, leaseOwner: string, now: Date, leaseUntil: Date): Promise<StoredEvent | null> {
    const doc = await retryTransient(() =>
      this.events
        .findOneAndUpdate(
          {
            _id: key,
            state: 'pending',
            $or: [{ leaseOwner }, { leaseUntil: trusted({ $lte: now }) }, { leaseUntil: trusted({ $exists: false }) }],
          },
          { $set: { leaseOwner, leaseUntil } },
          { returnDocument: 'after' },
        )
        .lean<DomainEventDoc>()
        .exec(),
    );
    // FerretDB's conditional updates are not atomic, so two deliverers may both get here: every
    // handler is idempotent, and the lease only saves the work twice.
    return doc && doc.leaseOwner === leaseOwner ? toRecord(doc) : null;
  }

  /** One write per delivery: what is left, and the lease given back. */
  async settle(key: string, result: DeliveryResult, now: Date): Promise<void> {
    await retryTransient(() =>
      this.events
        .updateOne(
          { _id: key },
          {
            $set: {
              state: result.state,
              pending: result.pending,
              attempts: result.attempts,
              dueAt: result.dueAt,
              failures: result.errors,
              ...(result.state === 'done' ? { doneAt: now } : {}),
            },
            $unset: { leaseOwner: 1, leaseUntil: 1 },
          },
        )
        .exec(),
    );
  }

  /** Keys of pending events that are due and not held by a live deliverer, oldest first. */
  async due(now: Date, limit: number): Promise<string[]> {
    const docs = await this.events
      .find({ state: 'pending', dueAt: trusted({ $lte: now }) }, { _id: 1, leaseUntil: 1 })
      .sort({ dueAt: 1 })
      .limit(limit)
      .lean<Pick<DomainEventDoc, '_id' | 'leaseUntil'>[]>()
      .exec();
    return docs.filter((d) => !d.leaseUntil || d.leaseUntil <= now).map((d) => d._id);
  }

  async find(key: string): Promise<StoredEvent | null> {
    const doc = await this.events.findById(key).lean<DomainEventDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Events by state, newest first: what staff look at when effects are late or stuck. */
  async list(state: DomainEventState, limit: number): Promise<StoredEvent[]> {
    const docs = await this.events.find({ state }).sort({ dueAt: -1 }).limit(limit).lean<DomainEventDoc[]>().exec();
    return docs.map(toRecord);
  }

  async count(state: DomainEventState): Promise<number> {
    return this.events.countDocuments({ state }).exec();
  }

  /** Deletes delivered events done before `before` (a delivered event's dueAt is when it was done). */
  async purgeDone(before: Date): Promise<number> {
    const result = await this.events.deleteMany({ state: 'done', dueAt: trusted({ $lt: before }) }).exec();
    return result.deletedCount;
  }

  /** Staff sent a failed event back for another round of deliveries. */
  async retry(key: string, now: Date): Promise<boolean> {
    const result = await this.events
      .updateOne({ _id: key, state: 'failed' }, { $set: { state: 'pending', attempts: 0, dueAt: now } })
      .exec();
    return result.matchedCount === 1;
  }
}

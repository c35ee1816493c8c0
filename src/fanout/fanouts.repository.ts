import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { Fanout } from './fanout.schema';

@Injectable()
export class FanoutsRepository {
  constructor(@InjectModel(Fanout.name, COURSE_FUNNEL_CONNECTION) private readonly fanouts: Model<Fanout>) {}

  /** Which of these fan-outs have completed (one query for a whole tick). */
  async completed(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const docs = await this.fanouts
      .find({ _id: trusted({ $in: ids }) })
      .select({ _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return new Set(docs.map((d) => d._id));
  }

  async markCompleted(id: string, messages: number, at: Date): Promise<void> {
    await insertOnce(this.fanouts, { _id: id, messages, completedAt: at });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Locale } from '../common/locale';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError, retryTransient } from '../database/mongo-errors';
import { ChatPlatformName, ChatPostKind } from './chat-post';
import { Channel, ChannelOwnerKind, ChannelSlot } from './channel.schema';

export interface ChannelRecord {
  id: string;
  ownerKind: ChannelOwnerKind;
  ownerId: string;
  organizationId: string | null;
  platform: ChatPlatformName;
  name: string;
  locale: Locale;
  kinds: ChatPostKind[];
  sealed: string;
  hint: string;
  hasSecret: boolean;
  createdBy: string;
  createdAt: Date;
  removedAt: Date | null;
  lastTest: { at: Date; delivered: boolean; detail: string } | null;
}

export type NewChannel = Omit<ChannelRecord, 'id' | 'removedAt' | 'lastTest'>;

type StoredChannel = Channel & { _id: Types.ObjectId };

const toRecord = (doc: StoredChannel): ChannelRecord => ({
  id: doc._id.toHexString(),
  ownerKind: doc.ownerKind,
  ownerId: doc.ownerId.toHexString(),
  organizationId: doc.organizationId ?? null,
  platform: doc.platform,
  name: doc.name,
  locale: doc.locale,
  kinds: doc.kinds,
  sealed: doc.sealed,
  hint: doc.hint,
  hasSecret: doc.hasSecret,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  removedAt: doc.removedAt ?? null,
  lastTest: doc.lastTest ?? null,
});

/** Channels and their rate-limit slots as stored; the service holds the rules. */
@Injectable()
export class ChannelsRepository {
  constructor(
    @InjectModel(Channel.name, COURSE_FUNNEL_CONNECTION) private readonly channels: Model<Channel>,
    @InjectModel(ChannelSlot.name, COURSE_FUNNEL_CONNECTION) private readonly slots: Model<ChannelSlot>,
  ) {}

  async create(channel: NewChannel): Promise<ChannelRecord> {
    const { ownerId, organizationId, ...rest } = channel;
    const created = await this.channels.create({
      ...rest,
      ownerId: new Types.ObjectId(ownerId),
      ...(organizationId ? { organizationId } : {}),
    });
    return toRecord(created.toObject());
  }

  async findById(id: string): Promise<ChannelRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.channels.findById(id).lean<StoredChannel>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** The active channels of these owners, oldest first. */
  async activeOf(ownerIds: string[]): Promise<ChannelRecord[]> {
    if (ownerIds.length === 0) return [];
    const docs = await this.channels
      .find({ ownerId: trusted({ $in: ownerIds.map((id) => new Types.ObjectId(id)) }), removedAt: null })
      .sort({ _id: 1 })
      .lean<StoredChannel[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Every active channel (a few per cohort at most): the fan-out reads them once per tick. */
  async allActive(): Promise<ChannelRecord[]> {
    const docs = await this.channels.find({ removedAt: null }).lean<StoredChannel[]>().exec();
    return docs.map(toRecord);
  }

  /** Removes a channel once; returns it as removed (the first removal's time stays). */
  async remove(id: string, by: string, at: Date): Promise<ChannelRecord | null> {
    await this.channels.updateOne({ _id: id, removedAt: null }, { $set: { removedAt: at, removedBy: by } }).exec();
    return this.findById(id);
  }

  async recordTest(id: string, result: { at: Date; delivered: boolean; detail: string }): Promise<void> {
    await this.channels.updateOne({ _id: id }, { $set: { lastTest: result } }).exec();
  }

  /** Takes one rate-limit slot of a channel; false when another post (on any instance) has it. */
  async takeSlot(id: string, at: Date): Promise<boolean> {
    try {
      await retryTransient(() => this.slots.create({ _id: id, at }));
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async purgeSlots(before: Date): Promise<number> {
    const { deletedCount } = await this.slots.deleteMany({ at: trusted({ $lt: before }) }).exec();
    return deletedCount;
  }
}

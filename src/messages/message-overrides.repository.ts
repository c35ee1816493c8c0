import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Locale } from '../common/locale';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError, retryTransient } from '../database/mongo-errors';
import { MessageKind } from './message-kinds';
import { MessageOverride } from './message-override.schema';
import { MessageTemplateSource } from './message-template.rules';

export interface OverrideRecord extends MessageTemplateSource {
  funnelId: string;
  kind: MessageKind;
  locale: Locale;
  updatedAt: Date;
  updatedBy: string;
}

type Stored = MessageOverride & { _id: Types.ObjectId };

const toRecord = (doc: Stored): OverrideRecord => ({
  funnelId: doc.funnelId.toHexString(),
  kind: doc.kind,
  locale: doc.locale,
  subject: doc.subject,
  html: doc.html,
  text: doc.text,
  updatedAt: doc.updatedAt,
  updatedBy: doc.updatedBy,
});

@Injectable()
export class MessageOverridesRepository {
  constructor(
    @InjectModel(MessageOverride.name, COURSE_FUNNEL_CONNECTION) private readonly overrides: Model<MessageOverride>,
  ) {}

  async save(override: OverrideRecord): Promise<OverrideRecord> {
    const key = { funnelId: new Types.ObjectId(override.funnelId), kind: override.kind, locale: override.locale };
    const fields = {
      subject: override.subject,
      html: override.html,
      text: override.text,
      updatedAt: override.updatedAt,
      updatedBy: override.updatedBy,
    };
    try {
      await retryTransient(() => this.overrides.create({ ...key, ...fields }));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.overrides.updateOne(key, { $set: fields }).exec();
    }
    return (await this.find(override.funnelId, override.kind, override.locale)) as OverrideRecord;
  }

  async find(funnelId: string, kind: MessageKind, locale: Locale): Promise<OverrideRecord | null> {
    const doc = await this.overrides
      .findOne({ funnelId: new Types.ObjectId(funnelId), kind, locale })
      .lean<Stored>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** Every override of these funnels (one query per worker batch). */
  async forFunnels(funnelIds: string[]): Promise<OverrideRecord[]> {
    if (funnelIds.length === 0) return [];
    const docs = await this.overrides
      .find({ funnelId: trusted({ $in: funnelIds.map((id) => new Types.ObjectId(id)) }) })
      .lean<Stored[]>()
      .exec();
    return docs.map(toRecord);
  }

  async remove(funnelId: string, kind: MessageKind, locale: Locale): Promise<boolean> {
    const result = await this.overrides.deleteOne({ funnelId: new Types.ObjectId(funnelId), kind, locale }).exec();
    return result.deletedCount > 0;
  }
}

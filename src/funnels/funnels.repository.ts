import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { FunnelContent } from './funnel-content';
import { Funnel, FunnelVersion } from './funnel.schema';

export interface FunnelSummary {
  id: string;
  name: string;
  latestVersion: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FunnelVersionRecord extends FunnelContent {
  funnelId: string;
  version: number;
  createdBy: string;
  createdAt: Date;
}

type StoredFunnel = Funnel & { _id: Types.ObjectId };
type StoredVersion = FunnelVersion & { _id: Types.ObjectId };

function toSummary(doc: StoredFunnel): FunnelSummary {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    latestVersion: doc.latestVersion,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toVersion(doc: StoredVersion): FunnelVersionRecord {
  return {
    funnelId: doc.funnelId.toHexString(),
    version: doc.version,
    name: doc.name,
    defaultLocale: doc.defaultLocale,
    lessons: doc.lessons.map(({ key, phase, title, body, release }) => ({
      key,
      phase,
      title,
      body,
      release: release.at ? { after: release.after, at: release.at } : { after: release.after },
    })),
    offer: {
      courseName: doc.offer.courseName,
      listPrice: { amount: doc.offer.listPrice.amount, currency: doc.offer.listPrice.currency },
      deadlineAfter: doc.offer.deadlineAfter,
    },
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
  };
}

@Injectable()
export class FunnelsRepository {
  constructor(
    @InjectModel(Funnel.name, COURSE_FUNNEL_CONNECTION) private readonly funnels: Model<Funnel>,
    @InjectModel(FunnelVersion.name, COURSE_FUNNEL_CONNECTION) private readonly versions: Model<FunnelVersion>,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates the funnel with version 1. With a fixed `id` (seeding) it is idempotent: a funnel that
   * exists already is left as it is. Version first, funnel second, so a funnel never points at a
   * version that is missing.
   */
  async create(content: FunnelContent, createdBy: string, id = new Types.ObjectId()): Promise<FunnelSummary> {
    await this.insertVersion(id, 1, content, createdBy);
    const now = this.clock.now();
    const doc = await this.funnels
      .findOneAndUpdate(
        { _id: id },
        { $setOnInsert: { name: content.name, latestVersion: 1, createdBy, createdAt: now, updatedAt: now } },
        { upsert: true, returnDocument: 'after', timestamps: false },
      )
      .lean<StoredFunnel>()
      .exec();
    return toSummary(doc);
  }

  /**
   * Adds the next version after the highest stored one; the unique (funnelId, version) index makes
   * racing editors retry with the following number. Null when the funnel does not exist.
   */
  async addVersion(funnelId: string, content: FunnelContent, createdBy: string): Promise<FunnelVersionRecord | null> {
    if (!Types.ObjectId.isValid(funnelId)) return null;
    const funnel = await this.funnels.findById(funnelId).lean<StoredFunnel>().exec();
    if (!funnel) return null;
    for (let attempt = 0; attempt < 20; attempt++) {
      const highest = await this.versions
        .findOne({ funnelId: funnel._id })
        .sort({ version: -1 })
        .select({ version: 1 })
        .lean<{ version: number }>()
        .exec();
      const version = (highest?.version ?? 0) + 1;
      const inserted = await this.insertVersion(funnel._id, version, content, createdBy);
      if (!inserted) continue;
      await this.funnels
        .updateOne(
          { _id: funnel._id },
          { $max: { latestVersion: version }, $set: { name: content.name, updatedAt: this.clock.now() } },
          { timestamps: false },
        )
        .exec();
      return this.findVersion(funnelId, version);
    }
    throw new DomainError(
      'conflict',
      'funnel_edit_conflict',
      `funnel ${funnelId} is being edited by others; try again`,
    );
  }

  private async insertVersion(
    funnelId: Types.ObjectId,
    version: number,
    content: FunnelContent,
    createdBy: string,
  ): Promise<boolean> {
    try {
      await this.versions.create({ funnelId, version, ...content, createdBy, createdAt: this.clock.now() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async findSummary(id: string): Promise<FunnelSummary | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.funnels.findById(id).lean<StoredFunnel>().exec();
    return doc ? toSummary(doc) : null;
  }

  async findVersion(funnelId: string, version: number): Promise<FunnelVersionRecord | null> {
    if (!Types.ObjectId.isValid(funnelId)) return null;
    const doc = await this.versions
      .findOne({ funnelId: new Types.ObjectId(funnelId), version })
      .lean<StoredVersion>()
      .exec();
    return doc ? toVersion(doc) : null;
  }

  async list(): Promise<FunnelSummary[]> {
    const docs = await this.funnels.find().sort({ createdAt: 1 }).limit(500).lean<StoredFunnel[]>().exec();
    return docs.map(toSummary);
  }
}

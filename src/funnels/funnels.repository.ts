import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Clock } from '../common/clock';
import { ALL_ORGANIZATIONS, Tenancy, tenancyFilter } from '../common/tenancy';
import { FunnelError } from './funnels.errors';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { isDuplicateKeyError, retryTransient } from '../database/mongo-errors';
import { FunnelContent, FunnelOwnership, FunnelSource } from './funnel-content';
import { Funnel, FunnelVersion } from './funnel.schema';

export interface FunnelSummary extends FunnelOwnership {
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

/** The funnel document plus what its newest version says (name, number, when). */
function toSummary(doc: StoredFunnel, latest: { version: number; name: string; createdAt: Date }): FunnelSummary {
  return {
    id: doc._id.toHexString(),
    name: latest.name,
    latestVersion: latest.version,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    updatedAt: latest.createdAt,
    organizationId: doc.organizationId ?? null,
    source: doc.source
      ? { funnelId: doc.source.funnelId, version: doc.source.version, licenseId: doc.source.licenseId }
      : null,
  };
}

type LatestVersion = { _id: Types.ObjectId; version: number; name: string; createdAt: Date };

function toVersion(doc: StoredVersion): FunnelVersionRecord {
  return {
    funnelId: doc.funnelId.toHexString(),
    version: doc.version,
    name: doc.name,
    defaultLocale: doc.defaultLocale,
    lessons: doc.lessons.map(({ key, phase, title, body, release, homework }) => ({
      key,
      phase,
      title,
      body,
      release: release.at ? { after: release.after, at: release.at } : { after: release.after },
      ...(homework ? { homework } : {}),
    })),
    offer: {
      courseName: doc.offer.courseName,
      listPrice: { amount: doc.offer.listPrice.amount, currency: doc.offer.listPrice.currency },
      ...(doc.offer.description !== undefined ? { description: doc.offer.description } : {}),
      ...(doc.offer.openAfter !== undefined ? { openAfter: doc.offer.openAfter } : {}),
      deadlineAfter: doc.offer.deadlineAfter,
      ...(doc.offer.priceTiers?.length
        ? {
            priceTiers: doc.offer.priceTiers.map((t) => ({
              minReferrals: t.minReferrals,
              price: { amount: t.price.amount, currency: t.price.currency },
            })),
          }
        : {}),
      ...(doc.offer.priceProtectionDays !== undefined ? { priceProtectionDays: doc.offer.priceProtectionDays } : {}),
      ...(doc.offer.referralMinClassesAttended !== undefined
        ? { referralMinClassesAttended: doc.offer.referralMinClassesAttended }
        : {}),
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
  async create(
    content: FunnelContent,
    createdBy: string,
    id = new Types.ObjectId(),
    ownership: FunnelOwnership = { organizationId: null, source: null },
  ): Promise<FunnelSummary> {
    await this.insertVersion(id, 1, content, createdBy);
    try {
      await retryTransient(() =>
        this.funnels.create({
          _id: id,
          createdBy,
          createdAt: this.clock.now(),
          ...(ownership.organizationId ? { organizationId: ownership.organizationId } : {}),
          ...(ownership.source ? { source: ownership.source } : {}),
        }),
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    return (await this.findSummary(id.toHexString(), ALL_ORGANIZATIONS)) as FunnelSummary;
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
      if (await this.insertVersion(funnel._id, version, content, createdBy)) return this.findVersion(funnelId, version);
    }
    throw new FunnelError('funnel_edit_conflict', `funnel ${funnelId} is being edited by others; try again`);
  }

  private async insertVersion(
    funnelId: Types.ObjectId,
    version: number,
    content: FunnelContent,
    createdBy: string,
  ): Promise<boolean> {
    try {
      await retryTransient(() =>
        this.versions.create({ funnelId, version, ...content, createdBy, createdAt: this.clock.now() }),
      );
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** The funnel's header and latest version number, if it is within the tenancy. */
  async findSummary(id: string, tenancy: Tenancy): Promise<FunnelSummary | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.funnels
      .findOne({ _id: new Types.ObjectId(id), ...tenancyFilter(tenancy) })
      .lean<StoredFunnel>()
      .exec();
    if (!doc) return null;
    const latest = await this.versions
      .findOne({ funnelId: doc._id })
      .sort({ version: -1 })
      .select({ version: 1, name: 1, createdAt: 1 })
      .lean<LatestVersion>()
      .exec();
    return latest ? toSummary(doc, latest) : null;
  }

  async findVersion(funnelId: string, version: number): Promise<FunnelVersionRecord | null> {
    if (!Types.ObjectId.isValid(funnelId)) return null;
    const doc = await this.versions
      .findOne({ funnelId: new Types.ObjectId(funnelId), version })
      .lean<StoredVersion>()
      .exec();
    return doc ? toVersion(doc) : null;
  }

  async setSource(funnelId: string, source: FunnelSource): Promise<void> {
    await this.funnels.updateOne({ _id: new Types.ObjectId(funnelId) }, { $set: { source } }).exec();
  }

  /** Funnels, oldest first, of the tenancy's organisation(s). */
  async list(tenancy: Tenancy): Promise<FunnelSummary[]> {
    const docs = await this.funnels
      .find(tenancyFilter(tenancy))
      .sort({ createdAt: 1 })
      .limit(500)
      .lean<StoredFunnel[]>()
      .exec();
    if (docs.length === 0) return [];
    // Version headers only (no lesson content); FerretDB 1.x lacks $group's $max/$first.
    const headers = await this.versions
      .find({ funnelId: trusted({ $in: docs.map((d) => d._id) }) })
      .select({ funnelId: 1, version: 1, name: 1, createdAt: 1 })
      .lean<(LatestVersion & { funnelId: Types.ObjectId })[]>()
      .exec();
    const byFunnel = new Map<string, LatestVersion>();
    for (const header of headers) {
      const key = header.funnelId.toHexString();
      if ((byFunnel.get(key)?.version ?? 0) < header.version) byFunnel.set(key, header);
    }
    return docs.flatMap((doc) => {
      const newest = byFunnel.get(doc._id.toHexString());
      return newest ? [toSummary(doc, newest)] : [];
    });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { insertOnce } from '../database/insert-once';
import { StaffRole } from './access.decorators';
import { ApiToken, BootstrapMarker } from './api-token.schema';

export interface ApiTokenRecord {
  id: string;
  name: string;
  role: StaffRole;
  displayPrefix: string;
  createdAt: Date;
  createdBy?: string;
  organizationId?: string;
  revokedAt?: Date;
}

type StoredToken = ApiToken & { _id: Types.ObjectId };

function toRecord(doc: StoredToken): ApiTokenRecord {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    role: doc.role,
    displayPrefix: doc.displayPrefix,
    createdAt: doc.createdAt,
    ...(doc.createdBy ? { createdBy: doc.createdBy } : {}),
    ...(doc.organizationId ? { organizationId: doc.organizationId } : {}),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
  };
}

@Injectable()
export class ApiTokenRepository {
  constructor(
    @InjectModel(ApiToken.name, COURSE_FUNNEL_CONNECTION) private readonly tokens: Model<ApiToken>,
    @InjectModel(BootstrapMarker.name, COURSE_FUNNEL_CONNECTION) private readonly markers: Model<BootstrapMarker>,
  ) {}

  async insert(token: Omit<ApiToken, 'revokedAt'>): Promise<ApiTokenRecord> {
    const created = await this.tokens.create(token);
    return toRecord(created.toObject());
  }

  async findActiveByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const doc = await this.tokens.findOne({ tokenHash, revokedAt: null }).lean<StoredToken>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findActiveByIds(ids: string[]): Promise<ApiTokenRecord[]> {
    const valid = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
    if (valid.length === 0) return [];
    const docs = await this.tokens
      .find({ _id: trusted({ $in: valid }), revokedAt: null })
      .lean<StoredToken[]>()
      .exec();
    return docs.map(toRecord);
  }

  async hasActiveToken(role: StaffRole): Promise<boolean> {
    return (await this.tokens.exists({ role, revokedAt: null }).exec()) !== null;
  }

  async list(): Promise<ApiTokenRecord[]> {
    const docs = await this.tokens.find().sort({ createdAt: 1 }).lean<StoredToken[]>().exec();
    return docs.map(toRecord);
  }

  /** Sets `revokedAt` once; revoking again keeps the first time. Null when the token does not exist. */
  async revoke(id: string, at: Date): Promise<ApiTokenRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    await this.tokens.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }).exec();
    const doc = await this.tokens.findById(id).lean<StoredToken>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** True for exactly one caller per marker id, across all instances. */
  async claimMarker(id: string, at: Date): Promise<boolean> {
    return insertOnce(this.markers, { _id: id, createdAt: at });
  }
}

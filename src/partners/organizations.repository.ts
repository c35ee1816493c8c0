import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { Organization } from './organization.schema';

export interface OrganizationRecord {
  id: string;
  name: string;
  createdAt: Date;
}

type StoredOrganization = Organization & { _id: Types.ObjectId };

const toRecord = (doc: StoredOrganization): OrganizationRecord => ({
  id: doc._id.toHexString(),
  name: doc.name,
  createdAt: doc.createdAt,
});

/** Partner organisations as stored; the service holds the rules (who may see which). */
@Injectable()
export class OrganizationsRepository {
  constructor(
    @InjectModel(Organization.name, COURSE_FUNNEL_CONNECTION) private readonly organizations: Model<Organization>,
  ) {}

  async create(organization: { name: string; createdBy: string; createdAt: Date }): Promise<OrganizationRecord> {
    const created = await this.organizations.create(organization);
    return toRecord(created.toObject());
  }

  /** The oldest first, at most `limit`. */
  async list(limit: number): Promise<OrganizationRecord[]> {
    const docs = await this.organizations
      .find()
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<StoredOrganization[]>()
      .exec();
    return docs.map(toRecord);
  }

  async findById(id: string): Promise<OrganizationRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.organizations.findById(id).lean<StoredOrganization>().exec();
    return doc ? toRecord(doc) : null;
  }
}

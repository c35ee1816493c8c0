import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { ApiTokensService, IssuedApiToken } from '../auth/api-tokens.service';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { COURSE_FUNNEL_CONNECTION } from '../database/database.constants';
import { Organization } from './organization.schema';
import { ALL_ORGANIZATIONS, Tenancy, withinTenancy } from '../common/tenancy';

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

/** Partner organisations and their staff tokens (role `partner`, scoped to the organisation). */
@Injectable()
export class PartnersService {
  constructor(
    @InjectModel(Organization.name, COURSE_FUNNEL_CONNECTION) private readonly organizations: Model<Organization>,
    private readonly tokens: ApiTokensService,
    private readonly clock: Clock,
  ) {}

  async create(name: string, by: string): Promise<OrganizationRecord> {
    const created = await this.organizations.create({ name: name.trim(), createdBy: by, createdAt: this.clock.now() });
    return toRecord(created.toObject());
  }

  async list(): Promise<OrganizationRecord[]> {
    const docs = await this.organizations.find().sort({ createdAt: 1 }).limit(1000).lean<StoredOrganization[]>().exec();
    return docs.map(toRecord);
  }

  /** An organisation: partner staff see their own only; any other does not exist for them. */
  async get(id: string, tenancy: Tenancy): Promise<OrganizationRecord> {
    const doc =
      Types.ObjectId.isValid(id) && withinTenancy(tenancy, id)
        ? await this.organizations.findById(id).lean<StoredOrganization>().exec()
        : null;
    if (!doc) throw new NotFoundError('organization', id);
    return toRecord(doc);
  }

  /** A staff token for the organisation: it sees the organisation's data only. */
  async issueToken(organizationId: string, name: string, by: string): Promise<IssuedApiToken> {
    await this.get(organizationId, ALL_ORGANIZATIONS);
    return this.tokens.issue('partner', name.trim(), by, organizationId);
  }
}

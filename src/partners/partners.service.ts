import { Injectable } from '@nestjs/common';
import { ApiTokensService, IssuedApiToken } from '../auth/api-tokens.service';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/domain-error';
import { ALL_ORGANIZATIONS, Tenancy, withinTenancy } from '../common/tenancy';
import { OrganizationRecord, OrganizationsRepository } from './organizations.repository';

/** Partner organisations and their staff tokens (role `partner`, scoped to the organisation). */
@Injectable()
export class PartnersService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly tokens: ApiTokensService,
    private readonly clock: Clock,
  ) {}

  create(name: string, by: string): Promise<OrganizationRecord> {
    return this.organizations.create({ name: name.trim(), createdBy: by, createdAt: this.clock.now() });
  }

  list(): Promise<OrganizationRecord[]> {
    return this.organizations.list(1000);
  }

  /** An organisation: partner staff see their own only; any other does not exist for them. */
  async get(id: string, tenancy: Tenancy): Promise<OrganizationRecord> {
    const organization = withinTenancy(tenancy, id) ? await this.organizations.findById(id) : null;
    if (!organization) throw new NotFoundError('organization', id);
    return organization;
  }

  /** A staff token for the organisation: it sees the organisation's data only. */
  async issueToken(organizationId: string, name: string, by: string): Promise<IssuedApiToken> {
    await this.get(organizationId, ALL_ORGANIZATIONS);
    return this.tokens.issue('partner', name.trim(), by, organizationId);
  }
}

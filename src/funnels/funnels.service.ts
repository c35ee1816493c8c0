import { Injectable, OnModuleInit } from '@nestjs/common';
import { Types } from 'mongoose';
import { NotFoundError } from '../common/domain-error';
import { DomainHooks } from '../events/domain-hooks';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';
import { OrganizationScopes } from '../auth/organization-scope';
import { FunnelContent, FunnelOwnership } from './funnel-content';
import { funnelContentProblems } from './funnel.rules';
import { InvalidFunnelContentError } from './funnels.errors';
import { FunnelSummary, FunnelsRepository, FunnelVersionRecord } from './funnels.repository';

export interface FunnelView extends FunnelSummary {
  current: FunnelVersionRecord;
}

@Injectable()
export class FunnelsService implements OnModuleInit {
  constructor(
    private readonly funnels: FunnelsRepository,
    private readonly hooks: DomainHooks,
    private readonly scopes: OrganizationScopes,
  ) {}

  onModuleInit(): void {
    this.scopes.register(
      'funnel',
      async (id) => (await this.funnels.findSummary(id, ALL_ORGANIZATIONS))?.organizationId,
    );
  }

  /**
   * A new funnel, the platform's or (`ownership`) an organisation's, e.g. a licensed clone. `id`:
   * a fixed id, for content seeded idempotently (the demo).
   */
  async create(
    content: FunnelContent,
    createdBy: string,
    ownership?: FunnelOwnership,
    id = new Types.ObjectId(),
  ): Promise<FunnelView> {
    this.check(content);
    const summary = await this.funnels.create(content, createdBy, id, ownership);
    return this.get(summary.id, ALL_ORGANIZATIONS);
  }

  /**
   * Editing never changes a version in place: it adds the next one. Features may refuse an edit
   * first (a licensed clone may change only what its license allows).
   */
  async addVersion(
    funnelId: string,
    content: FunnelContent,
    createdBy: string,
    tenancy: Tenancy,
    pulledUpstreamVersion?: number,
  ): Promise<FunnelVersionRecord> {
    this.check(content);
    const funnel = await this.get(funnelId, tenancy);
    await this.hooks.run('funnel.version.proposed', { funnel, content, pull: pulledUpstreamVersion !== undefined });
    const version = await this.funnels.addVersion(funnelId, content, createdBy);
    if (!version) throw new NotFoundError('funnel', funnelId);
    // A clone that took its licensor's changes now derives from that version.
    if (pulledUpstreamVersion !== undefined && funnel.source) {
      await this.funnels.setSource(funnelId, { ...funnel.source, version: pulledUpstreamVersion });
    }
    return version;
  }

  /** The funnel with its latest version; one outside the tenancy does not exist for the caller. */
  async get(funnelId: string, tenancy: Tenancy): Promise<FunnelView> {
    const summary = await this.funnels.findSummary(funnelId, tenancy);
    if (!summary) throw new NotFoundError('funnel', funnelId);
    return { ...summary, current: await this.getVersion(funnelId, summary.latestVersion, ALL_ORGANIZATIONS) };
  }

  async getVersion(funnelId: string, version: number, tenancy: Tenancy): Promise<FunnelVersionRecord> {
    // Versions do not carry the organisation: a partner's read checks the funnel's first.
    if (tenancy.kind === 'organization' && !(await this.funnels.findSummary(funnelId, tenancy))) {
      throw new NotFoundError('funnel', funnelId);
    }
    const record = await this.funnels.findVersion(funnelId, version);
    if (!record) throw new NotFoundError('funnel_version', `${funnelId}@${version}`);
    return record;
  }

  list(tenancy: Tenancy): Promise<FunnelSummary[]> {
    return this.funnels.list(tenancy);
  }

  private check(content: FunnelContent): void {
    const problems = funnelContentProblems(content);
    if (problems.length > 0) throw new InvalidFunnelContentError(problems);
  }
}

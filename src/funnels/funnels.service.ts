import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/domain-error';
import { FunnelContent } from './funnel-content';
import { funnelContentProblems } from './funnel.rules';
import { InvalidFunnelContentError } from './funnels.errors';
import { FunnelSummary, FunnelsRepository, FunnelVersionRecord } from './funnels.repository';

export interface FunnelView extends FunnelSummary {
  current: FunnelVersionRecord;
}

@Injectable()
export class FunnelsService {
  constructor(private readonly funnels: FunnelsRepository) {}

  async create(content: FunnelContent, createdBy: string): Promise<FunnelView> {
    this.check(content);
    const summary = await this.funnels.create(content, createdBy);
    return this.get(summary.id);
  }

  /** Editing never changes a version in place: it adds the next one. */
  async addVersion(funnelId: string, content: FunnelContent, createdBy: string): Promise<FunnelVersionRecord> {
    this.check(content);
    const version = await this.funnels.addVersion(funnelId, content, createdBy);
    if (!version) throw new NotFoundError('funnel', funnelId);
    return version;
  }

  async get(funnelId: string): Promise<FunnelView> {
    const summary = await this.funnels.findSummary(funnelId);
    if (!summary) throw new NotFoundError('funnel', funnelId);
    return { ...summary, current: await this.getVersion(funnelId, summary.latestVersion) };
  }

  async getVersion(funnelId: string, version: number): Promise<FunnelVersionRecord> {
    const record = await this.funnels.findVersion(funnelId, version);
    if (!record) throw new NotFoundError('funnel_version', `${funnelId}@${version}`);
    return record;
  }

  list(): Promise<FunnelSummary[]> {
    return this.funnels.list();
  }

  private check(content: FunnelContent): void {
    const problems = funnelContentProblems(content);
    if (problems.length > 0) throw new InvalidFunnelContentError(problems);
  }
}

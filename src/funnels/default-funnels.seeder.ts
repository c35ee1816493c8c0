import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Types } from 'mongoose';
import { defaultFunnels } from './default-funnels';
import { FunnelsRepository } from './funnels.repository';
import { ALL_ORGANIZATIONS } from '../common/tenancy';

/** Seeds the built-in "3 + 4" funnels (zh-CN and en) once; fixed ids make it idempotent. */
@Injectable()
export class DefaultFunnelsSeeder implements OnApplicationBootstrap {
  constructor(private readonly funnels: FunnelsRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const funnel of defaultFunnels) {
      if (await this.funnels.findSummary(funnel.id, ALL_ORGANIZATIONS)) continue;
      await this.funnels.create(funnel.content, 'seed', new Types.ObjectId(funnel.id));
    }
  }
}

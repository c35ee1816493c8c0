import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { ApiTokensService } from './api-tokens.service';

/** On the very first start, prints an admin token once so a newcomer can call the staff API. */
@Injectable()
export class FirstAdminTokenBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Access');
  /** The token issued on this start, if this start issued the first one. */
  issued: string | null = null;

  constructor(
    private readonly tokens: ApiTokensService,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.bootstrapAdminToken) return;
    const issued = await this.tokens.issueFirstAdminToken();
    if (issued === 'no-admin') {
      this.logger.warn(
        'No active admin token (unless another instance is printing the first one now); ' +
          'create one with: npm run cli -- token create --role admin --name <name>',
      );
    } else if (issued !== 'admin-exists') {
      this.issued = issued.token;
      if (this.options.bootstrapAdminToken !== 'quiet') {
        this.logger.warn(`First start: admin API token (shown once, store it now): ${issued.token}`);
      }
    }
  }
}

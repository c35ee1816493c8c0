import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IntervalJob } from '../common/interval-job';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { DomainEvents } from './domain-events.service';

/** Redelivers events whose handlers failed or whose deliverer died; every instance may tick. */
@Injectable()
export class DomainEventsScheduler implements OnApplicationBootstrap {
  private readonly job = new IntervalJob('domain-events', async () => ({
    delivered: await this.events.deliverDue(),
    purged: await this.events.purgeDone(),
  }));

  constructor(
    private readonly events: DomainEvents,
    private readonly scheduler: SchedulerRegistry,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(this.scheduler, this.options.schedulerTickMs);
  }

  tick(): Promise<{ delivered: number; purged: number }> {
    return this.job.tick();
  }
}

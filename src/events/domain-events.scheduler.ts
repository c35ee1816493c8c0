import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../course-funnel.options';
import { DomainEvents } from './domain-events.service';

/** Redelivers events whose handlers failed or whose deliverer died; every instance may tick. */
@Injectable()
export class DomainEventsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('DomainEvents');
  private running: Promise<number> | null = null;

  constructor(
    private readonly events: DomainEvents,
    private readonly scheduler: SchedulerRegistry,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.schedulerTickMs <= 0) return;
    const timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.logger.error(`event redelivery failed: ${String(error)}`));
    }, this.options.schedulerTickMs);
    this.scheduler.addInterval('course-funnel-domain-events', timer);
  }

  /** Overlapping ticks share one run. */
  tick(): Promise<number> {
    this.running ??= this.events.deliverDue().finally(() => (this.running = null));
    return this.running;
  }
}

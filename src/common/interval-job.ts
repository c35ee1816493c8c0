import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Work every instance does on a timer. The timer is registered with @nestjs/schedule, so it stops
 * when the application closes, and overlapping ticks share one run: a slow run is never started
 * twice in one process (other instances are kept off the same work by the work's own claims).
 */
export class IntervalJob<T> {
  private readonly logger: Logger;
  private running: Promise<T> | null = null;

  constructor(
    private readonly name: string,
    private readonly run: () => Promise<T>,
  ) {
    this.logger = new Logger(name);
  }

  /** Starts ticking every `everyMs`, and once now with `immediately`; 0 or less: tests tick by hand. */
  start(scheduler: SchedulerRegistry, everyMs: number, options: { immediately?: boolean } = {}): void {
    if (everyMs <= 0) return;
    scheduler.addInterval(
      `course-funnel-${this.name}`,
      setInterval(() => void this.tickLogged(), everyMs),
    );
    if (options.immediately) void this.tickLogged();
  }

  tick(): Promise<T> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async tickLogged(): Promise<void> {
    try {
      await this.tick();
    } catch (error) {
      this.logger.error(`${this.name} failed: ${String(error)}`);
    }
  }
}

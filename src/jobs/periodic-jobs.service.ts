import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from '../common/clock';
import { COURSE_FUNNEL_OPTIONS, ResolvedCourseFunnelOptions } from '../config/course-funnel.options';
import { JobRunsRepository } from './job-runs.repository';
import { duePeriod, isCronSchedule, JobSchedule, scheduleProblems } from './job-schedule.rules';

/** Runs of past periods are kept this long to read, then forgotten. */
const KEEP_RUNS_MS = 7 * 24 * 3600_000;

export interface PeriodicJobSpec<T> {
  /** Unique per application; also the key of the job's runs in the database. */
  name: string;
  schedule: JobSchedule;
  run: () => Promise<T>;
  /** Tick jobs: also run once at start-up (cron jobs catch up their missed period anyway). */
  runAtStart?: boolean;
}

export type DueRun<T> =
  | { ran: true; periodKey: string | null; result: T }
  /** `taken`: this period has run, or is running, here or on another instance. */
  | { ran: false; reason: 'taken' | 'no-period' };

export interface PeriodicJob<T> {
  readonly name: string;
  /** Runs the body now in this process, without a lease (tests, manual runs); overlapping calls share one run. */
  runNow(): Promise<T>;
  /** What the timer does: a cron job leases its due period and runs if it won it; a tick job just runs. */
  runDue(): Promise<DueRun<T>>;
}

/**
 * The one scheduling adapter for periodic work. Timers go through @nestjs/schedule's registry, so
 * they stop when the application closes, and only run with the scheduler on (`schedulerTickMs` >
 * 0; tests call runNow/runDue with a fake clock). Two kinds of schedule:
 * - cron: a period per occurrence, leased by a unique insert, so one instance runs each period; at
 *   start-up the latest due period runs if no instance ran it (a restart never skips a day);
 * - every N ms: polls for work that is claimed item by item (releases, events), so no lease: one
 *   per tick would cost a write per instance every few seconds and protect nothing the claims do not.
 * Either way a job never overlaps itself in one process.
 */
@Injectable()
export class PeriodicJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('PeriodicJobs');
  private readonly jobs = new Map<string, ScheduledJob<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private started = false;
  private stopping = false;

  constructor(
    private readonly runs: JobRunsRepository,
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(COURSE_FUNNEL_OPTIONS) private readonly options: ResolvedCourseFunnelOptions,
  ) {}

  /** Registers a job; its timer starts with the application (at once when registered later). */
  register<T>(spec: PeriodicJobSpec<T>): PeriodicJob<T> {
    const problems = scheduleProblems(spec.schedule);
    if (problems.length > 0) throw new Error(`periodic job ${spec.name}: ${problems.join('; ')}`);
    if (this.jobs.has(spec.name)) throw new Error(`periodic job ${spec.name} is registered twice`);
    const job = new ScheduledJob(spec, this.runs, this.clock, this.instanceId);
    this.jobs.set(spec.name, job);
    if (this.started) this.start(job);
    return job;
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const job of this.jobs.values()) this.start(job);
  }

  /** Starts no run from now on, and lets those going finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  /** Resolves when no timer-started run is going (tests wait on it after a start-up). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private start(job: ScheduledJob<unknown>): void {
    if (this.options.schedulerTickMs <= 0) return;
    const { schedule, name } = job.spec;
    if (isCronSchedule(schedule)) {
      const timer = CronJob.from({
        cronTime: schedule.cron,
        timeZone: schedule.timeZone ?? 'UTC',
        onTick: () => this.dispatch(job),
        start: true,
      });
      this.registry.addCronJob(`course-funnel-${name}`, timer);
      // Catch-up: the latest due period runs now unless some instance has run it.
      this.dispatch(job);
      return;
    }
    if (schedule.everyMs > 0) {
      this.registry.addInterval(
        `course-funnel-${name}`,
        setInterval(() => this.dispatch(job), schedule.everyMs),
      );
    }
    if (job.spec.runAtStart) this.dispatch(job);
  }

  /** A timer's run: logged, never thrown, and awaited at shutdown. */
  private dispatch(job: ScheduledJob<unknown>): void {
    if (this.stopping) return;
    const run = job.runDue().catch((error: unknown) => {
      this.logger.error({ msg: `${job.name} failed`, error: String(error) });
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }
}

class ScheduledJob<T> implements PeriodicJob<T> {
  private readonly logger: Logger;
  private running: Promise<T> | null = null;

  constructor(
    readonly spec: PeriodicJobSpec<T>,
    private readonly runs: JobRunsRepository,
    private readonly clock: Clock,
    private readonly instanceId: string,
  ) {
    this.logger = new Logger(spec.name);
  }

  get name(): string {
    return this.spec.name;
  }

  runNow(): Promise<T> {
    this.running ??= this.spec.run().finally(() => (this.running = null));
    return this.running;
  }

  async runDue(): Promise<DueRun<T>> {
    if (!isCronSchedule(this.spec.schedule)) return { ran: true, periodKey: null, result: await this.runNow() };
    // Not beside a run still going here: the period is read once it has ended.
    await this.running?.catch(() => undefined);
    const period = duePeriod(this.spec.schedule, this.clock.now());
    if (!period) return { ran: false, reason: 'no-period' };
    if (!(await this.runs.lease(this.name, period.key, this.instanceId, this.clock.now()))) {
      return { ran: false, reason: 'taken' };
    }
    let result: T;
    try {
      result = await this.runNow();
    } catch (error) {
      await this.runs.finish(this.name, period.key, this.clock.now(), String(error));
      throw error;
    }
    await this.runs.finish(this.name, period.key, this.clock.now());
    await this.forgetOldRuns(period.key);
    return { ran: true, periodKey: period.key, result };
  }

  /** Tidying only: a failure is logged, and the next period's run forgets them. */
  private async forgetOldRuns(periodKey: string): Promise<void> {
    const before = new Date(this.clock.now().getTime() - KEEP_RUNS_MS);
    await this.runs.forgetBefore(this.name, periodKey, before).catch((error: unknown) => {
      this.logger.warn({ msg: 'forgetting old runs failed', error: String(error) });
    });
  }
}

import { SchedulerRegistry } from '@nestjs/schedule';
import { CourseFunnelOptions } from '../src/config/course-funnel.options';
import { JobRunsRepository } from '../src/jobs/job-runs.repository';
import { PeriodicJob, PeriodicJobs } from '../src/jobs/periodic-jobs.service';
import { createTestApp, TestApp } from './support/create-test-app';
import { FakeClock } from './support/fake-clock';
import { waitFor } from './support/wait-for';

/** Timers on, with ticks an hour of real time apart: only start-ups and what a test calls run. */
const SCHEDULER_ON: Partial<CourseFunnelOptions> = { schedulerTickMs: 3_600_000 };
const SCHEDULER_OFF: Partial<CourseFunnelOptions> = { schedulerTickMs: 0 };
const DAILY = { cron: '0 3 * * *' };

describe('periodic jobs on several instances and across restarts', () => {
  let running: TestApp[] = [];

  /** Starts an instance; with `uri`, on the database of one started before. */
  async function start(clock: FakeClock, overrides: Partial<CourseFunnelOptions>, uri?: string): Promise<TestApp> {
    const t = await createTestApp({ clock, overrides, ...(uri ? { mongodbUri: uri } : {}) });
    running.push(t);
    return t;
  }

  /** Stops an instance, keeping its database for the next unless `dropDatabase`. */
  async function stop(t: TestApp, { dropDatabase = false } = {}): Promise<void> {
    running = running.filter((other) => other !== t);
    await t.close({ dropDatabase });
  }

  afterEach(async () => {
    const last = running.pop();
    for (const t of running) await t.close({ dropDatabase: false });
    await last?.close();
    running = [];
  });

  const jobs = (t: TestApp) => t.app.get(PeriodicJobs);
  const runsOf = (t: TestApp, job: string) => t.app.get(JobRunsRepository).recent(job, 10);
  const periodsOf = async (t: TestApp, job: string) => (await runsOf(t, job)).map((r) => r.periodKey);

  it('runs a period once when two instances race for it, nothing more in that period, and again in the next', async () => {
    const clock = new FakeClock('2026-03-01T10:00:00.000Z');
    const a = await start(clock, SCHEDULER_OFF);
    const b = await start(clock, SCHEDULER_OFF, a.options.mongodbUri);
    const bodies: string[] = [];
    const digest = (t: TestApp, who: string): PeriodicJob<string> =>
      jobs(t).register({
        name: 'digest',
        schedule: DAILY,
        run: async () => {
          bodies.push(who);
          await t.connection.db!.command({ ping: 1 });
          return who;
        },
      });
    const [onA, onB] = [digest(a, 'a'), digest(b, 'b')];
    const race = () => Promise.all([onA.runDue(), onB.runDue(), onA.runDue(), onB.runDue()]);

    const first = await race();
    expect(bodies).toHaveLength(1);
    expect(first.filter((o) => o.ran)).toEqual([
      { ran: true, periodKey: '2026-03-01T03:00:00.000Z', result: bodies[0] },
    ]);
    expect(first.filter((o) => !o.ran)).toEqual(Array(3).fill({ ran: false, reason: 'taken' }));

    clock.set('2026-03-02T02:59:59.999Z'); // the same period, to its last millisecond
    expect((await race()).some((o) => o.ran)).toBe(false);

    clock.set('2026-03-02T03:00:00.000Z');
    await race();
    expect(bodies).toHaveLength(2);
    const runs = await runsOf(a, 'digest');
    expect(runs.map((r) => r.periodKey)).toEqual(['2026-03-02T03:00:00.000Z', '2026-03-01T03:00:00.000Z']);
    for (const run of runs) expect([jobs(a).instanceId, jobs(b).instanceId]).toContain(run.instanceId);

    // Records of past periods are kept a week, then forgotten; the latest is always kept.
    clock.set('2026-03-09T03:00:00.000Z');
    await race();
    expect(bodies).toHaveLength(3);
    expect(await periodsOf(a, 'digest')).toEqual(['2026-03-09T03:00:00.000Z', '2026-03-02T03:00:00.000Z']);
    // The scheduler is off: no timers, so the module's own jobs never ran.
    expect(a.app.get(SchedulerRegistry).getCronJobs().size).toBe(0);
    expect(await periodsOf(a, 'level-review')).toEqual([]);
  });

  it('keeps the error of a failed run on its record, and runs the next period regardless', async () => {
    const clock = new FakeClock('2026-03-01T10:00:00.000Z');
    const t = await start(clock, SCHEDULER_OFF);
    let calls = 0;
    const job = jobs(t).register({
      name: 'flaky',
      schedule: DAILY,
      run: () => (++calls === 1 ? Promise.reject(new Error('smtp down')) : Promise.resolve(calls)),
    });
    await expect(job.runDue()).rejects.toThrow('smtp down');
    expect(await job.runDue()).toEqual({ ran: false, reason: 'taken' });
    clock.set('2026-03-02T03:00:00.000Z');
    expect(await job.runDue()).toMatchObject({ ran: true, result: 2 });
    const [next, failed] = await runsOf(t, 'flaky');
    expect(next).toMatchObject({ periodKey: '2026-03-02T03:00:00.000Z', finishedAt: clock.now() });
    expect(next.error).toBeUndefined();
    expect(failed).toMatchObject({ periodKey: '2026-03-01T03:00:00.000Z', error: 'Error: smtp down' });
  });

  it('runs the period missed while every instance was down once, at the next start', async () => {
    const clock = new FakeClock('2026-03-01T10:00:00.000Z');
    const first = await start(clock, SCHEDULER_ON);
    // First start ever: today's 03:00 review had no run, so it runs now.
    await jobs(first).idle();
    expect(await runsOf(first, 'level-review')).toEqual([
      expect.objectContaining({
        periodKey: '2026-03-01T03:00:00.000Z',
        instanceId: jobs(first).instanceId,
        finishedAt: clock.now(),
      }),
    ]);
    const uri = first.options.mongodbUri;
    await stop(first);

    // Down across three 03:00s; then two instances start at once.
    clock.set('2026-03-04T05:00:00.000Z');
    const [second, third] = await Promise.all([start(clock, SCHEDULER_ON, uri), start(clock, SCHEDULER_ON, uri)]);
    const digests: string[] = [];
    // Registered once started, a job starts at once, as at start-up: its timer, then the catch-up.
    for (const [t, who] of [
      [second, 'second'],
      [third, 'third'],
    ] as const) {
      jobs(t).register({ name: 'digest', schedule: DAILY, run: () => Promise.resolve(void digests.push(who)) });
    }
    await Promise.all([jobs(second).idle(), jobs(third).idle()]);
    // The latest missed period, once (not one run per missed day, not one per instance).
    expect(await periodsOf(second, 'level-review')).toEqual(['2026-03-04T03:00:00.000Z', '2026-03-01T03:00:00.000Z']);
    expect(digests).toHaveLength(1);
    const [caughtUp] = await runsOf(second, 'level-review');
    expect(caughtUp).toMatchObject({ finishedAt: clock.now() });
    expect(caughtUp.error).toBeUndefined();
    expect([jobs(second).instanceId, jobs(third).instanceId]).toContain(caughtUp.instanceId);

    // A restart within the period runs nothing again.
    await stop(third);
    const fourth = await start(clock, SCHEDULER_ON, uri);
    await jobs(fourth).idle();
    expect(await periodsOf(fourth, 'level-review')).toHaveLength(2);
  });

  it('ticks a poll on its timer, one run at a time in a process, with no run records; close stops the timers', async () => {
    const clock = new FakeClock('2026-03-01T10:00:00.000Z');
    const t = await start(clock, SCHEDULER_ON);
    let active = 0;
    let most = 0;
    let runs = 0;
    const poll = jobs(t).register({
      name: 'poll',
      schedule: { everyMs: 5 },
      run: async () => {
        most = Math.max(most, ++active);
        // Slower than the tick: the ticks meanwhile share this run.
        for (let i = 0; i < 3; i++) await t.connection.db!.command({ ping: 1 });
        active--;
        return ++runs;
      },
    });
    await waitFor(() => runs >= 3, 'three polls');
    expect(most).toBe(1);
    const [x, y] = [poll.runNow(), poll.runNow()];
    expect(x).toBe(y);
    await x;
    expect(await runsOf(t, 'poll')).toEqual([]);

    const registry = t.app.get(SchedulerRegistry);
    expect(registry.getIntervals()).toEqual(
      expect.arrayContaining(['course-funnel-poll', 'course-funnel-releases', 'course-funnel-domain-events']),
    );
    expect([...registry.getCronJobs().keys()].sort()).toEqual([
      'course-funnel-channel-slots-purge',
      'course-funnel-level-review',
      'course-funnel-rate-limit-purge',
    ]);
    await stop(t, { dropDatabase: true });
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getCronJobs().size).toBe(0);
  });
});

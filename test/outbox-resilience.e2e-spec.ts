import { randomBytes } from 'node:crypto';
import { sampleMessage } from '../src/messages/message-samples';
import { NewOutboxMessage } from '../src/messages/outgoing-message';
import { OutboxRepository } from '../src/outbox/outbox.repository';
import { OutboxService } from '../src/outbox/outbox.service';
import { DrainResult, OutboxWorker } from '../src/outbox/outbox.worker';
import { createTestApp, TestApp } from './support/create-test-app';
import { FakeClock, WallClock } from './support/fake-clock';
import { hostOf, SlowProxy } from './support/slow-proxy';
import { SmtpSink } from './support/smtp-sink';
import { testDatabaseUri } from './support/test-database';
import { waitFor } from './support/wait-for';

function confirmMessages(n: number): NewOutboxMessage[] {
  const run = randomBytes(3).toString('hex');
  const sample = sampleMessage('confirm', 'en');
  return Array.from({ length: n }, (_, i) => ({
    key: `${run}-${i}:confirm:-`,
    kind: 'confirm',
    locale: 'en',
    to: `student${i}.${run}@example.test`,
    data: { ...sample.data, student: { name: `Student ${i}` } },
    nextAttemptAt: new Date('2026-03-01T00:00:00Z'),
  }));
}

const messageIds = (sink: SmtpSink) => sink.received.map((m) => m.messageId);

/**
 * The outbox's promise under trouble: a live worker keeps what it claimed however slow the
 * database or SMTP is, a failed status write is retried as a write, and shutdown finishes the
 * sends in hand. Every case counts what arrived at the SMTP sink by Message-ID.
 */
describe('outbox under a slow database, failing writes and shutdown', () => {
  let sink: SmtpSink;
  const apps: TestApp[] = [];
  const instance = async (opts: {
    uri: string;
    clock: FakeClock;
    outbox: Partial<{ leaseMs: number; batchSize: number; concurrency: number }>;
  }) => {
    const app = await createTestApp({
      mongodbUri: opts.uri,
      clock: opts.clock,
      overrides: { mail: { from: 'School <hello@school.example>', smtpUrl: sink.url }, outbox: opts.outbox },
    });
    apps.push(app);
    return app;
  };

  beforeEach(async () => {
    sink = await new SmtpSink().start();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close({ dropDatabase: false }).catch(() => undefined);
    await sink.stop();
  });

  it('keeps its claims through a slow database and slow SMTP: two instances send each message once', async () => {
    const uri = testDatabaseUri('slow');
    const proxy = new SlowProxy(hostOf(uri), 30);
    const slowUri = `${await proxy.start(uri)}${uri.includes('?') ? '&' : '?'}directConnection=true`;
    try {
      // A claims two batches of 20 at once (the second while it sends the first) and needs about
      // 4 s to send them (200 ms each, two at a time): past its 3 s lease, which only its heartbeat
      // keeps alive. B polls once that lease has run out. Real time, because time is the subject.
      sink.delayMs = 200;
      const clock = new WallClock();
      const outbox = { leaseMs: 3000, batchSize: 20, concurrency: 2 };
      const [a, b] = [await instance({ uri: slowUri, clock, outbox }), await instance({ uri: slowUri, clock, outbox })];
      expect(await a.app.get(OutboxService).enqueue(confirmMessages(40))).toBe(40);

      const started = Date.now();
      const drainA = a.app.get(OutboxWorker).drainAll();
      await waitFor(() => sink.received.length > 0, 'A to be sending');
      await waitFor(() => Date.now() - started > outbox.leaseMs + 500, "A's first lease to run out");
      const rb = await b.app.get(OutboxWorker).drainAll();
      const ra = await drainA;

      expect(ra.sent + rb.sent).toBe(40);
      expect(sink.received).toHaveLength(40);
      expect(new Set(messageIds(sink)).size).toBe(40);
      const counts = await a.app.get(OutboxService).counts({});
      expect(counts.totals).toEqual({ pending: 0, sent: 40, dead: 0, cancelled: 0 });
    } finally {
      await proxy.stop();
    }
  });

  it('retries a failed status write as a write, keeps its lease meanwhile, and never sends twice', async () => {
    const uri = testDatabaseUri('writes');
    const clock = new FakeClock();
    const outbox = { leaseMs: 60_000, batchSize: 20 };
    const a = await instance({ uri, clock, outbox });
    const b = await instance({ uri, clock, outbox });
    await a.app.get(OutboxService).enqueue(confirmMessages(5));

    // Fault injection on instance A: its sent marks fail until the database "comes back".
    const repository = a.app.get(OutboxRepository, { strict: false });
    const markSent = repository.markSent.bind(repository);
    let failing = true;
    let failedWrites = 0;
    repository.markSent = async (...args) => {
      if (failing) {
        failedWrites++;
        throw new Error('injected: the status write failed');
      }
      return markSent(...args);
    };
    const workerA = a.app.get(OutboxWorker);
    const drainA = workerA.drainOnce();
    await waitFor(() => sink.received.length === 5 && failedWrites >= 2, 'A to send all five and fail to record them');

    // Past A's first lease: A renews its heartbeat while it retries, so B must not take over.
    clock.advance(61_000);
    const beats = a.connection.collection<{ _id: string; aliveUntil: Date }>('cf_outbox_workers');
    await waitFor(
      async () => ((await beats.findOne({ _id: workerA.workerId }))?.aliveUntil ?? new Date(0)) > clock.now(),
      "A's heartbeat to be renewed",
    );
    const other: DrainResult = await b.app.get(OutboxWorker).drainAll();
    expect(other).toMatchObject({ sent: 0, failed: 0 });

    failing = false;
    expect(await drainA).toMatchObject({ sent: 5, failed: 0 });
    expect(sink.received).toHaveLength(5);
    expect(new Set(messageIds(sink)).size).toBe(5);
    expect((await a.app.get(OutboxService).counts({})).totals).toMatchObject({ pending: 0, sent: 5 });
    expect(await b.app.get(OutboxWorker).drainAll()).toMatchObject({ sent: 0 });
  });

  it('on shutdown finishes the sends in hand, hands the rest back, and another instance sends those once', async () => {
    const uri = testDatabaseUri('shutdown');
    const clock = new FakeClock();
    const a = await instance({ uri, clock, outbox: { batchSize: 20, concurrency: 2 } });
    const b = await instance({ uri, clock, outbox: { batchSize: 20, concurrency: 2 } });
    await a.app.get(OutboxService).enqueue(confirmMessages(20));

    // A's two lanes are mid-send when shutdown begins; the sink lets them finish only then.
    const release = sink.hold();
    const drainA = a.app.get(OutboxWorker).drainOnce();
    await waitFor(() => sink.held === 2, 'A to be sending two messages');
    const closing = a.close({ dropDatabase: false });
    await waitFor(() => a.app.get(OutboxWorker).shuttingDown, 'A to begin shutting down');
    release();
    await closing;
    apps.splice(apps.indexOf(a), 1);
    // The batch in hand ended cleanly: what was sending finished, the rest was released.
    const inHand = await drainA;
    expect(inHand).toMatchObject({ sent: 2, released: 18 });
    expect(sink.received).toHaveLength(2);

    expect(await b.app.get(OutboxWorker).drainAll()).toMatchObject({ sent: inHand.released });
    expect(sink.received).toHaveLength(20);
    expect(new Set(messageIds(sink)).size).toBe(20);
  });
});

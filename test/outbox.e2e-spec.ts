import { getModelToken } from '@nestjs/mongoose';
import { trusted } from 'mongoose';
import type { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { COURSE_FUNNEL_CONNECTION } from '../src/database/database.constants';
import { sampleMessage } from '../src/messages/message-samples';
import { OutboxChunk, OutboxClaim, OutboxMessage } from '../src/outbox/outbox-message.schema';
import { OutboxTally } from '../src/outbox/outbox-tally.schema';
import { StatusTally } from '../src/outbox/outbox-tally.rules';
import { MessageKind } from '../src/messages/message-kinds';
import { NewOutboxMessage } from '../src/messages/outgoing-message';
import { OutboxRepository } from '../src/outbox/outbox.repository';
import { OutboxService } from '../src/outbox/outbox.service';
import { OutboxWorker } from '../src/outbox/outbox.worker';
import { createTestApp, TestApp } from './support/create-test-app';
import { ConsoleBrowser } from './support/console-browser';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';
import { waitFor } from './support/wait-for';

function confirmMessage(i: number, run = randomBytes(3).toString('hex')): NewOutboxMessage {
  const sample = sampleMessage('confirm', 'en');
  return {
    key: `${run}-${i}:confirm:-`,
    kind: 'confirm',
    locale: 'en',
    to: `student${i}.${run}@example.test`,
    data: { ...sample.data, student: { name: `Student ${i}` } },
    unsubscribeUrl: `http://localhost:3000/u/${run}-${i}`,
    nextAttemptAt: new Date('2026-03-01T00:00:00Z'),
  };
}

const LEASE_MS = 60_000;

describe('outbox: write first, then send once through SMTP', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp({
      // Small batches, so that two instances share a backlog batch by batch.
      overrides: { outbox: { maxAttempts: 3, backoffBaseMs: 30_000, leaseMs: LEASE_MS, batchSize: 20 } },
    }));
  });
  afterAll(() => close());
  beforeEach(() => {
    sink.received.length = 0;
    sink.failing = false;
  });

  const outbox = () => t.app.get(OutboxService);
  const messages = () => t.app.get<Model<OutboxMessage>>(getModelToken(OutboxMessage.name, COURSE_FUNNEL_CONNECTION));
  const worker = () => t.app.get(OutboxWorker);

  // Whatever a case did, the counts staff see are what the messages say, counted one by one.
  afterEach(async () => {
    expect((await outbox().counts({})).totals).toEqual(await storedTotals({}));
  });
  /** What the messages themselves say, counted one by one. */
  const storedTotals = async (filter: { kind?: MessageKind }): Promise<StatusTally> => {
    const totals: StatusTally = { pending: 0, sent: 0, dead: 0, cancelled: 0 };
    for (const m of await messages().find(filter, { status: 1 }).lean()) totals[m.status]++;
    return totals;
  };

  it('writes each message once per idempotency key and delivers it with subject, parts, links and headers', async () => {
    const batch = [0, 1, 2].map((i) => confirmMessage(i, 'keyed'));
    expect(await outbox().enqueue(batch)).toBe(3);
    expect(await outbox().enqueue([...batch, confirmMessage(3, 'keyed')])).toBe(1);

    const result = await worker().drainAll();
    expect(result).toMatchObject({ sent: 4, failed: 0 });
    expect(sink.received).toHaveLength(4);
    const [mail] = sink.to('student0.keyed@example.test');
    expect(mail?.subject).toBe('Please confirm your place in 3 + 4 Parenting Bootcamp · March');
    expect(mail?.html).toContain('Hello Student 0,');
    expect(mail?.html).toContain('https://course.example.com/c?token');
    expect(mail?.text).toContain('https://course.example.com/c?token=sample');
    const header = (name: string) => mail?.headerLines.find((h) => h.key === name)?.line;
    expect(header('list-unsubscribe')).toBe('List-Unsubscribe: <http://localhost:3000/u/keyed-0>');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail?.messageId).toMatch(/^<[0-9a-f]{32}@school\.example>$/);

    // Draining again sends nothing: the messages are marked sent. The same enqueue run again
    // (same keys, so the same tally) adds nothing, and the counts (checked after each case) hold.
    expect((await worker().drainAll()).sent).toBe(0);
    expect(await outbox().enqueue(batch)).toBe(0);
    const sent = await t
      .asStaff(await t.token('instructor'))
      .get('/api/outbox')
      .query({ status: 'sent' })
      .expect(200);
    expect(sent.body.items).toHaveLength(4);
  });

  it('counts messages by status per cohort and kind for staff, and names a bad filter', async () => {
    const staff = t.asStaff(await t.token('instructor'));
    const before = (await staff.get('/api/outbox/counts').expect(200)).body;
    await outbox().enqueue([confirmMessage(0), confirmMessage(1)]);
    const queued = (await staff.get('/api/outbox/counts').query({ kind: 'confirm' }).expect(200)).body;
    expect(queued.totals.pending).toBe(before.totals.pending + 2);
    expect(queued.rows).toEqual([expect.objectContaining({ cohortId: null, kind: 'confirm' })]);
    await worker().drainAll();
    const after = (await staff.get('/api/outbox/counts').expect(200)).body;
    expect(after.totals).toMatchObject({ pending: 0, sent: before.totals.sent + before.totals.pending + 2 });

    const bad = await staff.get('/api/outbox/counts').query({ cohortId: 'nope', kind: 'spam' }).expect(400);
    expect(bad.body.message).toContain('cohortId');
    expect(JSON.stringify(bad.body.details)).toContain('kind');
    await t.http.get('/api/outbox/counts').expect(401);
  });

  it('keeps the counts exact as tallies fold into totals, and a recount repairs a write that crashed', async () => {
    const staff = t.asStaff(await t.token('instructor'));
    const tallies = t.app.get<Model<OutboxTally>>(getModelToken(OutboxTally.name, COURSE_FUNNEL_CONNECTION));
    const counted = async (): Promise<StatusTally> =>
      (await staff.get('/api/outbox/counts').query({ kind: 'confirm' }).expect(200)).body.totals as StatusTally;
    const truth = () => storedTotals({ kind: 'confirm' });

    await outbox().enqueue([0, 1, 2, 3, 4].map((i) => confirmMessage(i)));
    await worker().drainAll();
    expect(await counted()).toEqual(await truth());

    // A lease later the bucket is quiet: it is recounted into a total and its tallies go.
    t.clock.advance(LEASE_MS + 61_000);
    await worker().drainAll();
    expect(await tallies.countDocuments({ kind: 'confirm' })).toBe(0);
    expect(await counted()).toEqual(await truth());

    // Busy: new mail a lease after older tallies; the old ones are added to the total, the new stay.
    await outbox().enqueue([0, 1].map((i) => confirmMessage(i)));
    await worker().drainAll();
    t.clock.advance(LEASE_MS + 61_000);
    await outbox().enqueue([confirmMessage(9)]);
    await worker().drainAll();
    expect(
      await tallies.countDocuments({
        kind: 'confirm',
        at: trusted({ $lte: new Date(t.clock.now().getTime() - LEASE_MS) }),
      }),
    ).toBe(0);
    expect(await tallies.countDocuments({ kind: 'confirm' })).toBeGreaterThan(0);
    expect(await counted()).toEqual(await truth());

    // A worker that died between a tally and its write leaves counts that are wrong...
    await tallies.create({
      _id: 'crashed-write:-:confirm',
      cohortId: null,
      kind: 'confirm',
      at: t.clock.now(),
      pending: -7,
      sent: 7,
      dead: 0,
      cancelled: 0,
    });
    expect((await counted()).sent).toBe((await truth()).sent + 7);
    // ...until no write has touched the bucket for a lease: then its messages are recounted.
    t.clock.advance(LEASE_MS + 61_000);
    await worker().drainAll();
    expect(await counted()).toEqual(await truth());
  });

  it('lets two instances drain one outbox with no duplicate and no loss', async () => {
    const other = await createTestApp({
      mongodbUri: t.options.mongodbUri,
      clock: t.clock,
      overrides: { mail: { from: 'School <hello@school.example>', smtpUrl: sink.url }, outbox: { batchSize: 20 } },
    });
    try {
      const batch = Array.from({ length: 200 }, (_, i) => confirmMessage(i));
      expect(await outbox().enqueue(batch)).toBe(200);
      // Each instance claims while the sink holds the other's sends, so both take part whatever
      // the machine's speed; then the sink lets everything through and they drain the rest.
      const release = sink.hold();
      const claims = t.app.get<Model<OutboxClaim>>(getModelToken(OutboxClaim.name, COURSE_FUNNEL_CONNECTION));
      const claimedBy = (w: OutboxWorker) => claims.countDocuments({ workerId: w.workerId });
      const drainingA = worker().drainAll();
      await waitFor(async () => (await claimedBy(worker())) > 0, 'a claim by the first instance');
      const drainingB = other.app.get(OutboxWorker).drainAll();
      await waitFor(async () => (await claimedBy(other.app.get(OutboxWorker))) > 0, 'a claim by the second');
      release();
      const [a, b] = await Promise.all([drainingA, drainingB]);
      expect(a.sent + b.sent).toBe(200);
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      expect(sink.received).toHaveLength(200);
      expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(200);
    } finally {
      await other.close({ dropDatabase: false });
    }
  });

  it('retries with backoff while SMTP is down, then delivers everything once', async () => {
    await outbox().enqueue(Array.from({ length: 5 }, (_, i) => confirmMessage(i)));
    sink.failing = true;
    expect(await worker().drainOnce()).toMatchObject({ sent: 0, failed: 5 });
    // Not due again until the backoff has passed.
    t.clock.advance(29_000);
    expect(await worker().drainOnce()).toMatchObject({ sent: 0, failed: 0 });
    t.clock.advance(1_000);
    expect(await worker().drainOnce()).toMatchObject({ failed: 5 });
    sink.failing = false;
    t.clock.advance(60_000);
    expect(await worker().drainAll()).toMatchObject({ sent: 5, failed: 0 });
    expect(sink.received).toHaveLength(5);
    expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(5);
  });

  it('sends every chunk of a backlog in one run, however a poll splits them', async () => {
    // Batches of 20 over chunks of 15, 30 and 1: polls span chunks and end mid-chunk.
    await outbox().enqueue(Array.from({ length: 15 }, (_, i) => confirmMessage(i)));
    await outbox().enqueue(Array.from({ length: 30 }, (_, i) => confirmMessage(i)));
    await outbox().enqueue([confirmMessage(0)]);
    expect(await worker().drainAll()).toMatchObject({ sent: 46, failed: 0 });
    expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(46);
  });

  it('polls chunk by chunk: a chunk leaves when its mail is out, waits for its retries, and earlier mail gets chunks', async () => {
    const chunks = t.app.get<Model<OutboxChunk>>(getModelToken(OutboxChunk.name, COURSE_FUNNEL_CONNECTION));
    const chunkOf = async (key: string) => (await messages().findOne({ key }, { chunk: 1 }).lean().exec())?.chunk;
    const inAnHour = new Date(t.clock.now().getTime() + 3_600_000);
    const now = [0, 1, 2].map((i) => confirmMessage(i));
    const later = [3, 4].map((i) => ({ ...confirmMessage(i), nextAttemptAt: inAnHour }));
    await outbox().enqueue(now);
    await outbox().enqueue(later);
    const [nowChunk, laterChunk] = [await chunkOf(now[0].key), await chunkOf(later[0].key)];
    expect(nowChunk).not.toEqual(laterChunk);
    expect(await chunks.findById(laterChunk).lean().exec()).toMatchObject({ dueAt: inAnHour, size: 2 });

    // Sent: its chunk goes at the next poll; the later chunk is not read before its time.
    expect(await worker().drainAll()).toMatchObject({ sent: 3 });
    expect(await chunks.exists({ _id: nowChunk })).toBeNull();
    expect(await chunks.exists({ _id: laterChunk })).not.toBeNull();

    // Failed: the chunk waits for the retry, then leaves once that is sent.
    const failing = [5, 6].map((i) => confirmMessage(i));
    await outbox().enqueue(failing);
    sink.failing = true;
    expect(await worker().drainAll()).toMatchObject({ sent: 0, failed: 2 });
    const failingChunk = await chunkOf(failing[0].key);
    const retryAt = (await messages().findOne({ key: failing[0].key }).lean().exec())!.nextAttemptAt;
    expect(await chunks.findById(failingChunk).lean().exec()).toMatchObject({ dueAt: retryAt });
    sink.failing = false;
    t.clock.advance(30_000);
    expect(await worker().drainAll()).toMatchObject({ sent: 2 });
    expect(await chunks.exists({ _id: failingChunk })).toBeNull();

    // Pending mail written before chunks existed is put in one when an instance starts.
    const earlier = confirmMessage(7);
    await outbox().enqueue([earlier]);
    await messages().updateOne({ key: earlier.key }, { $unset: { chunk: 1 } });
    const other = await createTestApp({
      mongodbUri: t.options.mongodbUri,
      clock: t.clock,
      overrides: { mail: { from: 'School <hello@school.example>', smtpUrl: sink.url } },
    });
    try {
      expect(await chunkOf(earlier.key)).toEqual(expect.stringMatching(/^earlier:/));
      expect(await other.app.get(OutboxWorker).drainAll()).toMatchObject({ sent: 1 });
      expect(sink.to(earlier.to)).toHaveLength(1);
    } finally {
      await other.close({ dropDatabase: false });
    }
  });

  it('dead-letters after the last attempt and sends again when staff retry it, from the console', async () => {
    const instructorToken = await t.token('instructor');
    const staff = t.asStaff(instructorToken);
    const message = confirmMessage(0);
    await outbox().enqueue([message]);
    sink.failing = true;
    for (let i = 0; i < 3; i++) {
      await worker().drainOnce();
      t.clock.advance(3_600_000);
    }
    const dead = await staff.get('/api/outbox').query({ status: 'dead' }).expect(200);
    const letter = dead.body.items.find((m: { key: string }) => m.key === message.key);
    expect(letter).toMatchObject({ attempts: 3, status: 'dead', lastError: expect.stringContaining('421') });

    sink.failing = false;
    // The console shows it with its last error; its button sends it again.
    const browser = new ConsoleBrowser(t);
    await browser.signIn(instructorToken);
    const page = await browser.get('/console/outbox');
    expect(page.text).toContain(message.to);
    expect(page.text).toContain('421');
    const retried = await browser.post(`/console/outbox/${letter.id}/retry`, {
      _csrf: ConsoleBrowser.csrfOf(page.text),
    });
    expect(retried.status).toBe(303);
    expect((await staff.get(`/api/outbox/${letter.id}`).expect(200)).body.status).toBe('pending');
    await worker().drainAll();
    expect(sink.to(message.to)).toHaveLength(1);
    const again = await staff.post(`/api/outbox/${letter.id}/retry`).expect(409);
    expect(again.body.message).toContain('is sent, not dead');
  });

  it('retries a message whose worker stopped mid-send once its lease has expired', async () => {
    const message = confirmMessage(0);
    await outbox().enqueue([message]);
    const stored = await messages().findOne({ key: message.key }).lean().exec();
    const repository = t.app.get(OutboxRepository, { strict: false });
    const record = await repository.findById(String(stored?._id));
    // A worker on another instance claims the attempt, then dies before sending.
    expect(await repository.claim(record!, 'crashed-worker', new Date(t.clock.now().getTime() + 60_000))).toBe(true);

    expect(await worker().drainOnce()).toMatchObject({ sent: 0, skipped: 1 });
    t.clock.advance(61_000);
    expect(await worker().drainAll()).toMatchObject({ sent: 1 });
    expect(sink.to(message.to)).toHaveLength(1);
    const after = await repository.findById(String(stored?._id));
    expect(after).toMatchObject({ status: 'sent', attempts: 2, lastError: expect.stringContaining('lease expired') });
  });
});

/**
 * npm run bench:release [-- --students 20000]
 *
 * Releases one lesson to a cohort of N confirmed students against a real MongoDB-compatible server
 * (MONGODB_URI, else a throwaway embedded one) and an in-process SMTP sink, and prints:
 * - enqueue: the fan-out writing N outbox messages, against a raw driver insertMany of N copies of
 *   an outbox document into a collection with the outbox's indexes (target ratio <= 1.5), and into
 *   one without;
 * - the staff view of the send: outbox status counts per cohort and kind (target < 100 ms);
 * - delivery: the outbox worker sending them, against raw pooled nodemailer sending N pre-rendered
 *   messages to the same sink (target ratio >= 0.7);
 * - peak RSS while the module works (target < 200 MB), under the server's heap budget (the npm
 *   script runs it with --max-old-space-size=192, as `npm run start:prod` and the Docker image do);
 * and, as its last line, the figures as one JSON object.
 * With --enqueue-only it stops after the fan-out (e.g. --students 100000 to check memory stays flat).
 */
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { parseArgs } from 'node:util';

import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { AddressInfo } from 'node:net';
import { CohortsService } from '../src/cohorts/cohorts.service';
import { ALL_ORGANIZATIONS } from '../src/common/tenancy';
import { CourseFunnelModule } from '../src/course-funnel.module';
import { COURSE_FUNNEL_CONNECTION } from '../src/database/database.constants';
import { FunnelsService } from '../src/funnels/funnels.service';
import { MessageRenderer } from '../src/messages/message.renderer';
import type { Locale } from '../src/common/locale';
import type { MessageData } from '../src/messages/message-kinds';
import { OutboxWorker } from '../src/outbox/outbox.worker';
import { FanoutService } from '../src/fanout/fanout.service';
import { OutboxService } from '../src/outbox/outbox.service';
import { benchDatabase, engineName, peakRss, printBenchJson, seedInChild } from './support';

const { values } = parseArgs({
  options: {
    students: { type: 'string', default: '20000' },
    'enqueue-only': { type: 'boolean', default: false },
    /** The outbox worker's batch and concurrency (the module's defaults unless given). */
    batch: { type: 'string' },
    concurrency: { type: 'string', default: '20' },
  },
});
const STUDENTS = Number(values.students);
/** Skips the delivery comparison (for large cohorts, to measure the fan-out and its memory alone). */
const ENQUEUE_ONLY = values['enqueue-only'];
const CONCURRENCY = Number(values.concurrency);
const BATCH = values.batch ? { batchSize: Number(values.batch) } : {};
const POOL = { maxConnections: 5, maxMessages: Infinity };
/** How many distinct pre-rendered mails the raw comparison cycles through. */
const RAW_DISTINCT = 10_000;

async function startSink(): Promise<{ url: string; count: () => number; stop: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?maxConnections=${POOL.maxConnections}`,
    count: () => received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const sink = await startSink();
  const app = await NestFactory.createApplicationContext(
    CourseFunnelModule.forRoot({
      mongodbUri: database.uri,
      appSecret: 'bench-secret-that-is-long-enough-0123456789',
      publicBaseUrl: 'https://course.example.com',
      mail: { from: 'School <hello@school.example>', smtpUrl: sink.url },
      bootstrapAdminToken: false,
      schedulerTickMs: 0,
      outbox: { tickMs: 0, concurrency: CONCURRENCY, ...BATCH },
    }),
    { logger: ['error'] },
  );
  const connection = app.get<Connection>(getConnectionToken(COURSE_FUNNEL_CONNECTION));
  try {
    const funnel = await app.get(FunnelsService).create(
      {
        name: 'Bench funnel',
        defaultLocale: 'en',
        lessons: [
          {
            key: 'v1',
            phase: 'value',
            title: 'Class 1',
            body: 'Hello {{student.name}}, **welcome**.',
            release: { after: 'PT0S' },
          },
          { key: 'c1', phase: 'closing', title: 'Class 2', body: 'Later', release: { after: 'P1D' } },
        ],
        offer: { courseName: 'Course', listPrice: { amount: 19900, currency: 'CNY' }, deadlineAfter: 'P2D' },
      },
      'bench',
    );
    const cohorts = app.get(CohortsService);
    const cohort = await cohorts.create(
      {
        funnelId: funnel.id,
        name: 'Bench cohort',
        // Lesson 1 is due now: the bench measures its fan-out.
        startAt: new Date(Date.now() - 60_000),
        catchUp: true,
        timezone: 'Asia/Shanghai',
        capacity: STUDENTS,
      },
      'bench',
      ALL_ORGANIZATIONS,
    );
    await cohorts.open(cohort.id, true, ALL_ORGANIZATIONS);
    await seedInChild(database.uri, cohort.id, STUDENTS);
    const engine = await engineName(database.uri);
    console.log(`bench: ${STUDENTS} confirmed students seeded; ${engine}, ${database.description}`);

    // 1. Enqueue: the fan-out of lesson 1.
    const baselineMb = Math.round(process.memoryUsage().rss / 1048576);
    const enqueue = await peakRss(() => app.get(FanoutService).releaseDue());
    const outboxDocs = await connection.db!.collection('cf_outbox').find().limit(1).toArray();
    const template = outboxDocs[0];
    /** Raw driver insertMany of N copies of a real outbox document, 1,000 per call. */
    const rawInsert = (collection: string) =>
      peakRss(async () => {
        const scratch = connection.db!.collection(collection);
        for (let from = 0; from < STUDENTS; from += 1000) {
          const size = Math.min(1000, STUDENTS - from);
          await scratch.insertMany(
            Array.from({ length: size }, (_, i) => ({
              ...template,
              _id: new Types.ObjectId(),
              key: `raw-${from + i}`,
            })),
            { ordered: false },
          );
        }
      });
    const raw = await rawInsert('bench_raw_insert');
    // The same into a collection with the outbox's indexes: what the database itself charges for them.
    const indexed = connection.db!.collection('bench_raw_indexed');
    for (const index of await connection.db!.collection('cf_outbox').indexes()) {
      if (index.name !== '_id_') await indexed.createIndex(index.key, { unique: index.unique ?? false });
    }
    const rawIndexed = await rawInsert('bench_raw_indexed');
    const enqueued = enqueue.result.messages;
    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
    const enqueueRatio = enqueue.ms / rawIndexed.ms;
    console.log(`bench: students                 ${STUDENTS}`);
    console.log(
      `bench: enqueue (fan-out)        ${enqueued} messages in ${Math.round(enqueue.ms)} ms (${rate(enqueued, enqueue.ms)} msg/s)`,
    );
    console.log(`bench: raw insertMany           ${STUDENTS} documents in ${Math.round(raw.ms)} ms`);
    console.log(`bench: raw, outbox's indexes    ${STUDENTS} documents in ${Math.round(rawIndexed.ms)} ms`);
    console.log(`bench: enqueue / raw, no index  ${(enqueue.ms / raw.ms).toFixed(2)}`);
    console.log(
      `bench: enqueue / raw, indexed   ${enqueueRatio.toFixed(2)} (target <= 1.5) ${enqueueRatio <= 1.5 ? 'OK' : 'MISSED'}`,
    );
    console.log(
      `bench: peak RSS (fan-out)       ${enqueue.peakMb} MB, ${enqueue.peakMb - baselineMb} MB above the ` +
        `${baselineMb} MB before it (target < 200 MB) ${enqueue.peakMb < 200 ? 'OK' : 'MISSED'}`,
    );
    if (enqueued !== STUDENTS) throw new Error(`expected ${STUDENTS} messages enqueued, got ${enqueued}`);

    // What staff watch during a send: counts per cohort and kind, warm (second call) as a page would be.
    const outbox = app.get(OutboxService);
    await outbox.counts({});
    const counts = await peakRss(() => outbox.counts({ cohortId: cohort.id }));
    const allCounts = await peakRss(() => outbox.counts({}));
    console.log(
      `bench: outbox counts, cohort    ${Math.round(counts.ms)} ms, all cohorts ${Math.round(allCounts.ms)} ms ` +
        `(target < 100 ms) ${Math.max(counts.ms, allCounts.ms) < 100 ? 'OK' : 'MISSED'}`,
    );
    if (counts.result.totals.pending !== STUDENTS)
      throw new Error(`counts say ${counts.result.totals.pending} pending`);
    // ...and the listing staff page through: the second 200-item page of the cohort's pending mail.
    const firstPage = await outbox.list({ status: 'pending', cohortId: cohort.id, limit: 200 });
    const page = await peakRss(() =>
      outbox.list({ status: 'pending', cohortId: cohort.id, limit: 200, after: firstPage.next ?? undefined }),
    );
    console.log(`bench: outbox list, 200 items   ${Math.round(page.ms)} ms (second page of a cohort's pending mail)`);
    const figures = {
      engine,
      students: STUDENTS,
      enqueueMs: Math.round(enqueue.ms),
      enqueueRatio: Number(enqueueRatio.toFixed(2)),
      enqueueRatioNoIndex: Number((enqueue.ms / raw.ms).toFixed(2)),
      countsMs: Math.round(Math.max(counts.ms, allCounts.ms)),
      listPageMs: Math.round(page.ms),
      enqueuePeakRssMb: enqueue.peakMb,
    };
    if (ENQUEUE_ONLY) {
      printBenchJson({ ...figures, peakRssMb: enqueue.peakMb });
      return;
    }

    // 2. Delivery through the outbox worker.
    const deliver = await peakRss(() => app.get(OutboxWorker).drainAll());
    const delivered = sink.count();
    console.log(
      `bench: outbox delivery          ${delivered} messages in ${Math.round(deliver.ms)} ms (${rate(delivered, deliver.ms)} msg/s), ` +
        `peak RSS ${deliver.peakMb} MB`,
    );

    // 3. Raw pooled nodemailer: pre-rendered mails shaped like the outbox's (a real lesson message,
    // each with its own name and links, the same headers), same sink, pool and concurrency: what
    // SMTP alone costs. Distinct strings, because V8 caches regexp work on a string it has seen,
    // and nodemailer does much of that per message: RAW_DISTINCT of them (all N would not fit the
    // heap budget at 100,000), each sent with its own recipient and Message-ID.
    const sample = await connection
      .db!.collection<{ data: { links: Record<string, string> }; locale: Locale; unsubscribeUrl?: string }>('cf_outbox')
      .findOne({ kind: 'lesson' });
    if (!sample) throw new Error('no lesson message in the outbox');
    const renderer = app.get(MessageRenderer);
    const prerendered = Array.from({ length: Math.min(STUDENTS, RAW_DISTINCT) }, (_, i) => {
      const links = Object.fromEntries(Object.entries(sample.data.links).map(([k, url]) => [k, `${url}${i}`]));
      const data = { ...sample.data, student: { name: `Raw student ${i}` }, links };
      return {
        from: 'School <hello@school.example>',
        to: `s${i}@bench.test`,
        messageId: `<raw-${i}@school.example>`,
        ...renderer.render({ kind: 'lesson', data } as MessageData, sample.locale),
        headers: {
          'List-Unsubscribe': `<${links['unsubscribe']}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      };
    });
    const transport = createTransport(`${sink.url}&pool=true`);
    const before = sink.count();
    const rawSend = await peakRss(async () => {
      let next = 0;
      const lane = async () => {
        while (next < STUDENTS) {
          const i = next++;
          const mail = prerendered[i % prerendered.length];
          await transport.sendMail({ ...mail, to: `s${i}@bench.test`, messageId: `<raw-${i}@school.example>` });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    });
    transport.close();
    prerendered.length = 0;
    const rawDelivered = sink.count() - before;

    const deliveryRatio = rate(delivered, deliver.ms) / rate(rawDelivered, rawSend.ms);
    console.log(
      `bench: raw pooled nodemailer    ${rawDelivered} messages in ${Math.round(rawSend.ms)} ms (${rate(rawDelivered, rawSend.ms)} msg/s)`,
    );
    console.log(
      `bench: outbox / raw throughput  ${deliveryRatio.toFixed(2)} (target >= 0.7) ${deliveryRatio >= 0.7 ? 'OK' : 'MISSED'}`,
    );
    console.log(
      `bench: peak RSS (delivery)      ${deliver.peakMb} MB (target < 200 MB) ${deliver.peakMb < 200 ? 'OK' : 'MISSED'}`,
    );
    if (delivered !== STUDENTS) throw new Error(`expected ${STUDENTS} messages delivered, got ${delivered}`);
    printBenchJson({
      ...figures,
      deliveryRatio: Number(deliveryRatio.toFixed(2)),
      deliveryPerSec: rate(delivered, deliver.ms),
      rawPerSec: rate(rawDelivered, rawSend.ms),
      peakRssMb: Math.max(enqueue.peakMb, deliver.peakMb),
    });
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await app.close();
    await sink.stop();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

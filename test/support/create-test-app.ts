import type { Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { ApiTokensService } from '../../src/auth/api-tokens.service';
import { StaffRole } from '../../src/auth/access.decorators';
import { Clock } from '../../src/common/clock';
import { CourseFunnelModule } from '../../src/course-funnel.module';
import { CourseFunnelOptions } from '../../src/config/course-funnel.options';
import { COURSE_FUNNEL_CONNECTION } from '../../src/database/database.constants';
import { configureHttpApp, setupOpenApi } from '../../src/http/http-app.setup';
import { OutboxService } from '../../src/outbox/outbox.service';
import { FakeClock } from './fake-clock';
import { testDatabaseUri } from './test-database';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof supertest>;
  clock: FakeClock;
  options: CourseFunnelOptions;
  /** Issues a staff token through the module API. */
  token(role: StaffRole, name?: string): Promise<string>;
  /** Requests that carry a staff bearer token. */
  asStaff(token: string): StaffClient;
  connection: Connection;
  close(options?: { dropDatabase?: boolean }): Promise<void>;
}

export interface StaffClient {
  get(path: string): supertest.Test;
  post(path: string, body?: object): supertest.Test;
  put(path: string, body: object): supertest.Test;
  delete(path: string): supertest.Test;
}

export interface TestAppOptions {
  /** Reuse another app's database (several instances sharing one database). */
  mongodbUri?: string;
  clock?: FakeClock;
  overrides?: Partial<CourseFunnelOptions>;
  bodyLimit?: string;
  /** Controllers of a host application mounted beside the module. */
  controllers?: Type[];
}

/** Where the outbox's status counts (GET /api/outbox/counts) and a count of its messages disagree. */
async function outboxMiscounts(app: NestExpressApplication, connection: Connection): Promise<string[]> {
  const truth = new Map<string, number>();
  const groups = await connection
    .collection('cf_outbox')
    .aggregate<{ _id: { c?: { toHexString(): string } | null; k: string; s: string }; n: number }>([
      { $group: { _id: { c: '$cohortId', k: '$kind', s: '$status' }, n: { $sum: 1 } } },
    ])
    .toArray();
  for (const g of groups) truth.set(`${g._id.c ? g._id.c.toHexString() : '-'}:${g._id.k}:${g._id.s}`, g.n);
  const counted = new Map<string, number>();
  for (const row of (await app.get(OutboxService).counts({})).rows) {
    for (const status of ['pending', 'sent', 'dead', 'cancelled'] as const) {
      if (row[status] !== 0) counted.set(`${row.cohortId ?? '-'}:${row.kind}:${status}`, row[status]);
    }
  }
  return [...new Set([...truth.keys(), ...counted.keys()])]
    .filter((key) => truth.get(key) !== counted.get(key))
    .map((key) => `${key} counted ${counted.get(key) ?? 0}, stored ${truth.get(key) ?? 0}`);
}

/** Domain events whose handlers failed and were never delivered since: a bug the requests did not show. */
async function undeliveredEvents(connection: Connection): Promise<string[]> {
  const stuck = await connection
    .collection<{ _id: string; state: string; failures?: string[] }>('cf_events')
    .find({ state: { $ne: 'done' }, failures: { $exists: true, $ne: [] } })
    .toArray();
  return stuck.map((e) => `${e._id} (${e.state}): ${(e.failures ?? []).join('; ')}`);
}

/**
 * Boots the real module the way main.ts does (same HTTP set-up, same module), against the real
 * test database, with a fake clock and mail written to a temp dir unless overridden.
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const clock = opts.clock ?? new FakeClock();
  const options: CourseFunnelOptions = {
    mongodbUri: opts.mongodbUri ?? testDatabaseUri(),
    appSecret: TEST_SECRET,
    publicBaseUrl: 'http://localhost:3000',
    mail: { from: 'Course Funnel <no-reply@example.test>', mailDir: await mkdtemp(join(tmpdir(), 'cf-mail-')) },
    publicRateLimitPerMinute: 1000,
    bootstrapAdminToken: false,
    schedulerTickMs: 0,
    ...opts.overrides,
    // Tests drive the outbox and the scheduler by hand, with the fake clock.
    outbox: { tickMs: 0, ...opts.overrides?.outbox },
  };
  const moduleRef = await Test.createTestingModule({
    imports: [CourseFunnelModule.forRoot(options)],
    controllers: opts.controllers ?? [],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: ['error'], rawBody: true });
  configureHttpApp(app, {
    bodyLimit: opts.bodyLimit ?? '100kb',
    trustProxy: false,
    publicBaseUrl: options.publicBaseUrl,
  });
  setupOpenApi(app, 'docs');
  await app.init();
  const connection = app.get<Connection>(getConnectionToken(COURSE_FUNNEL_CONNECTION));
  const tokens = app.get(ApiTokensService);
  const http = supertest(app.getHttpServer());
  return {
    app,
    http,
    clock,
    options,
    connection,
    token: async (role, name = `${role} for tests`) => (await tokens.issue(role, name)).token,
    asStaff: (token) => ({
      get: (path) => http.get(path).auth(token, { type: 'bearer' }),
      post: (path, body = {}) => http.post(path).auth(token, { type: 'bearer' }).send(body),
      put: (path, body) => http.put(path).auth(token, { type: 'bearer' }).send(body),
      delete: (path) => http.delete(path).auth(token, { type: 'bearer' }),
    }),
    close: async ({ dropDatabase = true } = {}) => {
      // Every suite ends by checking the outbox's counts against its messages, whatever it did.
      // ... and that no domain event was left failing.
      const miscounted = dropDatabase ? await outboxMiscounts(app, connection) : [];
      const undelivered = dropDatabase ? await undeliveredEvents(connection) : [];
      if (dropDatabase) await connection.dropDatabase();
      await app.close();
      if (miscounted.length > 0) throw new Error(`outbox counts differ from the messages: ${miscounted.join('; ')}`);
      if (undelivered.length > 0) throw new Error(`domain events left undelivered: ${undelivered.join(' | ')}`);
    },
  };
}

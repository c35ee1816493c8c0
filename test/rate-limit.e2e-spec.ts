import { getModelToken } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../src/database/database.constants';
import { MongoThrottlerStorage } from '../src/rate-limit/mongo-throttler.storage';
import { RateLimitHit } from '../src/rate-limit/rate-limit-hit.schema';
import { createTestApp, TestApp } from './support/create-test-app';

describe('rate limiting on public routes, shared across app instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await createTestApp({ overrides: { publicRateLimitPerMinute: 5 } });
    // A second instance on the same database, with its own process memory.
    b = await createTestApp({
      mongodbUri: a.options.mongodbUri,
      clock: a.clock,
      overrides: { publicRateLimitPerMinute: 5 },
    });
    a.clock.set('2026-03-01T10:00:05Z');
  });
  afterAll(async () => {
    await b.close({ dropDatabase: false });
    await a.close();
  });

  it('counts hits from both instances together and answers 429 past the limit', async () => {
    const statuses: number[] = [];
    for (const app of [a, b, a, b, a]) statuses.push((await app.http.get('/api/me')).status);
    // Student routes without a link answer 401, but still count against the limit.
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    const blocked = await b.http.get('/api/me').expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(blocked.headers['retry-after-public'] ?? blocked.headers['retry-after'])).toBeGreaterThan(0);
    await a.http.get('/api/me').expect(429);
  });

  it('does not limit staff routes', async () => {
    const admin = await a.token('admin');
    for (let i = 0; i < 8; i++) await b.http.get('/api/tokens').auth(admin, { type: 'bearer' }).expect(200);
  });

  it('opens again in the next window', async () => {
    a.clock.advance(60_000);
    await a.http.get('/api/me').expect(401);
  });

  it('admits exactly the limit when many requests race on both instances', async () => {
    a.clock.advance(60_000);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).http.get('/api/me')));
    const counts = results.reduce<Record<number, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ 401: 5, 429: 25 });
  });

  it('moves to another free slot when one keeps losing deadlocks (DocumentDB under a crowd), never a 500', async () => {
    a.clock.advance(60_000);
    // Fault injection on instance A's model: every insert of slot 1 fails as DocumentDB reports a
    // deadlock with a racing insert (code 16908292), however often it is retried.
    const hits = a.app.get<Model<RateLimitHit>>(getModelToken(RateLimitHit.name, COURSE_FUNNEL_CONNECTION));
    const create = hits.create.bind(hits);
    let deadlocks = 0;
    hits.create = ((doc: { slot?: number }) => {
      if (doc.slot === 1) {
        deadlocks++;
        return Promise.reject(
          Object.assign(new mongo.MongoServerError({ message: 'deadlock detected' }), { code: 16908292 }),
        );
      }
      return create(doc);
    }) as typeof hits.create;
    try {
      await a.http.get('/api/me').expect(401);
      expect(deadlocks).toBeGreaterThan(1);
      // This window's hits: the request took a slot other than 1.
      const taken = await a.connection
        .collection('cf_rate_limit_hits')
        .find({ expiresAt: { $gt: a.clock.now() } }, { projection: { slot: 1 } })
        .toArray();
      expect(taken).toHaveLength(1);
      expect(taken[0].slot).not.toBe(1);
    } finally {
      hits.create = create;
    }
  });

  it('purges the hits of ended windows', async () => {
    const hits = a.connection.collection('cf_rate_limit_hits');
    expect(await hits.countDocuments()).toBeGreaterThan(0);
    a.clock.advance(120_000);
    await a.app.get(MongoThrottlerStorage).purgeExpired();
    expect(await hits.countDocuments()).toBe(0);
  });
});

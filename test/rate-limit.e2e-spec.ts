import { MongoThrottlerStorage } from '../src/rate-limit/mongo-throttler.storage';
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

  it('purges the hits of ended windows', async () => {
    const hits = a.connection.collection('cf_rate_limit_hits');
    expect(await hits.countDocuments()).toBeGreaterThan(0);
    a.clock.advance(120_000);
    await a.app.get(MongoThrottlerStorage).purgeExpired();
    expect(await hits.countDocuments()).toBe(0);
  });
});

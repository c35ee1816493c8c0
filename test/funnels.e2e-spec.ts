import { createTestApp, TestApp } from './support/create-test-app';
import { funnelInput } from './factories/funnel.factory';

describe('funnel templates: create, validate, version', () => {
  let t: TestApp;
  let instructor: string;

  beforeAll(async () => {
    t = await createTestApp();
    instructor = await t.token('instructor');
  });
  afterAll(() => t.close());

  const api = () => t.asStaff(instructor);

  it('seeds the default 3 + 4 funnel in zh-CN and en, once', async () => {
    const list = await api().get('/api/funnels').expect(200);
    const seeded = list.body.filter((f: { createdBy: string }) => f.createdBy === 'seed');
    expect(seeded.map((f: { name: string }) => f.name).sort()).toEqual([
      '3 + 4 Parenting Bootcamp',
      '3 + 4 家庭教育训练营',
    ]);
    const zh = await api()
      .get(`/api/funnels/${seeded.find((f: { name: string }) => f.name.includes('家庭')).id}`)
      .expect(200);
    expect(zh.body.current.defaultLocale).toBe('zh-CN');
    expect(zh.body.current.lessons).toHaveLength(7);
    expect(zh.body.current.offer.listPrice).toEqual({ amount: 19900, currency: 'CNY' });

    // A second instance starting on the same database does not seed twice.
    const other = await createTestApp({ mongodbUri: t.options.mongodbUri });
    await other.close({ dropDatabase: false });
    const again = await api().get('/api/funnels').expect(200);
    expect(again.body.filter((f: { createdBy: string }) => f.createdBy === 'seed')).toHaveLength(2);
  });

  it('creates a funnel with version 1 and returns its content', async () => {
    const res = await api().post('/api/funnels', funnelInput()).expect(201);
    expect(res.body).toMatchObject({
      name: 'Test funnel',
      latestVersion: 1,
      current: { version: 1, defaultLocale: 'en' },
    });
    expect(res.body.current.lessons.map((l: { key: string }) => l.key)).toEqual(['v1', 'v2', 'c1', 'c2']);
  });

  it('refuses malformed content with a 400 naming the nested field', async () => {
    const input = funnelInput();
    input.lessons[1].release.after = 'ten minutes';
    const res = await api().post('/api/funnels', input).expect(400);
    expect(res.body.message).toBe(
      'lessons.1.release.after: after must be an ISO-8601 duration such as P2D, PT10M or PT30S',
    );
    const money = await api()
      .post(
        '/api/funnels',
        funnelInput({
          offer: { courseName: 'x', listPrice: { amount: 199.5, currency: 'CNY' }, deadlineAfter: 'P1D' },
        }),
      )
      .expect(400);
    expect(money.body.message).toBe('offer.listPrice.amount: amount must be an integer number');
  });

  it('refuses content that breaks funnel rules with a 400 naming the lesson', async () => {
    const input = funnelInput();
    input.lessons[2].phase = 'value';
    input.lessons[1].phase = 'closing';
    const res = await api().post('/api/funnels', input).expect(400);
    expect(res.body.message).toBe('lessons.2.phase: a value lesson cannot follow a closing lesson');
    expect(res.body.details.code).toBe('invalid_funnel_content');
  });

  it('saves edits as a new version and keeps the old one unchanged', async () => {
    const created = await api().post('/api/funnels', funnelInput()).expect(201);
    const id = created.body.id as string;
    const edited = funnelInput({ name: 'Renamed' });
    edited.lessons[0].title = 'New title';
    const v2 = await api().post(`/api/funnels/${id}/versions`, edited).expect(201);
    expect(v2.body).toMatchObject({ version: 2, name: 'Renamed' });
    const v1 = await api().get(`/api/funnels/${id}/versions/1`).expect(200);
    expect(v1.body.lessons[0].title).toBe('Value 1');
    const current = await api().get(`/api/funnels/${id}`).expect(200);
    expect(current.body).toMatchObject({ name: 'Renamed', latestVersion: 2, current: { version: 2 } });
    await api().get(`/api/funnels/${id}/versions/3`).expect(404);
    await api().get(`/api/funnels/${id}/versions/zero`).expect(400);
  });

  it('numbers concurrent edits without gaps or duplicates', async () => {
    const created = await api().post('/api/funnels', funnelInput()).expect(201);
    const id = created.body.id as string;
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        api().post(`/api/funnels/${id}/versions`, funnelInput({ name: `edit ${i}` })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(results.map((r) => r.body.version as number).sort()).toEqual([2, 3, 4, 5, 6]);
    expect((await api().get(`/api/funnels/${id}`).expect(200)).body.latestVersion).toBe(6);
  });

  it('shows partners none of the platform funnels and lets them create none', async () => {
    const partner = t.asStaff(await t.token('partner'));
    const platformFunnel = (await api().post('/api/funnels', funnelInput()).expect(201)).body.id as string;
    expect((await partner.get('/api/funnels').expect(200)).body).toEqual([]);
    await partner.get(`/api/funnels/${platformFunnel}`).expect(404);
    await partner.post(`/api/funnels/${platformFunnel}/versions`, funnelInput()).expect(404);
    await partner.post('/api/funnels', funnelInput()).expect(403);
  });
});

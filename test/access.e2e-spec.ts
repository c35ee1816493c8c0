import { createTestApp, TestApp } from './support/create-test-app';
import { studentInput } from './factories/student.factory';

describe('access: staff tokens, roles and signed student links', () => {
  let t: TestApp;
  let admin: string;
  let instructor: string;
  let partner: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.token('admin');
    instructor = await t.token('instructor');
    partner = await t.token('partner');
  });
  afterAll(() => t.close());

  describe('staff routes', () => {
    it('refuses a request without a token with 401 and the standard error body', async () => {
      const res = await t.http.get('/api/students').expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: expect.stringContaining('staff API token is required'),
        details: { code: 'unauthorized' },
      });
    });

    it('refuses an unknown token with 401', async () => {
      await t.http
        .get('/api/students')
        .auth('cf_' + 'x'.repeat(43), { type: 'bearer' })
        .expect(401);
    });

    it('lets an instructor call an instructor route', async () => {
      const res = await t.http
        .post('/api/students')
        .auth(instructor, { type: 'bearer' })
        .send(studentInput())
        .expect(201);
      expect(res.body.id).toMatch(/^[0-9a-f]{24}$/);
    });

    it('refuses a partner token on an instructor route with 403, and nothing is stored', async () => {
      const input = studentInput();
      const res = await t.http.post('/api/students').auth(partner, { type: 'bearer' }).send(input).expect(403);
      expect(res.body.message).toContain('Role partner may not call this route');
      const list = await t.http
        .get('/api/students')
        .query({ email: input.email })
        .auth(admin, { type: 'bearer' })
        .expect(200);
      expect(list.body.items).toEqual([]);
    });

    it('lets admin alone manage tokens: create, use, list, revoke', async () => {
      await t.http
        .post('/api/tokens')
        .auth(instructor, { type: 'bearer' })
        .send({ name: 'x', role: 'instructor' })
        .expect(403);

      const created = await t.http
        .post('/api/tokens')
        .auth(admin, { type: 'bearer' })
        .send({ name: 'Ms Li', role: 'instructor' })
        .expect(201);
      const { token, record } = created.body as { token: string; record: { id: string; role: string } };
      expect(token).toMatch(/^cf_[A-Za-z0-9_-]{43}$/);
      expect(record.role).toBe('instructor');
      expect(JSON.stringify(record)).not.toContain(token);

      await t.http.get('/api/students').auth(token, { type: 'bearer' }).expect(200);
      const list = await t.http.get('/api/tokens').auth(admin, { type: 'bearer' }).expect(200);
      expect(list.body.map((r: { id: string }) => r.id)).toContain(record.id);
      expect(JSON.stringify(list.body)).not.toContain(token);

      await t.http.delete(`/api/tokens/${record.id}`).auth(admin, { type: 'bearer' }).expect(200);
      await t.http.get('/api/students').auth(token, { type: 'bearer' }).expect(401);
    });

    it('stores tokens only as digests', async () => {
      const token = await t.token('instructor', 'digest check');
      const docs = await t.connection.collection('cf_api_tokens').find({}).toArray();
      expect(docs.length).toBeGreaterThan(0);
      expect(JSON.stringify(docs)).not.toContain(token);
      expect(docs.every((d) => typeof d['tokenHash'] === 'string' && d['tokenHash'].length === 64)).toBe(true);
    });
  });

  describe('student links', () => {
    async function studentWithLink(): Promise<{ id: string; token: string; url: string; name: string }> {
      const input = studentInput();
      const created = await t.http.post('/api/students').auth(instructor, { type: 'bearer' }).send(input).expect(201);
      const link = await t.http
        .post(`/api/students/${created.body.id}/access-link`)
        .auth(instructor, { type: 'bearer' })
        .expect(200);
      return { id: created.body.id, token: link.body.token, url: link.body.url, name: input.name };
    }

    it('lets a student read and change their profile through a valid link', async () => {
      const s = await studentWithLink();
      expect(s.url).toBe(`http://localhost:3000/api/me?token=${s.token}`);
      const me = await t.http.get('/api/me').query({ token: s.token }).expect(200);
      expect(me.body).toMatchObject({ id: s.id, name: s.name });
      const changed = await t.http
        .patch('/api/me')
        .set('X-Student-Token', s.token)
        .send({ name: 'New Name', timezone: 'Europe/Berlin' })
        .expect(200);
      expect(changed.body).toMatchObject({ name: 'New Name', timezone: 'Europe/Berlin' });
    });

    it('refuses a tampered link with 401 and changes nothing', async () => {
      const s = await studentWithLink();
      const [payload, signature] = s.token.split('.') as [string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 10 ** 6 })).toString('base64url');
      for (const token of [`${forged}.${signature}`, `${payload}.${signature.slice(0, -2)}AA`, 'garbage']) {
        const res = await t.http.patch('/api/me').query({ token }).send({ name: 'Hacked' }).expect(401);
        expect(res.body.message).toBe('This link is not valid');
      }
      const stored = await t.http.get(`/api/students/${s.id}`).auth(instructor, { type: 'bearer' }).expect(200);
      expect(stored.body.name).toBe(s.name);
    });

    it('refuses an expired link with 401 and changes nothing', async () => {
      const s = await studentWithLink();
      t.clock.advance(31 * 24 * 3600 * 1000);
      const res = await t.http.patch('/api/me').query({ token: s.token }).send({ name: 'Too Late' }).expect(401);
      expect(res.body.message).toContain('expired');
      const stored = await t.http.get(`/api/students/${s.id}`).auth(instructor, { type: 'bearer' }).expect(200);
      expect(stored.body.name).toBe(s.name);
    });

    it('does not accept a student link as a staff token, nor a staff token as a student link', async () => {
      const s = await studentWithLink();
      await t.http.get('/api/students').auth(s.token, { type: 'bearer' }).expect(401);
      await t.http.get('/api/me').query({ token: instructor }).expect(401);
    });
  });
});

import { readdir } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { MailTransport } from '../src/mail/mail-transport';
import { createTestApp, TestApp } from './support/create-test-app';

describe('ops surface: health, OpenAPI, dev mailbox, first admin token', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports health with a database ping', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('publishes an OpenAPI document listing the routes, and Swagger UI at /docs', async () => {
    const doc = await t.http.get('/docs/openapi.json').expect(200);
    const paths = Object.keys(doc.body.paths as object);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/health',
        '/api/tokens',
        '/api/tokens/{id}',
        '/api/students',
        '/api/students/{id}',
        '/api/me',
      ]),
    );
    expect(paths.some((p) => p.startsWith('/dev'))).toBe(false);
    expect(doc.body.components.securitySchemes.bearer).toBeDefined();
    const ui = await t.http.get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('writes mail as .eml files and lists them on /dev/mailbox', async () => {
    await t.app.get(MailTransport).send({
      to: 'li.na@example.test',
      subject: '欢迎 Welcome <b>',
      html: '<p>Hello <strong>Li Na</strong></p>',
      text: 'Hello Li Na',
    });
    const files = await readdir(t.options.mail.mailDir as string);
    expect(files).toHaveLength(1);
    const page = await t.http.get('/dev/mailbox').expect(200);
    expect(page.text).toContain('欢迎 Welcome &lt;b&gt;');
    expect(page.text).toContain('li.na@example.test');
    const html = await t.http.get(`/dev/mailbox/${files[0]}/html`).expect(200);
    expect(html.text).toContain('<strong>Li Na</strong>');
    const raw = await t.http.get(`/dev/mailbox/${files[0]}`).expect(200);
    expect(raw.headers['content-type']).toContain('message/rfc822');
  });

  it('shows the mailbox to this machine, or to staff with a token, and to no one else', async () => {
    // Another machine's view: the same server, reached on this machine's network address.
    const app = await createTestApp();
    try {
      await app.app.listen(0, '0.0.0.0');
      const { port } = app.app.getHttpServer().address() as AddressInfo;
      const lan = Object.values(networkInterfaces())
        .flat()
        .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
      if (!lan) throw new Error('this test needs a non-loopback IPv4 interface');
      const url = `http://${lan}:${port}/dev/mailbox`;
      const anonymous = await fetch(url, { headers: { 'X-Forwarded-For': '127.0.0.1' } });
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain('@example.test');
      const staff = await fetch(url, { headers: { authorization: `Bearer ${await app.token('instructor')}` } });
      expect(staff.status).toBe(200);
      // This machine's own browser needs no token.
      expect((await fetch(`http://127.0.0.1:${port}/dev/mailbox`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('refuses mailbox paths outside the mail folder', async () => {
    await t.http.get('/dev/mailbox/..%2F..%2Fetc%2Fpasswd').expect(400);
    await t.http.get('/dev/mailbox/nothing-here.eml/html').expect(404);
  });

  it('issues exactly one first admin token when several instances start at once', async () => {
    const uri = t.options.mongodbUri;
    const instances = await Promise.all(
      [1, 2, 3].map(() => createTestApp({ mongodbUri: uri, overrides: { bootstrapAdminToken: true } })),
    );
    const admins = await t.connection.collection('cf_api_tokens').countDocuments({ role: 'admin' });
    expect(admins).toBe(1);
    await Promise.all(instances.map((i) => i.close({ dropDatabase: false })));
  });
});

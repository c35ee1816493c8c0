import { ConsoleSessionsService } from '../src/auth/console-sessions.service';
import { ApiTokensService } from '../src/auth/api-tokens.service';
import { defaultFunnels } from '../src/funnels/default-funnels';
import { ConsoleBrowser as Browser } from './support/console-browser';
import { createTestApp, StaffClient, TestApp } from './support/create-test-app';

describe('staff console: sign-in, sessions, CSRF, roles and scoping', () => {
  let t: TestApp;
  let instructorToken: string;
  let admin: StaffClient;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-02-01T00:00:00Z');
    instructorToken = await t.token('instructor', 'Ms Li');
    admin = t.asStaff(await t.token('admin'));
  });
  afterAll(() => t.close());

  it('sends a browser without a session to sign-in, and back to the page it asked for', async () => {
    const browser = new Browser(t);
    const res = await browser.get('/console/cohorts?status=open');
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe(`/console/sign-in?next=${encodeURIComponent('/console/cohorts?status=open')}`);
    const page = await browser.get('/console/sign-in');
    const signedIn = await browser.post('/console/sign-in', {
      _csrf: Browser.csrfOf(page.text),
      token: instructorToken,
      next: '/console/cohorts?status=open',
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers['location']).toBe('/console/cohorts?status=open');
    const cookie = [signedIn.headers['set-cookie']].flat().find((c: string) => c.startsWith('cf_console='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie).toMatch(/Max-Age=43200/);
    const list = await browser.get('/console/cohorts?status=open');
    expect(list.status).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.text).toContain('Ms Li');
  });

  it('refuses a wrong token, a forged sign-in form and a return address off the console', async () => {
    const browser = new Browser(t);
    const page = await browser.get('/console/sign-in');
    const wrong = await browser.post('/console/sign-in', { _csrf: Browser.csrfOf(page.text), token: 'cf_nope' });
    expect(wrong.status).toBe(401);
    expect(browser.has('cf_console')).toBe(false);
    const forged = await new Browser(t).post('/console/sign-in', { _csrf: 'x'.repeat(43), token: instructorToken });
    expect(forged.status).toBe(403);
    const offsite = await browser.post('/console/sign-in', {
      _csrf: Browser.csrfOf(page.text),
      token: instructorToken,
      next: '//evil.example/console',
    });
    expect(offsite.headers['location']).toBe('/console');
  });

  it('refuses a form posted without the session CSRF token, and changes nothing', async () => {
    const browser = new Browser(t);
    const csrf = await browser.signIn(instructorToken);
    const form = {
      funnelId: defaultFunnels[1].id,
      name: 'No token cohort',
      startAt: '2026-03-01T20:00',
      timezone: 'Asia/Shanghai',
      capacity: '30',
    };
    const refused = await browser.post('/console/cohorts', form);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('reload the page');
    const wrong = await browser.post('/console/cohorts', { ...form, _csrf: `${csrf.slice(0, -2)}xx` });
    expect(wrong.status).toBe(403);
    const cohorts = (await t.asStaff(instructorToken).get('/api/cohorts').expect(200)).body.items as { name: string }[];
    expect(cohorts.map((c) => c.name)).not.toContain('No token cohort');
    const made = await browser.post('/console/cohorts', { ...form, _csrf: csrf });
    expect(made.status).toBe(303);
  });

  it('ends a session after its time, on sign-out, and when its token is revoked', async () => {
    const browser = new Browser(t);
    const csrf = await browser.signIn(instructorToken);
    const out = await browser.post('/console/sign-out', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect((await browser.get('/console')).status).toBe(303);

    const late = new Browser(t);
    await late.signIn(instructorToken);
    t.clock.advance(13 * 3600 * 1000);
    const expired = await late.get('/console');
    expect(expired.status).toBe(303);
    expect(expired.headers['location']).toMatch(/^\/console\/sign-in/);

    const temp = await t.token('instructor', 'Temp');
    const revoked = new Browser(t);
    await revoked.signIn(temp);
    const tokens = t.app.get(ApiTokensService);
    const record = (await tokens.list()).find((r) => r.name === 'Temp')!;
    await admin.delete(`/api/tokens/${record.id}`).expect((r) => expect([200, 204]).toContain(r.status));
    expect((await revoked.get('/console')).status).toBe(303);
    t.clock.set('2026-02-01T00:00:00Z');
  });

  it('signs in once with a one-time link; a GET of the link does not use it', async () => {
    const tokens = t.app.get(ApiTokensService);
    const record = (await tokens.list()).find((r) => r.name === 'Ms Li')!;
    const { url } = await t.app.get(ConsoleSessionsService).issueSignInLink(record.id);
    const path = new URL(url).pathname + new URL(url).search;
    const browser = new Browser(t);
    const page = await browser.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ms Li');
    expect((await browser.get(path)).status).toBe(200);
    const token = new URL(url).searchParams.get('token')!;
    const used = await browser.post('/console/sign-in/link', { _csrf: Browser.csrfOf(page.text), token });
    expect(used.status).toBe(303);
    expect((await browser.get('/console')).status).toBe(200);
    const again = await new Browser(t).get(path);
    expect(again.status).toBe(404);
  });

  it('shows field errors in place with the values typed, as the API would refuse them', async () => {
    const browser = new Browser(t);
    const csrf = await browser.signIn(instructorToken);
    const res = await browser.post('/console/cohorts', {
      _csrf: csrf,
      funnelId: defaultFunnels[1].id,
      name: 'Typed <b>name</b>',
      startAt: 'tomorrow',
      timezone: 'Mars/Olympus',
      capacity: 'many',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="f-timezone-error"/);
    expect(res.text).toMatch(/id="f-capacity-error"/);
    expect(res.text).toMatch(/id="f-startAt-error"/);
    expect(res.text).toContain('value="Typed &lt;b&gt;name&lt;/b&gt;"');
    expect(res.text).not.toContain('<b>name</b>');
  });

  it('runs a cohort: create, open, import by CSV with a dry run, see the students and the funnel', async () => {
    const browser = new Browser(t);
    const csrf = await browser.signIn(instructorToken);
    const made = await browser.post('/console/cohorts', {
      _csrf: csrf,
      funnelId: defaultFunnels[1].id,
      name: 'March cohort',
      startAt: '2026-03-01T20:00',
      timezone: 'Asia/Shanghai',
      capacity: '30',
      releaseClock: 'cohort',
    });
    const path = made.headers['location'];
    const id = path.split('/').pop()!;
    const cohort = (await t.asStaff(instructorToken).get(`/api/cohorts/${id}`).expect(200)).body;
    expect(cohort.startAt).toBe('2026-03-01T12:00:00.000Z');
    expect((await browser.post(`${path}/open`, { _csrf: csrf })).status).toBe(303);

    const csv =
      'name,email,locale\n王芳,wang.fang@example.test,zh-CN\nBad Row,not-an-email,en\nEmma,emma@example.test,en\nLi Lei,li.lei@example.test,\n';
    const dry = await t.http
      .post(`${path}/import?_csrf=${encodeURIComponent(csrf)}`)
      .set('Cookie', browser.header())
      .set('Accept-Language', 'en')
      .field('csv', csv)
      .field('dryRun', 'on');
    expect(dry.status).toBe(200);
    expect(dry.text).toContain('3 new, 0 already in the cohort, 1 refused.');
    expect(dry.text).toContain('email must be an email');
    expect(
      (await t.asStaff(instructorToken).get(`/api/cohorts/${id}/enrollments`).expect(200)).body.items,
    ).toHaveLength(0);

    const done = await browser.post(`${path}/import`, { _csrf: Browser.csrfOf(dry.text), csv });
    expect(done.text).toContain('3 new');
    const page = await browser.get(`${path}?q=emma`);
    expect(page.text).toContain('emma@example.test');
    expect(page.text).not.toContain('wang.fang@example.test</td>');
    expect(page.text).toMatch(/data-step="enrolled"><td>[^<]+<\/td><td class="num">3</);
    const csvFile = await browser.get(`${path}/enrollments.csv`);
    expect(csvFile.headers['content-type']).toContain('text/csv');
    expect(csvFile.text).toContain('li.lei@example.test');
  });

  it('keeps a partner to its organisation and out of instructor-only pages', async () => {
    const org = await admin.post('/api/partners', { name: 'Chengdu Parents' }).expect(201);
    const partnerToken = (
      await admin.post(`/api/partners/${org.body.id}/tokens`, { name: 'Chengdu staff' }).expect(201)
    ).body.token as string;
    const browser = new Browser(t);
    await browser.signIn(partnerToken);
    const list = await browser.get('/console/cohorts');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('March cohort');
    const theirs = (await t.asStaff(instructorToken).get('/api/cohorts').expect(200)).body.items as { id: string }[];
    expect((await browser.get(`/console/cohorts/${theirs[0].id}`)).status).toBe(404);
    expect((await browser.get('/console/funnels/new')).status).toBe(403);
    expect((await browser.get('/console/outbox')).status).toBe(403);
    expect((await browser.get('/console/partners')).status).toBe(403);
    expect((await browser.get('/console')).text).not.toContain('/console/outbox');
    expect((await browser.get('/console/grading')).text).toContain('Pick one of your cohorts first');
  });
});

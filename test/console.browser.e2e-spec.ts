import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiTokensService } from '../src/auth/api-tokens.service';
import { ConsoleSessionsService } from '../src/auth/console-sessions.service';
import { HomeworkService } from '../src/homework/homework.service';
import { StudentLessons } from '../src/enrollments/student-lessons.service';
import { cny, licenseTerms, partnerOrganization, ZH_TEMPLATE } from './factories/license.factory';
import { seriousViolations } from './support/axe';
import { describeBrowser, serveForBrowser, launchBrowser, screenshotPath } from './support/browser';
import { createTestApp, StaffClient, TestApp } from './support/create-test-app';

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

describeBrowser('the staff console in a real browser (headless Chromium), with axe-core', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let instructorToken: string;
  let admin: StaffClient;
  let adminToken: string;
  /** Every page checked by axe, with what it found (all must be empty). */
  const audited = new Map<string, string[]>();

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-02-01T00:00:00Z');
    origin = await serveForBrowser(t.app);
    instructorToken = await t.token('instructor', 'Ms Li');
    adminToken = await t.token('admin');
    admin = t.asStaff(adminToken);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** A context as a staff member's browser: axe needs its script in pages whose CSP allows only 'self'. */
  const newContext = (locale: 'en' | 'zh-CN'): Promise<BrowserContext> =>
    browser.newContext({ bypassCSP: true, locale, extraHTTPHeaders: { 'Accept-Language': locale } });

  async function signIn(context: BrowserContext, token: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.locator('#f-token').fill(token);
    await page.locator('form[action$="/sign-in"] button[type=submit]').click();
    await page.waitForURL(`${origin}/console`);
    return page;
  }

  /** axe on the page as it is now, then screenshots at 1280 and 390 px. */
  async function check(page: Page, name: string): Promise<void> {
    audited.set(name, await seriousViolations(page));
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: screenshotPath(`console-${name}-${label}`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  /** A GET page in both languages, each checked and photographed. */
  async function checkBothLocales(context: BrowserContext, page: Page, path: string, name: string): Promise<void> {
    for (const locale of ['zh-CN', 'en'] as const) {
      await context.addCookies([{ name: 'cf_console_locale', value: locale, url: origin }]);
      await page.goto(`${origin}${path}`);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      await check(page, `${name}-${locale}`);
    }
  }

  it('takes an instructor from sign-in through a new funnel and cohort, a CSV import and grading to a changed funnel chart', async () => {
    const context = await newContext('en');
    const signInPage = await context.newPage();
    await checkBothLocales(context, signInPage, '/console/sign-in', 'sign-in');
    // The page of a one-time link shows whom it signs in (looking does not use it).
    const me = (await t.app.get(ApiTokensService).list()).find((r) => r.name === 'Ms Li')!;
    const link = new URL((await t.app.get(ConsoleSessionsService).issueSignInLink(me.id)).url);
    await checkBothLocales(context, signInPage, `${link.pathname}${link.search}`, 'sign-in-link');
    expect(await signInPage.locator('main').innerText()).toContain('Ms Li');
    const page = await signIn(context, instructorToken);
    await checkBothLocales(context, page, '/console', 'home');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);

    // A funnel with one lesson, its body previewed live as it is typed (htmx), then saved.
    await checkBothLocales(context, page, '/console/funnels/new', 'funnel-new-empty');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);
    await page.goto(`${origin}/console/funnels/new`);
    await page.locator('[name="name"]').fill('Calm parents, 1 lesson');
    await page.locator('[name="lessons.0.key"]').fill('v1');
    // One lesson will do; it is a closing class, since an offer follows the closing classes.
    await page.locator('[name="lessons.0.phase"]').selectOption('closing');
    await page.locator('[name="lessons.0.title"]').fill('Why children shout');
    await page.locator('[name="lessons.0.body"]').fill('Hello **{{student.name}}**, today: *listening*.');
    await page.locator('#preview-0 strong').waitFor();
    expect(await page.locator('#preview-0').innerText()).toContain('Hello Sample Student');
    await page.locator('summary').first().click();
    await page.locator('[name="lessons.0.homework.prompt"]').fill('Write down one evening without shouting.');
    await page.locator('[name="lessons.0.homework.rubric"]').fill('effort | Effort | 10');
    await page.locator('[name="offer.courseName"]').fill('21-day calm parenting');
    await page.locator('[name="offer.listPrice"]').fill('199.00');
    await page.locator('[name="offer.priceTiers"]').fill('1 | 149.00\n3 | 99.00');
    await check(page, 'funnel-new-en');
    // A mistake first: the error shows at its field, what was typed stays.
    await page.locator('[name="lessons.0.release.after"]').fill('tomorrow');
    await page.getByRole('button', { name: 'Save funnel' }).click();
    await page.locator('#f-lessons\\.0\\.release\\.after-error').waitFor();
    expect(await page.locator('[name="lessons.0.title"]').inputValue()).toBe('Why children shout');
    await check(page, 'funnel-errors-en');
    await page.locator('[name="lessons.0.release.after"]').fill('PT0S');
    await page.getByRole('button', { name: 'Save funnel' }).click();
    await page.waitForURL(/\/console\/funnels\/[a-f0-9]{24}$/);
    const funnelPath = new URL(page.url()).pathname;
    await checkBothLocales(context, page, funnelPath, 'funnel');
    await checkBothLocales(context, page, '/console/funnels', 'funnels');
    // Its welcome mail in its own words: a template that does not compile is refused at its field,
    // a good one is saved and previewed with sample data.
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);
    await page.goto(`${origin}${funnelPath}`);
    await page.getByRole('link', { name: 'Edit message wording' }).click();
    await page.locator('[name="subject"]').fill('Welcome {{#if}}');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('#f-subject-error').waitFor();
    await page.locator('[name="subject"]').fill('Welcome to {{cohort.name}}, calm parent');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText("this funnel's own").waitFor();
    expect(await page.locator('#h-mpreview + p').innerText()).toContain('calm parent');
    await checkBothLocales(context, page, `${funnelPath}/messages?kind=welcome&locale=en`, 'messages');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);

    // A cohort of that funnel, opened.
    await checkBothLocales(context, page, '/console/cohorts/new', 'cohort-new');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);
    await page.goto(`${origin}/console/cohorts/new`);
    await page.locator('[name="funnelId"]').selectOption({ label: 'Calm parents, 1 lesson (v1)' });
    await page.locator('[name="name"]').fill('March cohort');
    await page.locator('[name="startAt"]').fill('2026-02-01T08:30');
    await page.locator('[name="capacity"]').fill('30');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.waitForURL(/\/console\/cohorts\/[a-f0-9]{24}$/);
    const cohortPath = new URL(page.url()).pathname;
    const cohortId = cohortPath.split('/').pop()!;
    await page.getByRole('button', { name: 'Open sign-ups' }).click();
    await page.locator('h1 .status-open').waitFor();

    // CSV import: the dry run refuses the bad row and writes nothing; then the valid three.
    await page
      .locator('#f-csv')
      .fill(
        'name,email,locale\n王芳,wang.fang@example.test,zh-CN\nBad Row,not-an-email,en\nEmma Clark,emma@example.test,en\n李雷,li.lei@example.test,zh-CN',
      );
    await page.getByLabel('These students agreed to join').check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('3 new, 0 already in the cohort, 1 refused.').waitFor();
    expect(await page.locator('tr', { hasText: 'not-an-email' }).innerText()).toContain('email must be an email');
    await check(page, 'cohort-import-en');
    expect(
      (await t.asStaff(instructorToken).get(`/api/cohorts/${cohortId}/enrollments`).expect(200)).body.items,
    ).toEqual([]);
    await page.getByRole('button', { name: 'Import the 3 valid students' }).click();
    await page.getByText('Import done').waitFor();
    // The same dry run in Chinese (it writes nothing): now all three are already in.
    await context.addCookies([{ name: 'cf_console_locale', value: 'zh-CN', url: origin }]);
    await page.goto(`${origin}${cohortPath}`);
    await page.locator('#f-csv').fill('姓名,邮箱\n王芳,wang.fang@example.test\n坏行,不是邮箱');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByText('新增 0 人，已在班级 1 人，拒绝 1 行。').waitFor();
    await check(page, 'cohort-import-zh-CN');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);
    await page.goto(`${origin}${cohortPath}`);
    for (const email of ['wang.fang@example.test', 'emma@example.test', 'li.lei@example.test']) {
      await page.locator('#enrolments td', { hasText: email }).waitFor();
    }
    const handedIn = () => page.locator('tr[data-step="homework_handed_in"] td.num').first().innerText();
    expect(await handedIn()).toBe('0');
    expect(await page.locator('tr[data-step="confirmed"] td.num').first().innerText()).toBe('3');

    // Emma hands homework in after class 1 goes out; the instructor grades it in the console.
    t.clock.set('2026-02-01T01:00:00Z');
    const emma = (
      await t.asStaff(instructorToken).get(`/api/cohorts/${cohortId}/enrollments`).expect(200)
    ).body.items.find((e: { email: string }) => e.email === 'emma@example.test');
    const course = await t.app.get(StudentLessons).courseOf(cohortId, emma.id, { kind: 'all' });
    await t.app.get(HomeworkService).submit(course, 'v1', { text: 'Tuesday: I counted to ten, and we laughed.' });
    await page.goto(`${origin}${cohortPath}`);
    expect(await handedIn()).toBe('1');
    await checkBothLocales(context, page, cohortPath, 'cohort');
    await checkBothLocales(context, page, '/console/cohorts', 'cohorts');
    await checkBothLocales(context, page, `${cohortPath}/cancel`, 'cohort-cancel');
    await checkBothLocales(context, page, '/console/grading', 'grading');
    await checkBothLocales(context, page, '/console/outbox', 'outbox');
    await checkBothLocales(context, page, '/console/licenses', 'licenses');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);
    await page.goto(`${origin}/console/grading`);
    await page.getByRole('link', { name: /Grade.*Emma Clark/ }).click();
    await page.getByText('Tuesday: I counted to ten').waitFor();
    await checkBothLocales(context, page, new URL(page.url()).pathname, 'submission');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);
    await page.reload();
    await page.locator('[name="score.effort"]').fill('9');
    await page.locator('[name="feedback"]').fill('Lovely detail.');
    await page.getByRole('button', { name: 'Save grade' }).click();
    await page.getByText('Graded: 9 / 10').waitFor();
    const submission = (
      await t.asStaff(instructorToken).get(`/api/homework?cohortId=${cohortId}&status=graded`).expect(200)
    ).body;
    expect(submission.items).toHaveLength(1);

    // Cancel asks first; the problem page for a cohort that is not there is a page, not JSON.
    await checkBothLocales(context, page, '/console/cohorts/000000000000000000000000', 'problem');
    expect(await page.locator('h1').innerText()).toBe('Something went wrong');
    await context.close();
    t.clock.set('2026-02-01T00:00:00Z');
  });

  it('shows a partner its own cohorts only', async () => {
    const {
      id: org,
      token: partnerToken,
      staff: partner,
    } = await partnerOrganization(t, admin, 'Shenzhen Family Learning');
    const license = (
      await admin
        .post(
          '/api/licenses',
          licenseTerms(org, 'CN/44/4403', { priceBounds: { floor: cny(0), ceiling: cny(1_000_000) } }),
        )
        .expect(201)
    ).body;
    const clone = (await partner.post(`/api/licenses/${license.id}/clone`).expect(201)).body;
    await partner
      .post('/api/cohorts', {
        funnelId: clone.id,
        name: '深圳二月班',
        startAt: '2026-02-10T20:00:00+08:00',
        timezone: 'Asia/Shanghai',
        capacity: 100,
      })
      .expect(201);
    // The admin's view of partners: the organisation with its licensed territory.
    const adminContext = await newContext('en');
    const adminPage = await signIn(adminContext, adminToken);
    await adminPage.goto(`${origin}/console/partners`);
    await adminPage
      .locator('tr', { hasText: 'Shenzhen Family Learning' })
      .locator('code', { hasText: 'CN/44/4403' })
      .waitFor();
    await checkBothLocales(adminContext, adminPage, '/console/partners', 'partners');
    await adminContext.close();

    const context = await newContext('zh-CN');
    const page = await signIn(context, partnerToken);
    await page.goto(`${origin}/console/cohorts`);
    await page.getByRole('link', { name: '深圳二月班' }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain('March cohort');
    await check(page, 'cohorts-partner-zh-CN');
    // Its license, with its clone; the statement downloads as CSV.
    await page.goto(`${origin}/console/licenses`);
    await page.locator('code', { hasText: 'CN/44/4403' }).waitFor();
    expect(await page.locator('main').innerText()).toContain('已克隆');
    await check(page, 'licenses-partner-zh-CN');
    const statement = await page.request.get(`${origin}/console/licenses/${license.id}/statement.csv`);
    expect(statement.headers()['content-type']).toContain('text/csv');

    // The licensor renames the template: the partner sees one change to pull, chooses, pulls.
    const template = (await admin.get(`/api/funnels/${ZH_TEMPLATE}`).expect(200)).body.current;
    const { funnelId: _f, version: _v, createdBy: _c, createdAt: _t, ...content } = template;
    await admin.post(`/api/funnels/${ZH_TEMPLATE}/versions`, { ...content, name: `${content.name} 2027` }).expect(201);
    await page.goto(`${origin}/console/licenses`);
    await page.getByRole('link', { name: /上游有 1 处更新/ }).click();
    await page.locator('code', { hasText: 'name' }).first().waitFor();
    await check(page, 'upstream-partner-zh-CN');
    await page.getByRole('button', { name: '拉取并保存为新版本' }).click();
    await page.waitForURL(new RegExp(`/console/funnels/${clone.id}$`));
    expect(await page.locator('h1').innerText()).toContain('2027');
    await page.goto(`${origin}/console/licenses`);
    expect(await page.locator('main').innerText()).not.toContain('上游有');
    await context.close();
  });

  it('sends a wrong session to sign-in and refuses a form without its CSRF token', async () => {
    const context = await newContext('en');
    await context.addCookies([{ name: 'cf_console', value: 'not-a-session', url: `${origin}/console` }]);
    const page = await context.newPage();
    await page.goto(`${origin}/console/cohorts`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/console/cohorts');

    await page.locator('#f-token').fill(instructorToken);
    await page.locator('form[action$="/sign-in"] button[type=submit]').click();
    await page.waitForURL(`${origin}/console/cohorts`);
    await page.goto(`${origin}/console/cohorts/new`);
    await page.locator('[name="name"]').fill('Forged');
    await page.evaluate(`document.querySelectorAll('main input[name="_csrf"]').forEach((input) => input.remove())`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create draft' }).click(),
    ]);
    expect(response.status()).toBe(403);
    await page.getByText('reload the page').waitFor();
    await context.close();
  });

  it('finds no serious or critical accessibility violation on any page', () => {
    expect(audited.size).toBeGreaterThanOrEqual(20);
    expect(Object.fromEntries([...audited].filter(([, found]) => found.length > 0))).toEqual({});
  });
});

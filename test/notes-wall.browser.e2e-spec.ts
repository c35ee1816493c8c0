import { existsSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { cohortWithLessonMail } from './factories/homework-cohort';
import { studentInput } from './factories/student.factory';
import { seriousViolations } from './support/axe';
import { describeBrowser, serveForBrowser, launchBrowser, screenshotPath } from './support/browser';
import { TestApp } from './support/create-test-app';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describeBrowser('the notes wall in a real browser (headless Chromium), with axe-core', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp());
    origin = await serveForBrowser(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await close();
  });

  /** A phone's browser; axe's script needs the page's CSP ('self' only) bypassed. */
  const phone = (locale: 'en' | 'zh-CN'): Promise<BrowserContext> =>
    browser.newContext({ bypassCSP: true, locale, viewport: PHONE, extraHTTPHeaders: { 'Accept-Language': locale } });

  /** The lesson mail's link of class 1 (a zh-CN mail puts it right after a full-width colon). */
  const lessonPage = (email: string): string => {
    const mail = sink.to(email).find((m) => m.subject?.startsWith('Class 1'));
    return /\/l\/[0-9a-f]{24}\/v1\?token=[\w.-]+/.exec(String(mail?.text))![0];
  };

  /** axe on the wall as it is, then the wall photographed on a phone and a desktop. */
  async function photograph(page: Page, locale: string): Promise<string[]> {
    const found = await seriousViolations(page);
    for (const [label, size] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(size);
      const shot = screenshotPath(`notes-wall-${locale}-${label}`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
    }
    await page.setViewportSize(PHONE);
    return found;
  }

  it('shares a note at check-in, shows it to a classmate by first name, and drops it once the instructor hides it', async () => {
    t.clock.set('2026-02-20T00:00:00Z');
    const emma = studentInput({ name: 'Emma Clark', locale: 'en' });
    const wang = studentInput({ name: '王芳', locale: 'zh-CN' });
    const li = studentInput({ name: '李雷', locale: 'zh-CN' });
    const { cohortId } = await cohortWithLessonMail(t, sink, [emma, wang, li]);

    // Emma checks in on her phone and ticks "share with my group".
    t.clock.set('2026-03-01T12:05:00Z');
    const emmaContext = await phone('en');
    const emmaPage = await emmaContext.newPage();
    await emmaPage.goto(origin + lessonPage(emma.email));
    await emmaPage.getByLabel('Notes / what I learned (optional)').fill('Behaviour is a <message>.\nI asked first.');
    await emmaPage.getByLabel('Share with my group').check();
    await emmaPage.getByRole('button', { name: 'Check in' }).click();
    await emmaPage.getByTestId('note-shared').waitFor();
    const own = emmaPage.locator('#wall [data-testid=wall-note]');
    expect(await own.count()).toBe(1);
    expect(await own.first().innerText()).toContain('Emma mine');
    expect(await own.locator('.note-text').innerText()).toBe('Behaviour is a <message>.\nI asked first.');

    // 李雷 shares too, a minute later, through the student API.
    t.clock.set('2026-03-01T12:06:00Z');
    const liPage = lessonPage(li.email);
    const liToken = new URL(origin + liPage).searchParams.get('token')!;
    const liEnrollment = /\/l\/([0-9a-f]{24})\//.exec(liPage)![1];
    await t.http
      .post(`/api/me/enrollments/${liEnrollment}/lessons/v1/check-in`)
      .set('X-Student-Token', liToken)
      .send({ notes: '先问孩子需要什么，\n再回应。', share: true })
      .expect(200);

    // 王芳 opens her lesson page: classmates' notes newest first, first name (王同学 style) only.
    const wangContext = await phone('zh-CN');
    const wangPage = await wangContext.newPage();
    await wangPage.goto(origin + lessonPage(wang.email));
    await wangPage.getByRole('heading', { name: '同学笔记' }).waitFor();
    const wall = wangPage.locator('#wall [data-testid=wall-note] .note-by strong');
    expect(await wall.allInnerTexts()).toEqual(['李同学', 'Emma']);
    expect(await wangPage.locator('#wall').innerText()).not.toMatch(/Clark|李雷|@example/);
    await wangPage.getByLabel('分享到班级').waitFor();
    const zhFound = await photograph(wangPage, 'zh-CN');
    await emmaPage.reload();
    const enFound = await photograph(emmaPage, 'en');

    // The instructor hides Emma's note in the console, with a reason.
    const staffContext = await browser.newContext({
      bypassCSP: true,
      locale: 'en',
      viewport: DESKTOP,
      extraHTTPHeaders: { 'Accept-Language': 'en' },
    });
    const consolePage = await staffContext.newPage();
    await consolePage.goto(`${origin}/console`);
    await consolePage.locator('#f-token').fill(await t.token('instructor', 'Ms Li'));
    await consolePage.locator('form[action$="/sign-in"] button[type=submit]').click();
    await consolePage.waitForURL(`${origin}/console`);
    await consolePage.goto(`${origin}/console/cohorts/${cohortId}`);
    await consolePage.getByRole('link', { name: 'Notes wall' }).click();
    await consolePage.getByRole('heading', { name: /^Shared notes/ }).waitFor();
    const emmaRow = consolePage.locator('[data-testid=staff-note]', { hasText: 'Emma Clark' });
    await emmaRow.getByLabel('Reason for hiding (required, staff only)').fill('Quotes a private conversation');
    const consoleFound = await seriousViolations(consolePage);
    await emmaRow.getByRole('button', { name: /^Hide/ }).click();
    await consolePage.locator('[data-testid=hidden-reason]').waitFor();
    expect(await consolePage.locator('[data-testid=hidden-reason]').innerText()).toMatch(
      /Reason: Quotes a private conversation\s+Hidden by Ms Li on 2026-03-01/,
    );
    await consolePage.screenshot({ path: screenshotPath('notes-wall-console-en-desktop'), fullPage: true });
    await consolePage.setViewportSize(PHONE);
    await consolePage.screenshot({ path: screenshotPath('notes-wall-console-en-phone'), fullPage: true });

    // 王芳 reloads: the note is gone; Emma sees that hers is hidden (not why).
    await wangPage.reload();
    expect(await wall.allInnerTexts()).toEqual(['李同学']);
    await emmaPage.reload();
    expect(await emmaPage.getByTestId('note-hidden').innerText()).toBe(
      'Your instructor has hidden this note from the wall.',
    );
    expect(await emmaPage.content()).not.toContain('Quotes a private conversation');
    expect(await emmaPage.locator('#wall [data-testid=wall-note] strong').allInnerTexts()).toEqual(['李同学']);
    await wangPage.screenshot({ path: screenshotPath('notes-wall-zh-CN-phone-after-hide'), fullPage: true });

    expect({ zh: zhFound, en: enFound, console: consoleFound }).toEqual({ zh: [], en: [], console: [] });
    await Promise.all([emmaContext.close(), wangContext.close(), staffContext.close()]);
  });
});

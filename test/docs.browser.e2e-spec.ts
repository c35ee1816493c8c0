import { Browser } from 'playwright-core';
import { describeBrowser, serveForBrowser, launchBrowser, screenshotPath } from './support/browser';
import { createTestApp, TestApp } from './support/create-test-app';

describeBrowser('the API docs page in a real browser (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    t = await createTestApp();
    origin = await serveForBrowser(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('reads as a guide: tags with their purpose, operations with summaries, the two ways to sign in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${origin}/docs`);
    await page.getByText('Instructors: funnel templates').first().waitFor();
    await page.getByText('Create a draft cohort').first().waitFor();
    await page.screenshot({ path: screenshotPath('docs-overview') });

    // An operation opened: its description, and the example body "Try it out" starts from.
    await page.getByText('Sign up for a cohort', { exact: true }).click();
    await page.getByText('double opt-in').first().waitFor();
    expect(await page.getByText('wang.fang@example.com').first().isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('docs-operation'), fullPage: false });

    // Authorize: the staff token (cf_...) and the student link, in query or header.
    await page
      .getByRole('button', { name: /Authorize/ })
      .first()
      .click();
    const dialog = page.locator('.dialog-ux');
    await dialog.getByText('bearer').first().waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('cf_');
    expect(text).toContain('X-Student-Token');
    await page.screenshot({ path: screenshotPath('docs-authorize') });
    await page.close();
  });
});

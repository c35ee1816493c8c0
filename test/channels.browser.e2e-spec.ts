import { Browser, BrowserContext, Page } from 'playwright-core';
import { funnelInput } from './factories/funnel.factory';
import { seriousViolations } from './support/axe';
import { describeBrowser, serveForBrowser, launchBrowser, screenshotPath } from './support/browser';
import { createTestApp, TestApp } from './support/create-test-app';
import { FakeChatReceivers, startFakeChatReceivers } from './support/fake-chat-receivers';

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

describeBrowser("a cohort's group channels in the console (headless Chromium, axe-core)", () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let receivers: FakeChatReceivers;
  let token: string;
  let cohortId: string;

  beforeAll(async () => {
    let clock: () => Date = () => new Date();
    receivers = await startFakeChatReceivers({ now: () => clock() });
    t = await createTestApp({ overrides: { channels: { extraHosts: [receivers.host] } } });
    clock = () => t.clock.now();
    t.clock.set('2027-03-01T08:00:00Z');
    origin = await serveForBrowser(t.app);
    token = await t.token('instructor', 'Ms Li');
    const staff = t.asStaff(token);
    const funnel = await staff.post('/api/funnels', funnelInput({ defaultLocale: 'zh-CN' })).expect(201);
    const cohort = await staff
      .post('/api/cohorts', {
        funnelId: funnel.body.id,
        name: '三月营 · March group',
        startAt: '2027-03-01T12:00:00Z',
        timezone: 'Asia/Shanghai',
        capacity: 200,
      })
      .expect(201);
    cohortId = cohort.body.id as string;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await receivers.close();
  });

  const newContext = (locale: 'en' | 'zh-CN'): Promise<BrowserContext> =>
    browser.newContext({ bypassCSP: true, locale, extraHTTPHeaders: { 'Accept-Language': locale } });

  async function signIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin}/console/sign-in`);
    await page.locator('#f-token').fill(token);
    await page.locator('form[action$="/sign-in"] button[type=submit]').click();
    await page.waitForURL(`${origin}/console`);
    return page;
  }

  async function photograph(page: Page, name: string): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: screenshotPath(`console-channels-${name}-${label}`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  it('adds a WeCom group robot, refuses a URL off the platform at its field, sends a test message and removes it', async () => {
    const context = await newContext('zh-CN');
    const page = await signIn(context);
    await page.goto(`${origin}/console/cohorts/${cohortId}`);
    await page.locator(`a[href$="/cohorts/${cohortId}/channels"]`).click();
    await page.waitForURL(`${origin}/console/cohorts/${cohortId}/channels`);

    // A URL on another host is refused at its field; what was typed stays in the form.
    await page.locator('#f-platform').selectOption('wecom');
    await page.locator('#f-name').fill('三月营 1 群');
    await page.locator('#f-webhookUrl').fill('https://evil.example/cgi-bin/webhook/send?key=abc');
    await page.locator('form[action$="/channels"] button[type=submit]').click();
    await page.locator('#f-webhookUrl-error').waitFor();
    expect(await page.locator('#f-webhookUrl-error').innerText()).toContain('qyapi.weixin.qq.com');
    expect(await page.locator('#f-name').inputValue()).toBe('三月营 1 群');

    const url = receivers.url('wecom', 'march');
    await page.locator('#f-webhookUrl').fill(url);
    await page.locator('form[action$="/channels"] button[type=submit]').click();
    await page.locator('.notice').waitFor();
    const table = await page.locator('#h-own + .table-wrap').innerText();
    expect(table).toContain('三月营 1 群');
    expect(table).toContain('企业微信');
    expect(table).not.toContain(new URL(url).searchParams.get('key')!);

    await page.locator('form[action$="/test"] button').first().click();
    await page.waitForURL(`${origin}/console/cohorts/${cohortId}/channels`);
    expect(await page.locator('#h-own + .table-wrap').innerText()).toContain('已送达');
    const [post] = receivers.received('wecom').filter((r) => r.name === 'march');
    expect(JSON.stringify(post.json)).toContain('三月营 · March group');

    await photograph(page, 'zh-CN');
    await context.addCookies([{ name: 'cf_console_locale', value: 'en', url: origin }]);
    await page.goto(`${origin}/console/cohorts/${cohortId}/channels?platform=feishu&kind=opening#preview`);
    expect(await page.locator('.chat-post').innerText()).toContain('Check-in opens at');
    await photograph(page, 'en');

    await page.locator('form[action$="/remove"] button').first().click();
    await page.waitForURL(`${origin}/console/cohorts/${cohortId}/channels`);
    expect(await page.locator('#h-own').locator('xpath=..').innerText()).toContain('No groups yet.');
    await context.close();
  });
});

import { Browser } from 'playwright-core';
import { openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { describeBrowser, serveForBrowser, launchBrowser, screenshotPath } from './support/browser';
import { StaffClient, TestApp } from './support/create-test-app';
import { createFunnelTestApp, FunnelStudents } from './support/funnel-students';

describeBrowser('sharing and buying in a real browser (headless Chromium)', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let students: FunnelStudents;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ({ t, close, staff, students } = await createFunnelTestApp());
    origin = await serveForBrowser(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await close();
  });

  it('follows a shared link to the sign-up form, signs up, then buys from the offer page', async () => {
    t.clock.set('2026-03-01T00:00:00Z');
    const { cohortId } = await openLadderCohort(staff, '2026-03-02T12:00:00Z');
    const ann = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);
    const { code } = (await students.me(ann).get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`)).body;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });

    // A friend opens Ann's link: the sign-up form of her cohort, with the code carried along.
    await page.goto(`${origin}/r/${code}`);
    await page.getByRole('heading', { name: 'Join Ladder cohort' }).waitFor();
    expect(await page.getByTestId('referral-code').innerText()).toBe(`Referral code: ${code}`);
    await page.getByLabel('Name').fill('Bo');
    await page.getByLabel('Email').fill('bo.friend@example.test');
    await page.screenshot({ path: screenshotPath('4-shared-link-sign-up'), fullPage: true });
    await page.getByRole('button', { name: 'Join for free' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await students.find(cohortId, 'bo.friend@example.test'); // throws when Bo has no enrolment
    expect((await students.me(ann).get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`)).body.referrals).toEqual([
      expect.objectContaining({ status: 'pending' }),
    ]);

    // After the classes Ann opens her offer page and buys at her price.
    t.clock.set('2026-03-03T15:00:00Z');
    const offerPath = `/o/${ann.enrollmentId}`;
    await page.goto(`${origin}${offerPath}?token=${students.token(ann, 'offer', offerPath)}`);
    expect(await page.getByTestId('price').innerText()).toBe('Your price: CN¥199.00');
    expect(await page.getByTestId('referrals').innerText()).toContain('Invite 3 more and your price drops to CN¥99.00');
    await page.screenshot({ path: screenshotPath('5-offer-page'), fullPage: true });
    await page.getByRole('button', { name: 'Join the course now' }).click();
    await page.getByRole('heading', { name: /^Order CF-[0-9A-F]{8}$/ }).waitFor();
    const instructions = await page.locator('main p').first().innerText();
    expect(instructions).toMatch(/^Please transfer CN¥199\.00 quoting CF-[0-9A-F]{8}\./);
    await page.screenshot({ path: screenshotPath('6-order-placed'), fullPage: true });
    const [order] = (await students.me(ann).get('/api/me/orders').expect(200)).body;
    expect(order).toMatchObject({ status: 'pending', price: { amount: 19900, currency: 'CNY' } });
    expect(instructions).toContain(order.reference);
  });
});

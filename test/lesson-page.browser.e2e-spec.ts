import { existsSync } from 'node:fs';
import { Browser } from 'playwright-core';
import { cohortWithLessonMail } from './factories/homework-cohort';
import { describeBrowser, serveForBrowser, launchBrowser, screenshotPath } from './support/browser';
import { TestApp } from './support/create-test-app';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';
import { studentInput } from './factories/student.factory';

describeBrowser('the lesson page in a real browser (headless Chromium)', () => {
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

  it('opens the lesson, checks in with notes, hands in homework, and shows the grade once given', async () => {
    t.clock.set('2026-02-20T00:00:00Z');
    const student = studentInput({ locale: 'en' });
    const { staff, cohortId, lessonLink } = await cohortWithLessonMail(t, sink, [student]);
    t.clock.set('2026-03-01T12:10:00Z');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone

    await page.goto(origin + lessonLink(student.email));
    await page.getByRole('heading', { name: 'Class 1: Noticing' }).waitFor();
    await page.screenshot({ path: screenshotPath('1-lesson-opened'), fullPage: true });
    // The share block is on the page from class 1: the student's own link, price and next rung.
    const shareLink = await page.getByTestId('share-link').innerText();
    expect(shareLink).toMatch(/^http:\/\/localhost:3000\/r\/[A-Z0-9]+$/);
    expect(await page.getByTestId('share-price').innerText()).toMatch(/^Your price: /);
    expect(await page.getByTestId('share-link').isVisible()).toBe(true);

    // The lesson mail as a phone shows it, with the same block.
    const mail = sink.to(student.email).find((m) => m.subject?.startsWith('Class 1'));
    const mailPage = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await mailPage.setContent(typeof mail?.html === 'string' ? mail.html : '', { waitUntil: 'load' });
    expect(await mailPage.locator('#share a').innerText()).toBe(shareLink);
    await mailPage.screenshot({ path: screenshotPath('0-lesson-mail'), fullPage: true });
    await mailPage.close();

    await page.getByLabel('Notes / what I learned (optional)').fill('Behaviour shows a <need>.');
    await page.getByRole('button', { name: 'Check in' }).click();
    await page.getByTestId('checked-in').waitFor();
    expect(await page.getByTestId('checked-in').innerText()).toContain('Checked in · present');
    expect(await page.locator('#attendance .quote').innerText()).toBe('Behaviour shows a <need>.');

    await page.getByLabel('Your homework').fill('At dinner he cried; the need behind it was to be heard first.');
    await page.getByRole('button', { name: 'Hand in homework' }).click();
    await page.getByTestId('submitted').waitFor();
    await page.screenshot({ path: screenshotPath('2-checked-in-and-submitted'), fullPage: true });

    // The instructor grades through the API; the student reloads and sees the grade.
    const queue = await staff.get(`/api/homework?cohortId=${cohortId}`).expect(200);
    await staff
      .put(`/api/homework/${queue.body.items[0].id}/grade`, {
        scores: [
          { key: 'situation', score: 5 },
          { key: 'need', score: 4, feedback: 'Name the feeling too.' },
        ],
        feedback: 'A clear first observation.',
      })
      .expect(200);
    await page.reload();
    expect(await page.getByTestId('grade').innerText()).toBe('Graded · Score 9 / 10 (passed)');
    expect(await page.locator('#homework').innerText()).toContain('Names the need: 4 / 5 — Name the feeling too.');
    expect(await page.getByTestId('progress').innerText()).toBe('1 of 2 classes attended, 1 homework passed');
    const shot = screenshotPath('3-graded');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
  });
});

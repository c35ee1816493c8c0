import { defaultFunnels } from '../src/funnels/default-funnels';
import { OutboxWorker } from '../src/outbox/outbox.worker';
import { OutboxService } from '../src/outbox/outbox.service';
import { TestApp } from './support/create-test-app';
import { linkIn } from './support/mail-links';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';
import { studentInput } from './factories/student.factory';

describe('enrolment mail: confirm, welcome, one-click unsubscribe, cancellation', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: ReturnType<TestApp['asStaff']>;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp());
    t.clock.set('2026-02-20T00:00:00Z');
    staff = t.asStaff(await t.token('instructor'));
  });
  afterAll(() => close());

  const drain = () => t.app.get(OutboxWorker).drainAll();

  async function openCohort(funnel = defaultFunnels[1], overrides: object = {}): Promise<string> {
    const created = await staff
      .post('/api/cohorts', {
        funnelId: funnel.id,
        name: 'Spring cohort',
        startAt: '2026-03-01T00:00:00Z',
        timezone: 'Europe/Berlin',
        capacity: 100,
        ...overrides,
      })
      .expect(201);
    await staff.post(`/api/cohorts/${created.body.id}/open`).expect(200);
    return created.body.id as string;
  }

  it('sends a confirm email; the link page confirms on POST only, then the welcome arrives', async () => {
    const cohortId = await openCohort();
    const me = studentInput({ locale: 'en', timezone: 'America/New_York' });
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(me).expect(202);
    await drain();
    const [confirmMail] = sink.to(me.email);
    expect(confirmMail?.subject).toBe('Please confirm your place in Spring cohort');
    const confirmLink = linkIn(confirmMail?.text, /\/e\/[0-9a-f]{24}\/confirm/);

    // A GET (a mail scanner, or the person) only shows the page.
    const page = await t.http.get(confirmLink).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<form method="post"');
    expect(page.text).toContain('Confirm my place');
    const [pending] = (await staff.get(`/api/cohorts/${cohortId}/enrollments`).expect(200)).body.items;
    expect(pending.status).toBe('pending');

    const done = await t.http.post(confirmLink).type('form').send('').expect(200);
    expect(done.text).toContain('Your place in “Spring cohort” is confirmed');
    // Shown in the student's own zone: 20:00 Berlin is 14:00 in New York.
    expect(done.text).toContain('2026-03-01 14:00 EST: Class 1: The need behind the behaviour');
    const [confirmed] = (await staff.get(`/api/cohorts/${cohortId}/enrollments`).expect(200)).body.items;
    expect(confirmed.status).toBe('confirmed');

    await drain();
    const welcome = sink.to(me.email).find((m) => m.subject?.startsWith('Welcome'));
    expect(welcome?.text).toContain('- 2026-03-07 14:00 EST: Class 7: Your 21-day plan, and Q&A');
    expect(welcome?.html).toContain('Group rules');
    // Confirming again sends no second welcome.
    await t.http.post(confirmLink).expect(200);
    await drain();
    expect(sink.to(me.email).filter((m) => m.subject?.startsWith('Welcome'))).toHaveLength(1);
  });

  it('writes the confirm email in the student locale (zh-CN) and escapes their name', async () => {
    const cohortId = await openCohort(defaultFunnels[0]);
    const me = studentInput({ locale: 'zh-CN', name: '<b>小明</b>' });
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(me).expect(202);
    await drain();
    const [mail] = sink.to(me.email);
    expect(mail?.subject).toBe('请确认报名：Spring cohort');
    expect(mail?.html).toContain('&lt;b&gt;小明&lt;/b&gt;');
    expect(mail?.html).not.toContain('<b>小明</b>');
  });

  it('refuses a tampered link with an HTML page and changes nothing', async () => {
    const res = await t.http.post('/e/665f1c2e9b1e8a0012345678/confirm?token=forged.token').expect(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('This link is not valid');
  });

  it('stops all further mail at once on a one-click unsubscribe POST; a GET changes nothing', async () => {
    const cohortId = await openCohort();
    const me = studentInput({ locale: 'en' });
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(me).expect(202);
    await drain();
    const [confirmMail] = sink.to(me.email);
    const unsubscribeHeader = confirmMail?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribe = new URL(/<([^>]+)>/.exec(unsubscribeHeader)?.[1] ?? '');
    const path = unsubscribe.pathname + unsubscribe.search;
    expect(linkIn(confirmMail?.text, /\/u\?token=/)).toBe(path);

    await t.http.post(linkIn(confirmMail?.text, /\/e\/[0-9a-f]{24}\/confirm/)).expect(200);
    const page = await t.http.get(path).expect(200);
    expect(page.text).toContain('<form method="post"');
    // The welcome is queued but not sent yet when the one-click POST arrives.
    await t.http.post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const [enrollment] = (await staff.get(`/api/cohorts/${cohortId}/enrollments`).expect(200)).body.items;
    expect(enrollment.status).toBe('unsubscribed');

    // Mail enqueued afterwards is refused at send time too.
    const studentId = enrollment.studentId as string;
    await t.app.get(OutboxService).enqueue([
      {
        key: `${enrollment.id}:cancelled:-`,
        kind: 'cancelled',
        locale: 'en',
        to: me.email,
        data: { student: { name: me.name }, cohort: { name: 'Spring cohort' }, links: { unsubscribe: 'x' } },
        studentId,
        nextAttemptAt: new Date(0),
      },
    ]);
    const before = sink.to(me.email).length;
    const result = await drain();
    expect(result.cancelled).toBeGreaterThanOrEqual(1);
    expect(sink.to(me.email)).toHaveLength(before);
    const cancelled = await staff.get('/api/outbox').query({ status: 'cancelled', limit: 200 }).expect(200);
    expect(
      cancelled.body.items
        .filter((m: { to: string }) => m.to === me.email)
        .map((m: { kind: string }) => m.kind)
        .sort(),
    ).toEqual(['cancelled', 'welcome']);
  });

  it('stops a cancelled cohort’s mail that was queued but not sent', async () => {
    const cohortId = await openCohort();
    const students = [studentInput(), studentInput()];
    for (const s of students) await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(s).expect(202);
    await staff.post(`/api/cohorts/${cohortId}/cancel`).expect(200);
    const result = await drain();
    expect(result.sent).toBe(0);
    for (const s of students) expect(sink.to(s.email)).toHaveLength(0);
    const queued = await staff.get('/api/outbox').query({ cohortId }).expect(200);
    expect(queued.body.items.map((m: { status: string }) => m.status)).toEqual(['cancelled', 'cancelled']);
  });
});

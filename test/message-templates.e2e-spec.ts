import { MESSAGE_KINDS } from '../src/messages/message-kinds';
import { SUPPORTED_LOCALES } from '../src/common/locale';
import { OutboxWorker } from '../src/outbox/outbox.worker';
import { TestApp } from './support/create-test-app';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';
import { funnelInput } from './factories/funnel.factory';
import { studentInput } from './factories/student.factory';

describe('message templates per funnel: read, override (validated), preview, reset', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: ReturnType<TestApp['asStaff']>;
  let funnelId: string;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp());
    t.clock.set('2026-02-20T00:00:00Z');
    staff = t.asStaff(await t.token('instructor'));
    funnelId = (await staff.post('/api/funnels', funnelInput()).expect(201)).body.id as string;
  });
  afterAll(() => close());

  const path = (kind: string, locale: string) => `/api/funnels/${funnelId}/messages/${kind}/${locale}`;

  it('shows the built-in template while there is no override', async () => {
    const res = await staff.get(path('confirm', 'en')).expect(200);
    expect(res.body).toMatchObject({ kind: 'confirm', locale: 'en', source: 'default' });
    expect(res.body.subject).toBe('Please confirm your place in {{cohort.name}}');
  });

  it('previews every kind in every locale with sample data', async () => {
    for (const kind of MESSAGE_KINDS) {
      for (const locale of SUPPORTED_LOCALES) {
        const res = await staff.get(`${path(kind, locale)}/preview`).expect(200);
        expect(res.body.subject.length).toBeGreaterThan(3);
        expect(res.body.html).toContain(locale === 'en' ? 'Wang Fang' : '王芳');
        expect(res.body.text.length).toBeGreaterThan(20);
      }
    }
  });

  it('refuses a template that does not compile, naming the part and line', async () => {
    const broken = await staff
      .put(path('confirm', 'en'), { subject: 'Hi', html: '<p>Hello</p>\n{{#if student.name}}unclosed', text: 'Hello' })
      .expect(400);
    expect(broken.body.message).toMatch(/^html: Parse error on line 2/);
    expect(broken.body.details.code).toBe('invalid_template');
  });

  it('refuses a variable the kind does not have, naming line and column', async () => {
    const res = await staff
      .put(path('confirm', 'en'), { subject: 'Hi {{student.nickname}}', html: '<p>x</p>', text: 'x' })
      .expect(400);
    expect(res.body.message).toBe('subject: "nickname" not defined in [object Object] (line 1, column 5)');
  });

  it('applies a saved override to previews and to real mail, then resets to the default', async () => {
    const saved = await staff
      .put(path('confirm', 'en'), {
        subject: 'Hi {{student.name}}, one click to join {{cohort.name}}',
        html: '<p>Dear {{student.name}}, <a href="{{links.confirm}}">join</a></p>',
        text: 'Dear {{student.name}}, join: {{links.confirm}}',
      })
      .expect(200);
    expect(saved.body.source).toBe('override');
    const preview = await staff.get(`${path('confirm', 'en')}/preview`).expect(200);
    expect(preview.body.subject).toBe('Hi Wang Fang, one click to join 3 + 4 Parenting Bootcamp · March');

    const cohort = await staff
      .post('/api/cohorts', {
        funnelId,
        name: 'Override cohort',
        startAt: '2026-03-01T00:00:00Z',
        timezone: 'UTC',
        capacity: 5,
      })
      .expect(201);
    await staff.post(`/api/cohorts/${cohort.body.id}/open`).expect(200);
    const me = studentInput({ locale: 'en', name: 'Ada' });
    await t.http.post(`/api/cohorts/${cohort.body.id}/enrollments`).send(me).expect(202);
    await t.app.get(OutboxWorker).drainAll();
    const [mail] = sink.to(me.email);
    expect(mail?.subject).toBe('Hi Ada, one click to join Override cohort');
    expect(mail?.text).toContain('Dear Ada, join: http://localhost:3000/e/');
    // The zh-CN template of the same funnel is untouched.
    expect((await staff.get(path('confirm', 'zh-CN')).expect(200)).body.source).toBe('default');

    const reset = await staff.delete(path('confirm', 'en')).expect(200);
    expect(reset.body.source).toBe('default');
  });

  it('validates the kind and locale, and shows partners nothing of a platform funnel', async () => {
    expect((await staff.get(path('newsletter', 'en')).expect(400)).body.message).toMatch(/^kind: /);
    expect((await staff.get(path('confirm', 'fr')).expect(400)).body.message).toMatch(/^locale: /);
    await staff.get(`/api/funnels/665f1c2e9b1e8a0012345678/messages/confirm/en`).expect(404);
    const partner = await t.token('partner');
    await t.http.get(path('confirm', 'en')).auth(partner, { type: 'bearer' }).expect(404);
  });
});

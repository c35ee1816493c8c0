import { getModelToken } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { COURSE_FUNNEL_CONNECTION } from '../src/database/database.constants';
import { FunnelVersion } from '../src/funnels/funnel.schema';
import { TestApp } from './support/create-test-app';
import { createMailTestApp, releaseAndSend, SmtpSink } from './support/smtp-sink';
import { linkIn } from './support/mail-links';
import { cohortWithLessonMail } from './factories/homework-cohort';
import { funnelInput } from './factories/funnel.factory';
import { studentInput } from './factories/student.factory';

/**
 * The attacker's view of what reaches a student's screen: what a student types stays text in mail
 * and pages, templates cannot be made to skip escaping, and content that can never render is
 * refused when saved (or, saved before, dead-lettered at once). Other areas keep their own cases:
 * operator injection and deep JSON in hardening, tampered webhooks and double checkout in orders,
 * mailbox exposure in ops.
 */
describe('security: student text stays text, templates stay safe', () => {
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

  const HOSTILE_NAME = '[click me](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**';

  /** No markup made from the name: no link, no image, no emphasis, and the name shown as typed. */
  function expectNameAsText(html: string): void {
    expect(html).not.toMatch(/href="javascript|<img|<strong>bold/i);
    expect(html).toContain('[click me](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt; **bold**');
  }

  it('keeps a hostile name text in the lesson mail and on the lesson page', async () => {
    const person = studentInput({ locale: 'en', name: HOSTILE_NAME });
    const { lessonLink } = await cohortWithLessonMail(t, sink, [person]);
    const mail = sink.to(person.email).find((m) => m.subject?.startsWith('Class 1'));
    expectNameAsText(String(mail?.html));
    expect(mail?.text).toContain(`Hello ${HOSTILE_NAME}, watch one moment closely`);

    const page = await t.http.get(lessonLink(person.email)).expect(200);
    expectNameAsText(page.text);
  });

  it('refuses a lesson body that cannot render, with 400 naming lessons.N.body and the line, storing nothing', async () => {
    const before = (await staff.get('/api/funnels').expect(200)).body.length as number;
    const cases: [string, RegExp][] = [
      ['Hello\n\n{{#if student.name}}\nnever closed', /^lessons\.1\.body: Parse error on line 4/],
      ['Hello\n{{student.nmae}}', /^lessons\.1\.body: "nmae" not defined .*\(line 2, column 2\)/],
      ['Hi\n{{{student.name}}}', /^lessons\.1\.body: line 2: \{\{\{student\.name\}\}\} would skip escaping/],
    ];
    for (const [body, message] of cases) {
      const input = funnelInput();
      input.lessons[1].body = body;
      const res = await staff.post('/api/funnels', input).expect(400);
      expect(res.body.message).toMatch(message);
      expect(res.body.details.code).toBe('invalid_funnel_content');
    }
    expect((await staff.get('/api/funnels').expect(200)).body).toHaveLength(before);

    // A new version is checked the same way, and the current one stays.
    const funnel = await staff.post('/api/funnels', funnelInput()).expect(201);
    const edit = funnelInput();
    edit.lessons[0].body = '{{& student.name}}';
    await staff.post(`/api/funnels/${funnel.body.id}/versions`, edit).expect(400);
    expect((await staff.get(`/api/funnels/${funnel.body.id}`).expect(200)).body.latestVersion).toBe(1);
  });

  it('refuses {{{ }}} on student values in a message override, naming the part and line', async () => {
    const funnel = await staff.post('/api/funnels', funnelInput()).expect(201);
    const path = `/api/funnels/${funnel.body.id}/messages`;
    const refused = await staff
      .put(`${path}/confirm/en`, {
        subject: 'Hi',
        html: '<p>Hi</p>\n<p>{{{student.name}}}</p>',
        text: 'Hi {{student.name}}',
      })
      .expect(400);
    expect(refused.body.message).toBe(
      'html: line 2: {{{student.name}}} would skip escaping a value a student may have typed; use {{student.name}}',
    );
    const viaHelper = await staff
      .put(`${path}/confirm/en`, { subject: "{{{lookup student 'name'}}}", html: '<p>x</p>', text: 'x' })
      .expect(400);
    expect(viaHelper.body.message).toMatch(/^subject: line 1: \{\{\{lookup\}\}\}/);
    // The lesson body the application rendered (and sanitised) itself may be written as it is.
    await staff
      .put(`${path}/lesson/en`, {
        subject: '{{lesson.title}}',
        html: '<h1>{{lesson.title}}</h1>{{{lesson.bodyHtml}}}',
        text: '{{{lesson.bodyText}}}',
      })
      .expect(200);
  });

  it("sanitises an override's HTML: a link built from a student's value cannot be javascript:", async () => {
    const funnel = await staff.post('/api/funnels', funnelInput()).expect(201);
    await staff
      .put(`/api/funnels/${funnel.body.id}/messages/confirm/en`, {
        subject: 'Confirm',
        html: '<p><a href="{{student.name}}">you</a> <a href="{{links.confirm}}">confirm</a></p>',
        text: 'Confirm: {{links.confirm}}',
      })
      .expect(200);
    t.clock.set('2026-04-01T00:00:00Z');
    const cohort = await openCohort(funnel.body.id as string, '2026-04-10T00:00:00Z');
    const me = studentInput({ locale: 'en', name: 'javascript:alert(document.cookie)' });
    await t.http.post(`/api/cohorts/${cohort}/enrollments`).send(me).expect(202);
    await releaseAndSend(t);
    const [mail] = sink.to(me.email);
    expect(mail?.html).not.toContain('javascript:');
    expect(mail?.html).toMatch(/<a href="http:\/\/localhost:3000\/e\/[0-9a-f]{24}\/confirm\?token=[^"]+">confirm<\/a>/);
  });

  it('dead-letters at once, with the reason, a lesson that can never render (saved before bodies were checked)', async () => {
    const funnel = await staff.post('/api/funnels', funnelInput()).expect(201);
    const versions = t.app.get<Model<FunnelVersion>>(getModelToken(FunnelVersion.name, COURSE_FUNNEL_CONNECTION));
    await versions.updateOne(
      { funnelId: new Types.ObjectId(funnel.body.id as string), version: 1 },
      { $set: { 'lessons.0.body': 'Hello\n{{#each student}}unclosed' } },
    );
    t.clock.set('2026-05-10T00:00:00Z');
    const cohort = await openCohort(funnel.body.id as string, '2026-05-10T01:00:00Z');
    const me = studentInput({ locale: 'en', name: 'Ada' });
    await t.http.post(`/api/cohorts/${cohort}/enrollments`).send(me).expect(202);
    await releaseAndSend(t);
    const confirm = sink.to(me.email).find((m) => m.subject?.startsWith('Please confirm'));
    await t.http.post(linkIn(confirm?.text, /\/e\/[0-9a-f]{24}\/confirm/)).expect(200);
    t.clock.set('2026-05-10T01:00:00Z');
    await releaseAndSend(t);

    const dead = await staff.get('/api/outbox').query({ status: 'dead', cohortId: cohort }).expect(200);
    expect(dead.body.items).toEqual([
      expect.objectContaining({
        kind: 'lesson',
        status: 'dead',
        attempts: 1,
        lastError: expect.stringMatching(/^cannot render: Parse error on line 2/),
      }),
    ]);
    expect(sink.to(me.email).filter((m) => m.subject === 'Value 1')).toHaveLength(0);
  });

  async function openCohort(funnelId: string, startAt: string): Promise<string> {
    const created = await staff
      .post('/api/cohorts', { funnelId, name: 'Security cohort', startAt, timezone: 'UTC', capacity: 10 })
      .expect(201);
    await staff.post(`/api/cohorts/${created.body.id}/open`).expect(200);
    return created.body.id as string;
  }
});

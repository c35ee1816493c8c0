import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { defaultFunnels } from '../src/funnels/default-funnels';
import { studentInput } from './factories/student.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { createFunnelTestApp, FunnelStudents } from './support/funnel-students';
import { linkIn } from './support/mail-links';
import { releaseAndSend, SmtpSink } from './support/smtp-sink';

/** The events of an .ics as a real parser (Mozilla's ical.js) reads them: UID -> start (UTC ISO). */
function eventsOf(ics: string): Map<string, string> {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return new Map(
    calendar
      .getAllSubcomponents('vevent')
      .map((c) => new ICAL.Event(c))
      .map((e) => [e.uid, e.startDate.toJSDate().toISOString()]),
  );
}

function icsAttachment(mail: ParsedMail | undefined): string {
  const file = mail?.attachments.find((a) => a.filename === 'schedule.ics');
  if (!file) throw new Error(`no schedule.ics on "${mail?.subject}"`);
  expect(file.contentType).toBe('text/calendar');
  return file.content.toString('utf8');
}

describe('the student’s calendar: an .ics with the welcome, a signed feed, and a notice when times move', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let students: FunnelStudents;

  beforeAll(async () => {
    ({ t, sink, close, staff, students } = await createFunnelTestApp());
    t.clock.set('2026-02-20T00:00:00Z');
  });
  afterAll(() => close());

  it('attaches the times in the student’s clock, serves them as a feed, and moves both on reschedule', async () => {
    const cohort = await staff
      .post('/api/cohorts', {
        funnelId: defaultFunnels[1].id,
        name: 'Spring cohort',
        startAt: '2026-03-01T00:00:00+01:00',
        timezone: 'Europe/Berlin',
        releaseClock: 'student',
        capacity: 100,
      })
      .expect(201);
    const cohortId = cohort.body.id as string;
    await staff.post(`/api/cohorts/${cohortId}/open`).expect(200);
    const me = studentInput({ locale: 'en', timezone: 'Asia/Shanghai' });
    const joined = await students.join(cohortId, me);
    await students.confirm(joined);
    await releaseAndSend(t);

    // The welcome's .ics: 7 classes at 20:00 in Shanghai (12:00 UTC), each with a stable UID.
    const welcome = sink.to(me.email).find((m) => m.subject?.startsWith('Welcome'));
    const attached = eventsOf(icsAttachment(welcome));
    expect(attached.size).toBe(7);
    expect(attached.get(`${joined.enrollmentId}-v1@course-funnel`)).toBe('2026-03-01T12:00:00.000Z');
    expect(attached.get(`${joined.enrollmentId}-c4@course-funnel`)).toBe('2026-03-07T12:00:00.000Z');

    // The feed link in the welcome answers the same times as text/calendar.
    const feedLink = linkIn(welcome?.text, /\/cal\/[0-9a-f]{24}\/schedule\.ics/);
    const feed = await t.http.get(feedLink).expect(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(eventsOf(feed.text)).toEqual(attached);

    // Moved a week later: one "new times" mail with the new times and the .ics again; the feed follows.
    t.clock.set('2026-02-21T09:00:00Z');
    await staff.post(`/api/cohorts/${cohortId}/reschedule`, { startAt: '2026-03-08T00:00:00+01:00' }).expect(200);
    await releaseAndSend(t);
    await releaseAndSend(t);
    const notices = sink.to(me.email).filter((m) => m.subject === 'New times for Spring cohort');
    expect(notices).toHaveLength(1);
    expect(notices[0].text).toContain('- 2026-03-08 20:00 GMT+8: Class 1: The need behind the behaviour');
    const moved = eventsOf(icsAttachment(notices[0]));
    expect(moved.get(`${joined.enrollmentId}-v1@course-funnel`)).toBe('2026-03-08T12:00:00.000Z');
    expect([...moved.keys()]).toEqual([...attached.keys()]);
    expect(eventsOf((await t.http.get(feedLink).expect(200)).text)).toEqual(moved);

    // Moving to the same start again tells nobody anything.
    await staff.post(`/api/cohorts/${cohortId}/reschedule`, { startAt: '2026-03-08T00:00:00+01:00' }).expect(200);
    await releaseAndSend(t);
    expect(sink.to(me.email).filter((m) => m.subject === 'New times for Spring cohort')).toHaveLength(1);

    t.clock.set('2026-02-22T09:00:00Z');
    // Someone confirming after the move gets the new times in the welcome, and no notice.
    const late = studentInput({ locale: 'zh-CN', timezone: 'Asia/Shanghai' });
    const lateJoined = await students.join(cohortId, late);
    await students.confirm(lateJoined);
    await releaseAndSend(t);
    const lateWelcome = sink.to(late.email).find((m) => m.subject?.startsWith('欢迎加入'));
    expect(lateWelcome?.text).toContain('订阅课程日历（班级调整时间时自动更新）：http');
    expect(eventsOf(icsAttachment(lateWelcome)).get(`${lateJoined.enrollmentId}-v1@course-funnel`)).toBe(
      '2026-03-08T12:00:00.000Z',
    );
    expect(sink.to(late.email).some((m) => m.subject?.includes('上课时间调整'))).toBe(false);

    // The feed opens only with its own signed link: not a tampered one, not a lesson link.
    const [path] = feedLink.split('?');
    await t.http.get(`${path}?token=${'x'.repeat(40)}.${'y'.repeat(43)}`).expect(401);
    const lessonToken = students.token(joined, 'lesson');
    await t.http.get(`${path}?token=${lessonToken}`).expect(403);
    // ...and once the cohort is cancelled it empties, so a subscribed calendar drops the classes.
    await staff.post(`/api/cohorts/${cohortId}/cancel`).expect(200);
    expect(eventsOf((await t.http.get(feedLink).expect(200)).text).size).toBe(0);
  });
});

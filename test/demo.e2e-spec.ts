import { DEMO_FUNNEL_ID, demoBlock, demoStudents, seedDemo } from '../src/standalone/demo-seed';
import { TestApp } from './support/create-test-app';
import { createMailTestApp, releaseAndSend, SmtpSink } from './support/smtp-sink';

describe('npm run demo: a funnel in minutes, a cohort two minutes out, three confirmed students', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp());
    t.clock.set('2026-05-04T09:00:20Z');
  });
  afterAll(() => close());

  it('seeds once, welcomes each student in their language, and delivers class 1 two minutes later', async () => {
    const first = await seedDemo(t.app);
    expect(first.created).toBe(true);
    expect(first.cohort.funnelId).toBe(DEMO_FUNNEL_ID);
    expect(first.cohort.status).toBe('open');
    // The next whole minute two minutes on, then a class every three minutes.
    expect(first.cohort.lessons.map((l) => l.releaseAt.toISOString())).toEqual([
      '2026-05-04T09:03:00.000Z',
      '2026-05-04T09:06:00.000Z',
      '2026-05-04T09:09:00.000Z',
      '2026-05-04T09:12:00.000Z',
      '2026-05-04T09:15:00.000Z',
      '2026-05-04T09:18:00.000Z',
      '2026-05-04T09:21:00.000Z',
    ]);

    // Again, before class 1: the same cohort and enrolments, no second welcome.
    t.clock.advance(30_000);
    const again = await seedDemo(t.app);
    expect(again.created).toBe(false);
    expect(again.cohort.id).toBe(first.cohort.id);
    expect(again.students.map((s) => s.enrollmentId)).toEqual(first.students.map((s) => s.enrollmentId));
    const staff = t.asStaff(await t.token('instructor'));
    const listed = await staff.get(`/api/cohorts/${first.cohort.id}/enrollments`).expect(200);
    expect(listed.body.items).toHaveLength(3);
    expect(listed.body.items.every((e: { status: string }) => e.status === 'confirmed')).toBe(true);

    await releaseAndSend(t);
    const welcomes = demoStudents.map((s) => sink.to(s.email).map((m) => m.subject));
    // As a real sign-up: the confirmation request, then (confirmed at once) the welcome.
    expect(welcomes).toEqual([
      [expect.stringMatching(/^请确认报名/), expect.stringMatching(/^欢迎加入/)],
      [expect.stringMatching(/^请确认报名/), expect.stringMatching(/^欢迎加入/)],
      [expect.stringMatching(/^Please confirm/), expect.stringMatching(/^Welcome/)],
    ]);

    // What the command prints: the times, relative to now, and where to look.
    const printed = demoBlock(again, 'http://localhost:3000', './var/mail', t.clock.now());
    expect(printed).toContain('(in 2 min)');
    expect(printed).toContain('http://localhost:3000/dev/mailbox');
    expect(printed).toContain(`http://localhost:3000/api/cohorts/${first.cohort.id}/funnel`);
    expect(printed).toContain(again.students[0].lessonLink);

    // Class 1 reaches all three at its time, and its page opens with the printed link.
    t.clock.set('2026-05-04T09:03:05Z');
    await releaseAndSend(t);
    for (const student of demoStudents) {
      expect(sink.to(student.email).map((m) => m.subject)).toContainEqual(expect.stringContaining('第一课'));
    }
    const page = await t.http.get(
      new URL(again.students[0].lessonLink).pathname + new URL(again.students[0].lessonLink).search,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('The need behind the behaviour');
  });

  it('makes a fresh cohort once the last one has begun', async () => {
    t.clock.set('2026-05-04T10:00:00Z');
    const later = await seedDemo(t.app);
    expect(later.created).toBe(true);
    expect(later.cohort.lessons[0].releaseAt.toISOString()).toBe('2026-05-04T10:02:00.000Z');
  });
});

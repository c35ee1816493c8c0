import { defaultFunnels } from '../src/funnels/default-funnels';
import { FanoutScheduler } from '../src/fanout/fanout.scheduler';
import { TestApp } from './support/create-test-app';
import { linkIn } from './support/mail-links';
import { createMailTestApp, releaseAndSend, SmtpSink } from './support/smtp-sink';
import { studentInput } from './factories/student.factory';

const EN = defaultFunnels[1];

describe('a whole cohort: 3 value classes, 4 closing classes, the offer, on the injected clock', () => {
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

  const tick = () => releaseAndSend(t);

  async function cohortWithStudents(
    overrides: object,
    people: ReturnType<typeof studentInput>[],
    confirm = people,
  ): Promise<string> {
    const created = await staff
      .post('/api/cohorts', {
        funnelId: EN.id,
        name: 'Run cohort',
        startAt: '2026-03-01T00:00:00Z',
        timezone: 'Europe/Berlin',
        capacity: 50,
        ...overrides,
      })
      .expect(201);
    const id = created.body.id as string;
    await staff.post(`/api/cohorts/${id}/open`).expect(200);
    for (const p of people) await t.http.post(`/api/cohorts/${id}/enrollments`).send(p).expect(202);
    await tick();
    for (const p of confirm) {
      const mail = sink.to(p.email).find((m) => m.subject?.startsWith('Please confirm'));
      await t.http.post(linkIn(mail?.text, /\/e\/[0-9a-f]{24}\/confirm/)).expect(200);
    }
    await tick();
    return id;
  }

  const lessonsTo = (email: string) => sink.to(email).filter((m) => /^Class \d/.test(m.subject ?? ''));

  it('releases each class at 20:00 Berlin time to confirmed students only, then the offer, then completes', async () => {
    const [ana, ben, cai] = [
      studentInput({ locale: 'en' }),
      studentInput({ locale: 'en' }),
      studentInput({ locale: 'en' }),
    ];
    const cohortId = await cohortWithStudents({}, [ana, ben, cai], [ana, ben]);

    t.clock.set('2026-03-01T18:59:00Z');
    await tick();
    expect(lessonsTo(ana.email)).toHaveLength(0);
    t.clock.set('2026-03-01T19:00:00Z'); // 20:00 CET
    await tick();
    expect(lessonsTo(ana.email).map((m) => m.subject)).toEqual(['Class 1: The need behind the behaviour']);
    expect((await staff.get(`/api/cohorts/${cohortId}`).expect(200)).body.status).toBe('running');

    // The lesson link opens the lesson page for that student.
    const lessonLink = linkIn(lessonsTo(ana.email)[0]?.text, /\/l\/[0-9a-f]{24}\/v1/);
    const page = await t.http.get(lessonLink).expect(200);
    expect(page.text).toContain('<h1>Class 1: The need behind the behaviour</h1>');
    expect(page.text).toContain(`Welcome to class 1, ${ana.name}.`);
    // The page of a class not yet released is refused.
    await t.http.get(lessonLink.replace('/v1?', '/c4?')).expect(422);

    // Hour by hour through the week: each class once, in order.
    while (t.clock.now() < new Date('2026-03-10T00:00:00Z')) {
      t.clock.advance(3600_000);
      await tick();
    }
    for (const person of [ana, ben]) {
      expect(lessonsTo(person.email).map((m) => m.subject?.split(':')[0])).toEqual([
        'Class 1',
        'Class 2',
        'Class 3',
        'Class 4',
        'Class 5',
        'Class 6',
        'Class 7',
      ]);
      const offers = sink.to(person.email).filter((m) => m.subject?.startsWith('Your price'));
      expect(offers.map((m) => m.subject)).toEqual(['Your price for 21-Day Parenting Coaching: $49.00']);
      expect(offers[0]?.text).toContain('This offer is open until 2026-03-09 20:00 GMT+1.');
    }
    // Not confirmed: the confirmation request, nothing else.
    expect(sink.to(cai.email).map((m) => m.subject)).toEqual(['Please confirm your place in Run cohort']);
    expect((await staff.get(`/api/cohorts/${cohortId}`).expect(200)).body.status).toBe('completed');
  });

  it('catches up once with classes that came due while no instance was running', async () => {
    const person = studentInput({ locale: 'en' });
    t.clock.set('2026-02-20T00:00:00Z');
    await cohortWithStudents({ startAt: '2026-04-01T00:00:00Z', name: 'Catch-up cohort' }, [person]);
    // Down from before the first class until after the third.
    t.clock.set('2026-04-03T21:00:00Z');
    await tick();
    // Sent concurrently, so they may arrive in any order.
    expect(
      lessonsTo(person.email)
        .map((m) => m.subject?.split(':')[0])
        .sort(),
    ).toEqual(['Class 1', 'Class 2', 'Class 3']);
    await tick();
    await tick();
    expect(lessonsTo(person.email)).toHaveLength(3);
  });

  const catchUpsTo = (email: string) => sink.to(email).filter((m) => /classes to catch up on$/.test(m.subject ?? ''));
  /** The lesson keys a catch-up mail links to, in its order. */
  const linkedLessons = (text: string | undefined) =>
    [...(text ?? '').matchAll(/\/l\/[0-9a-f]{24}\/(\w+)\?token=/g)].map((m) => m[1]);

  it('gives a student who joins after the first classes one catch-up mail with the classes already released', async () => {
    const early = studentInput({ locale: 'en' });
    t.clock.set('2026-02-20T00:00:00Z');
    const cohortId = await cohortWithStudents({ startAt: '2026-06-01T00:00:00Z', name: 'Late-join cohort' }, [early]);
    t.clock.set('2026-06-02T20:00:00Z'); // classes 1 and 2 are out (20:00 CEST = 18:00Z)
    await tick();
    const late = studentInput({ locale: 'en' });
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(late).expect(202);
    await tick();
    const mail = sink.to(late.email).find((m) => m.subject?.startsWith('Please confirm'));
    await t.http.post(linkIn(mail?.text, /\/e\/[0-9a-f]{24}\/confirm/)).expect(200);
    await tick();
    expect(lessonsTo(late.email)).toHaveLength(0);
    const [catchUp, ...more] = catchUpsTo(late.email);
    expect([catchUp?.subject, more.length]).toEqual(['Late-join cohort: 2 classes to catch up on', 0]);
    expect(catchUp?.text).toContain('- Class 1: The need behind the behaviour: ');
    expect(linkedLessons(catchUp?.text)).toEqual(['v1', 'v2']);
    // Each of its links opens that class's page for this student.
    const page = await t.http.get(linkIn(catchUp?.text, /\/l\/[0-9a-f]{24}\/v2/)).expect(200);
    expect(page.text).toContain('<h1>Class 2');
    // The next class reaches both on time, once; the early student never had a catch-up.
    t.clock.set('2026-06-03T18:00:00Z');
    await tick();
    expect(lessonsTo(early.email)).toHaveLength(3);
    expect(catchUpsTo(early.email)).toHaveLength(0);
    expect(lessonsTo(late.email).map((m) => m.subject?.split(':')[0])).toEqual(['Class 3']);
    expect(catchUpsTo(late.email)).toHaveLength(1);
  });

  it('sends the classes already due as one catch-up when a group is moved back with catchUp', async () => {
    const [ana, bo] = [studentInput({ locale: 'en' }), studentInput({ locale: 'en', timezone: 'Asia/Shanghai' })];
    t.clock.set('2026-09-01T00:00:00Z');
    const cohortId = await cohortWithStudents({ startAt: '2026-09-20T00:00:00Z', name: 'Moved back' }, [ana, bo]);
    // The group has been meeting since 2 September elsewhere; on the 5th it is moved here to match.
    t.clock.set('2026-09-05T10:00:00Z');
    await staff.post(`/api/cohorts/${cohortId}/reschedule`, { startAt: '2026-09-02T00:00:00Z' }).expect(422);
    await staff
      .post(`/api/cohorts/${cohortId}/reschedule`, { startAt: '2026-09-02T00:00:00Z', catchUp: true })
      .expect(200);
    await tick();
    await tick();
    for (const person of [ana, bo]) {
      expect(lessonsTo(person.email)).toHaveLength(0);
      const mails = sink.to(person.email).filter((m) => /\/l\/[0-9a-f]{24}\//.test(m.text ?? ''));
      expect(mails).toHaveLength(1); // classes 1-3 (2, 3 and 4 September), in one mail
      expect(linkedLessons(mails[0]?.text)).toEqual(['v1', 'v2', 'v3']);
    }
    expect(catchUpsTo(ana.email)[0]?.subject).toBe('Moved back: 3 classes to catch up on');
    // From then on each class goes out at its time, one by one.
    t.clock.set('2026-09-05T18:00:00Z'); // class 4 at 20:00 CEST
    await tick();
    expect(lessonsTo(ana.email).map((m) => m.subject?.split(':')[0])).toEqual(['Class 4']);
    expect(catchUpsTo(ana.email)).toHaveLength(1);
  });

  it('on the student clock, each student gets the class at 20:00 in their own zone, across a DST change', async () => {
    const berlin = studentInput({ locale: 'en', timezone: 'Europe/Berlin' });
    const shanghai = studentInput({ locale: 'en', timezone: 'Asia/Shanghai' });
    t.clock.set('2026-03-20T00:00:00Z');
    const cohortId = await cohortWithStudents(
      { startAt: '2026-03-27T00:00:00Z', timezone: 'Asia/Shanghai', releaseClock: 'student', name: 'Student clock' },
      [berlin, shanghai],
    );
    t.clock.set('2026-03-30T00:00:00Z');
    await t.app.get(FanoutScheduler).tick(); // fan out, but do not send: look at the due times
    const queued = await staff.get('/api/outbox').query({ cohortId, status: 'pending', limit: 200 }).expect(200);
    const items = queued.body.items as { to: string; key: string; nextAttemptAt: string }[];
    const dueFor = (email: string, key: string) =>
      items.find((m) => m.to === email && m.key.includes(`:lesson:${key}@`))?.nextAttemptAt;
    expect(dueFor(shanghai.email, 'v3')).toBe('2026-03-29T12:00:00.000Z'); // Sun 20:00 CST
    expect(dueFor(berlin.email, 'v2')).toBe('2026-03-28T19:00:00.000Z'); // Sat 20:00 CET
    expect(dueFor(berlin.email, 'v3')).toBe('2026-03-29T18:00:00.000Z'); // Sun 20:00 CEST, after the change
    expect(dueFor(berlin.email, 'c1')).toBe('2026-03-30T18:00:00.000Z'); // fanned out ahead, due later
  });

  it('reminds students before each class when the cohort asks for it', async () => {
    const person = studentInput({ locale: 'en', timezone: 'Asia/Shanghai' });
    t.clock.set('2026-02-20T00:00:00Z');
    await cohortWithStudents({ startAt: '2026-07-01T00:00:00Z', name: 'Reminder cohort', reminderMinutesBefore: 30 }, [
      person,
    ]);
    t.clock.set('2026-07-01T17:29:00Z');
    await tick();
    expect(sink.to(person.email).some((m) => m.subject?.startsWith('Starting soon'))).toBe(false);
    t.clock.set('2026-07-01T17:30:00Z'); // 30 minutes before 20:00 CEST
    await tick();
    const [reminder] = sink.to(person.email).filter((m) => m.subject?.startsWith('Starting soon'));
    expect(reminder?.subject).toBe('Starting soon: Class 1: The need behind the behaviour');
    expect(reminder?.text).toContain('starts at 2026-07-02 02:00 GMT+8'); // shown in the student's zone
    expect(lessonsTo(person.email)).toHaveLength(0);
  });

  it('runs an evergreen cohort from each student’s own confirmation', async () => {
    t.clock.set('2026-05-10T09:30:00Z');
    const created = await staff
      .post('/api/cohorts', {
        funnelId: EN.id,
        name: 'Evergreen',
        evergreen: true,
        timezone: 'Europe/Berlin',
        capacity: 50,
      })
      .expect(201);
    const id = created.body.id as string;
    await staff.post(`/api/cohorts/${id}/open`).expect(200);
    const join = async (person: ReturnType<typeof studentInput>) => {
      await t.http.post(`/api/cohorts/${id}/enrollments`).send(person).expect(202);
      await tick();
      const mail = sink.to(person.email).find((m) => m.subject?.startsWith('Please confirm'));
      const page = await t.http.post(linkIn(mail?.text, /\/e\/[0-9a-f]{24}\/confirm/)).expect(200);
      await tick();
      return page.text;
    };
    const first = studentInput({ locale: 'en' });
    const page = await join(first);
    expect(page).toContain('2026-05-10 20:00 GMT+2: Class 1'); // day 0 is today
    expect(lessonsTo(first.email)).toHaveLength(0);

    t.clock.set('2026-05-12T10:00:00Z');
    await tick();
    const second = studentInput({ locale: 'en' });
    await join(second);
    expect(lessonsTo(first.email)).toHaveLength(2); // 10 and 11 May
    expect(lessonsTo(second.email)).toHaveLength(0);

    t.clock.set('2026-05-12T18:00:00Z');
    await tick();
    expect(lessonsTo(first.email)).toHaveLength(3);
    expect(lessonsTo(second.email).map((m) => m.subject?.split(':')[0])).toEqual(['Class 1']);
    // Their lesson pages follow their own schedule too.
    const secondLink = linkIn(lessonsTo(second.email)[0]?.text, /\/l\/[0-9a-f]{24}\/v1/);
    await t.http.get(secondLink).expect(200);
    await t.http.get(secondLink.replace('/v1?', '/v2?')).expect(422);

    t.clock.set('2026-05-25T00:00:00Z');
    await tick();
    for (const person of [first, second]) {
      expect(lessonsTo(person.email)).toHaveLength(7);
      expect(sink.to(person.email).filter((m) => m.subject?.startsWith('Your price'))).toHaveLength(1);
    }
    expect((await staff.get(`/api/cohorts/${id}`).expect(200)).body).toMatchObject({ status: 'open', evergreen: true });
  });

  it('moves queued classes with the start when a student-clock cohort is rescheduled', async () => {
    const person = studentInput({ locale: 'en', timezone: 'Asia/Shanghai' });
    t.clock.set('2026-08-01T00:00:00Z');
    const cohortId = await cohortWithStudents(
      { startAt: '2026-08-10T00:00:00Z', releaseClock: 'student', name: 'Moved cohort' },
      [person],
    );
    t.clock.set('2026-08-09T12:00:00Z'); // inside the 28-hour lead: class 1 is fanned out ahead
    await t.app.get(FanoutScheduler).tick();
    await staff.post(`/api/cohorts/${cohortId}/reschedule`, { startAt: '2026-08-17T00:00:00Z' }).expect(200);
    t.clock.set('2026-08-11T00:00:00Z'); // past the old class 1 (10 Aug 20:00 Shanghai)
    await tick();
    expect(lessonsTo(person.email)).toHaveLength(0);
    t.clock.set('2026-08-17T12:00:00Z'); // the new class 1
    await tick();
    expect(lessonsTo(person.email).map((m) => m.subject?.split(':')[0])).toEqual(['Class 1']);
  });

  it('tells every enrolled student when a cohort is cancelled, and sends nothing else for it', async () => {
    const person = studentInput({ locale: 'en' });
    t.clock.set('2026-02-20T00:00:00Z');
    const cohortId = await cohortWithStudents({ startAt: '2026-05-01T00:00:00Z', name: 'Cancelled cohort' }, [person]);
    await staff.post(`/api/cohorts/${cohortId}/cancel`).expect(200);
    await tick();
    t.clock.set('2026-05-03T00:00:00Z'); // past two class times
    await tick();
    const subjects = sink.to(person.email).map((m) => m.subject);
    expect(subjects.filter((s) => s === 'Cancelled cohort has been cancelled')).toHaveLength(1);
    expect(subjects.some((s) => s?.startsWith('Class'))).toBe(false);
  });
});

import { TestApp } from './support/create-test-app';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';
import { cohortWithLessonMail } from './factories/homework-cohort';
import { studentInput } from './factories/student.factory';

describe('attendance and homework', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp());
    t.clock.set('2026-02-20T00:00:00Z');
  });
  afterAll(() => close());

  it('records joins and check-ins, grades homework once under a race, mails the grade and reports it', async () => {
    const [ana, ben, cai] = [
      studentInput({ locale: 'en' }),
      studentInput({ locale: 'en' }),
      studentInput({ locale: 'en' }),
    ];
    const { staff, cohortId, tick, lessonLink } = await cohortWithLessonMail(t, sink, [ana, ben, cai]);
    const anaLink = lessonLink(ana.email);
    const [anaPath, anaQuery] = anaLink.split('?');
    const anaEnrollment = /\/l\/([0-9a-f]{24})\//.exec(anaLink)![1];

    // Ana opens the page at once (present) and checks in with notes through the page's form.
    t.clock.set('2026-03-01T12:05:00Z');
    const page = await t.http.get(anaLink).expect(200);
    expect(page.text).toContain('Hello');
    expect(page.text).toContain(`action="v1/check-in?token`);
    await t.http
      .post(`${anaPath}/check-in?${anaQuery}`)
      .type('form')
      .send({ notes: 'Needs are <b>behind</b> behaviour' })
      .expect(303)
      .expect('Location', anaLink);
    // A second check-in is harmless: the first time and notes stay.
    await t.http.post(`${anaPath}/check-in?${anaQuery}`).type('form').send({ notes: 'again' }).expect(303);
    const after = await t.http.get(anaLink).expect(200);
    expect(after.text).toContain('Checked in');
    expect(after.text).toContain('Needs are &lt;b&gt;behind&lt;/b&gt; behaviour');

    // Ben comes late (after 30 minutes) through the API; Cai never comes, but asked to be excused.
    const benLink = lessonLink(ben.email);
    const benToken = new URL(benLink, 'http://x').searchParams.get('token')!;
    const benEnrollment = /\/l\/([0-9a-f]{24})\//.exec(benLink)![1];
    t.clock.set('2026-03-01T12:45:00Z');
    const late = await t.http
      .post(`/api/me/enrollments/${benEnrollment}/lessons/v1/check-in`)
      .set('X-Student-Token', benToken)
      .send({})
      .expect(200);
    expect(late.body.state).toBe('late');
    const caiLink = lessonLink(cai.email);
    const caiToken = new URL(caiLink, 'http://x').searchParams.get('token')!;
    const caiEnrollment = /\/l\/([0-9a-f]{24})\//.exec(caiLink)![1];
    await t.http
      .post(`/api/me/enrollments/${caiEnrollment}/lessons/v1/excuse`)
      .set('X-Student-Token', caiToken)
      .send({ reason: 'Night shift' })
      .expect(200);
    const excuses = await staff.get(`/api/cohorts/${cohortId}/excuses`).expect(200);
    expect(excuses.body.map((x: { enrollmentId: string }) => x.enrollmentId)).toEqual([caiEnrollment]);
    await staff
      .put(`/api/cohorts/${cohortId}/enrollments/${caiEnrollment}/excuse/v1`, { decision: 'approved' })
      .expect(200);

    // Homework: refused with a field error when empty, flagged by the auto-check when too short.
    const bad = await t.http
      .post(`/api/me/enrollments/${anaEnrollment}/lessons/v1/homework`)
      .set('X-Student-Token', new URL(anaLink, 'http://x').searchParams.get('token')!)
      .send({ text: '' })
      .expect(400);
    expect(bad.body.message).toContain('text');
    await t.http
      .post(`${anaPath}/homework?${anaQuery}`)
      .type('form')
      .send({ text: 'Too short', links: '' })
      .expect(303);
    await t.http
      .post(`${anaPath}/homework?${anaQuery}`)
      .type('form')
      .send({
        text: 'He threw his cup because he needed my attention after school.',
        links: 'https://docs.example.com/a',
      })
      .expect(303);
    const queue = await staff.get(`/api/homework?cohortId=${cohortId}&status=submitted`).expect(200);
    expect(queue.body.items).toHaveLength(1);
    const submission = queue.body.items[0];
    expect(submission).toMatchObject({ revision: 2, flags: [], links: ['https://docs.example.com/a'], daysLate: 0 });

    // A score above a criterion's points names the field.
    const over = await staff
      .put(`/api/homework/${submission.id}/grade`, {
        scores: [
          { key: 'situation', score: 9 },
          { key: 'need', score: 1 },
        ],
      })
      .expect(400);
    expect(over.body.message).toContain('scores.situation');

    // Two instructors grade at once: one wins, the other gets 409; no mixed result.
    const grades = await Promise.all(
      [
        {
          scores: [
            { key: 'situation', score: 5 },
            { key: 'need', score: 3, feedback: 'Say more' },
          ],
          feedback: 'Good',
        },
        {
          scores: [
            { key: 'situation', score: 4 },
            { key: 'need', score: 4 },
          ],
          feedback: 'Other',
        },
      ].map((body) => staff.put(`/api/homework/${submission.id}/grade`, body)),
    );
    expect(grades.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = grades.find((r) => r.status === 200)!.body;
    const history = await staff.get(`/api/homework/${submission.id}/grades`).expect(200);
    expect(history.body).toHaveLength(1);
    expect(history.body[0].total).toBe(winner.grade.total);
    // Once graded the student cannot change it.
    await t.http.post(`${anaPath}/homework?${anaQuery}`).type('form').send({ text: 'new text with need' }).expect(409);

    // The student is mailed the grade.
    await tick();
    const graded = sink.to(ana.email).find((m) => m.subject?.includes('graded'));
    expect(graded?.text).toContain(`Score: ${winner.grade.total} / 10`);

    // Reports: matrix, per-lesson rates, CSV and one student's history.
    t.clock.set('2026-03-01T23:00:00Z'); // the window (600 minutes) has closed
    const matrix = await staff.get(`/api/cohorts/${cohortId}/attendance`).expect(200);
    expect(matrix.body.lessons).toEqual(['v1', 'c1']);
    expect(matrix.body.rows.map((r: { lessons: { v1: string } }) => r.lessons.v1)).toEqual([
      'present',
      'late',
      'excused',
    ]);
    const rates = await staff.get(`/api/cohorts/${cohortId}/attendance/lessons`).expect(200);
    expect(rates.body[0]).toMatchObject({ lessonKey: 'v1', present: 1, late: 1, excused: 1, absent: 0, rate: 0.6667 });
    const csv = await staff.get(`/api/cohorts/${cohortId}/attendance.csv`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('seat,name,email,status,v1,c1,attended');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(',present,upcoming,1');
    // Ben is marked absent for class 1 by the instructor: the mark overrides the late check-in.
    const marked = await staff
      .put(`/api/cohorts/${cohortId}/enrollments/${benEnrollment}/attendance/v1`, { status: 'absent' })
      .expect(200);
    expect(marked.body.state).toBe('absent');
    await staff
      .put(`/api/cohorts/${cohortId}/enrollments/${benEnrollment}/attendance/v1`, { status: 'sometimes' })
      .expect(400);

    // Ana's page shows her grade and completion (1 class attended, 1 homework passed).
    const done = await t.http.get(anaLink).expect(200);
    expect(done.text).toContain(`Score ${winner.grade.total} / 10`);
    expect(done.text).toContain('You have completed this cohort');
  });

  it('refuses homework past the late cutoff and takes a penalty within it', async () => {
    const [dan] = [studentInput({ locale: 'en' })];
    t.clock.set('2026-02-20T00:00:00Z');
    const { staff, cohortId, lessonLink } = await cohortWithLessonMail(t, sink, [dan]);
    const link = lessonLink(dan.email);
    const [path, query] = link.split('?');
    t.clock.set('2026-03-02T13:00:00Z'); // 1 hour past due: 1 started day late
    await t.http
      .post(`${path}/homework?${query}`)
      .type('form')
      .send({ text: 'Late, but the need behind it was rest and quiet.' })
      .expect(303);
    const queue = await staff.get(`/api/homework?cohortId=${cohortId}`).expect(200);
    expect(queue.body.items[0]).toMatchObject({ daysLate: 1, penaltyPercent: 10, flags: [] });
    const graded = await staff
      .put(`/api/homework/${queue.body.items[0].id}/grade`, {
        scores: [
          { key: 'situation', score: 5 },
          { key: 'need', score: 5 },
        ],
      })
      .expect(200);
    expect(graded.body.grade).toMatchObject({ rawScore: 10, penaltyPoints: 1, total: 9, passed: true });

    const [eve] = [studentInput({ locale: 'en' })];
    t.clock.set('2026-02-20T00:00:00Z');
    const second = await cohortWithLessonMail(t, sink, [eve]);
    const eveLink = second.lessonLink(eve.email);
    const [evePath, eveQuery] = eveLink.split('?');
    t.clock.set('2026-03-05T13:00:00Z'); // 4 days late, cutoff is 2
    const refused = await t.http
      .post(`${evePath}/homework?${eveQuery}`)
      .type('form')
      .send({ text: 'Very late, about the need' })
      .expect(422);
    expect(refused.text).toContain('last day for late work has passed');
  });
});

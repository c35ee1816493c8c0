import { TestApp } from './support/create-test-app';
import { createMailTestApp, SmtpSink } from './support/smtp-sink';
import { cohortWithLessonMail } from './factories/homework-cohort';
import { studentInput } from './factories/student.factory';
import { linkIn } from './support/mail-links';
import { parseCsv } from './support/parse-csv';

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
    // Ben's Chinese name and Cai's formula of a name are for the CSV download.
    const [ana, ben, cai] = [
      studentInput({ locale: 'en' }),
      studentInput({ locale: 'en', name: '王小明' }),
      studentInput({ locale: 'en', name: '=HYPERLINK("x")' }),
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
    // The auto-check flags it for the grader; the queue filters on that.
    const flagged = await staff.get(`/api/homework?cohortId=${cohortId}&flagged=true`).expect(200);
    expect(flagged.body.items.map((h: { flags: string[] }) => h.flags)).toEqual([
      ['too_short', 'missing_keyword:need'],
    ]);
    expect((await staff.get(`/api/homework?cohortId=${cohortId}&flagged=false`).expect(200)).body.items).toEqual([]);
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
    expect((await staff.get(`/api/homework?cohortId=${cohortId}&flagged=true`).expect(200)).body.items).toEqual([]);

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

    // Two instructors grade at once from the same form (both saw version 0): one wins, the other
    // gets 409 whichever order the server takes them in; no mixed result.
    const grades = await Promise.all(
      [
        {
          expectedVersion: 0,
          scores: [
            { key: 'situation', score: 5 },
            { key: 'need', score: 3, feedback: 'Say more' },
          ],
          feedback: 'Good',
        },
        {
          expectedVersion: 0,
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
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="attendance-${cohortId}.csv"`);
    // The UTF-8 BOM first (Excel then reads 王小明 right), CRLF line ends.
    expect(csv.text.startsWith('\uFEFFseat,name,email,status,v1,c1,attended\r\n')).toBe(true);
    const lines = parseCsv(csv.text);
    expect(lines[0]).toEqual(['seat', 'name', 'email', 'status', 'v1', 'c1', 'attended']);
    expect(lines).toHaveLength(4);
    expect(lines[1].slice(4)).toEqual(['present', 'upcoming', '1']);
    expect(lines[2].slice(1, 3)).toEqual(['王小明', ben.email]);
    // A name that is a formula is text in the spreadsheet, not a link that runs.
    expect(lines[3].slice(1, 3)).toEqual([`'=HYPERLINK("x")`, cai.email]);
    expect(csv.text).toContain(`,"'=HYPERLINK(""x"")",`);
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

  it('nudges only the students absent from a class, once its window has closed, and only once', async () => {
    const [fay, gus, hal] = [
      studentInput({ locale: 'en' }),
      studentInput({ locale: 'en' }),
      studentInput({ locale: 'en' }),
    ];
    t.clock.set('2026-02-20T00:00:00Z');
    const { staff, cohortId, tick, lessonLink } = await cohortWithLessonMail(t, sink, [fay, gus, hal]);
    const missedMail = (email: string) => sink.to(email).filter((m) => m.subject?.startsWith('We missed you'));

    // Fay opens the class; Gus is excused by his instructor; Hal never comes.
    t.clock.set('2026-03-01T12:20:00Z');
    await t.http.get(lessonLink(fay.email)).expect(200);
    const gusEnrollment = /\/l\/([0-9a-f]{24})\//.exec(lessonLink(gus.email))![1];
    await staff
      .put(`/api/cohorts/${cohortId}/enrollments/${gusEnrollment}/attendance/v1`, { status: 'excused' })
      .expect(200);

    // Before the window closes (600 minutes after the start) nobody is nudged.
    t.clock.set('2026-03-01T21:59:00Z');
    await tick();
    expect([fay, gus, hal].flatMap((p) => missedMail(p.email))).toEqual([]);

    t.clock.set('2026-03-01T22:00:00Z');
    await tick();
    await tick();
    expect(missedMail(fay.email)).toEqual([]);
    expect(missedMail(gus.email)).toEqual([]);
    const [nudge, ...again] = missedMail(hal.email);
    expect(again).toEqual([]);
    expect(nudge.subject).toBe('We missed you at Class 1: Noticing');
    // The nudge links to the class page, which still opens.
    await t.http.get(linkIn(nudge.text, /\/l\/[0-9a-f]{24}\/v1/)).expect(200);
  });

  it('lets only assigned graders grade, holds an assistant’s grade for review, and tells the student once approved', async () => {
    const [ivy] = [studentInput({ locale: 'en' })];
    t.clock.set('2026-02-20T00:00:00Z');
    const { staff, cohortId, tick, lessonLink } = await cohortWithLessonMail(t, sink, [ivy]);
    const admin = t.asStaff(await t.token('admin'));
    const issue = async (name: string) => {
      const issued = await admin.post('/api/tokens', { role: 'instructor', name }).expect(201);
      return { id: issued.body.record.id as string, client: t.asStaff(issued.body.token as string) };
    };
    const [assistant, lead, outsider] = [await issue('Assistant'), await issue('Lead'), await issue('Outsider')];

    // Bad assignments name the field; a lesson without homework is not found.
    const noReviewer = await staff
      .put(`/api/cohorts/${cohortId}/grading/v1`, { graders: [assistant.id], reviewRequired: true })
      .expect(400);
    expect(noReviewer.body.message).toContain('reviewers');
    const unknown = await staff
      .put(`/api/cohorts/${cohortId}/grading/v1`, { graders: ['0123456789abcdef01234567'] })
      .expect(400);
    expect(unknown.body.message).toContain('graders: 0123456789abcdef01234567');
    await staff.put(`/api/cohorts/${cohortId}/grading/c1`, { graders: [assistant.id] }).expect(404);
    await staff.put(`/api/cohorts/${cohortId}/grading/v1`, { graders: 'everyone' }).expect(400);
    await staff
      .put(`/api/cohorts/${cohortId}/grading/v1`, {
        graders: [assistant.id],
        reviewers: [lead.id],
        reviewRequired: true,
      })
      .expect(200);
    const listed = await staff.get(`/api/cohorts/${cohortId}/grading`).expect(200);
    expect(listed.body).toEqual([
      { cohortId, lessonKey: 'v1', graders: [assistant.id], reviewers: [lead.id], reviewRequired: true },
    ]);

    const link = lessonLink(ivy.email);
    const [path, query] = link.split('?');
    t.clock.set('2026-03-01T13:00:00Z');
    await t.http
      .post(`${path}/homework?${query}`)
      .type('form')
      .send({ text: 'She cried at bedtime; the need was to feel close to me.' })
      .expect(303);
    const id = (await staff.get(`/api/homework?cohortId=${cohortId}`).expect(200)).body.items[0].id as string;
    const scores = (situation: number, need: number) => ({
      scores: [
        { key: 'situation', score: situation },
        { key: 'need', score: need },
      ],
    });

    // Someone not assigned may not grade; the assistant's grade waits for review, unseen by the student.
    const refused = await outsider.client.put(`/api/homework/${id}/grade`, scores(5, 5)).expect(403);
    expect(refused.body.message).toContain('lesson v1');
    const pending = await assistant.client.put(`/api/homework/${id}/grade`, scores(2, 2)).expect(200);
    expect(pending.body).toMatchObject({ status: 'in_review', grade: null, pendingGrade: { version: 1, total: 4 } });
    await tick();
    expect(sink.to(ivy.email).filter((m) => m.subject?.includes('graded'))).toEqual([]);
    const page = await t.http.get(link).expect(200);
    expect(page.text).not.toContain('Score 4');
    const api = await t.http
      .get(`/api/me/enrollments/${/\/l\/([0-9a-f]{24})\//.exec(link)![1]}/lessons`)
      .set('X-Student-Token', new URL(link, 'http://x').searchParams.get('token')!)
      .expect(200);
    expect(JSON.stringify(api.body)).not.toContain('pendingGrade');
    // The student cannot change work that is being graded.
    await t.http.post(`${path}/homework?${query}`).type('form').send({ text: 'changed, about the need' }).expect(409);

    // The assistant may not approve their own grade; the lead returns it with a note.
    await assistant.client.post(`/api/homework/${id}/review`, { version: 1, decision: 'approved' }).expect(403);
    const returned = await lead.client
      .post(`/api/homework/${id}/review`, { version: 1, decision: 'returned', note: 'Too harsh' })
      .expect(200);
    expect(returned.body).toMatchObject({ status: 'submitted', grade: null, pendingGrade: null });
    expect(returned.body.lastReview).toMatchObject({ decision: 'returned', note: 'Too harsh' });

    // The regrade is version 2; two reviewers approving at once: one wins, the other gets 409.
    await assistant.client.put(`/api/homework/${id}/grade`, scores(5, 4)).expect(200);
    await lead.client.post(`/api/homework/${id}/review`, { version: 1, decision: 'approved' }).expect(409);
    const decisions = await Promise.all([
      lead.client.post(`/api/homework/${id}/review`, { version: 2, decision: 'approved' }),
      admin.post(`/api/homework/${id}/review`, { version: 2, decision: 'approved' }),
    ]);
    expect(decisions.map((r) => r.status).sort()).toEqual([200, 409]);
    const history = await staff.get(`/api/homework/${id}/grades`).expect(200);
    expect(
      history.body.map((g: { version: number; needsReview: boolean; review: { decision: string } | null }) => [
        g.version,
        g.needsReview,
        g.review?.decision,
      ]),
    ).toEqual([
      [1, true, 'returned'],
      [2, true, 'approved'],
    ]);

    // Now the student is told, once, and sees the approved grade.
    await tick();
    const mails = sink.to(ivy.email).filter((m) => m.subject?.includes('graded'));
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain('Score: 9 / 10');
    expect((await t.http.get(link).expect(200)).text).toContain('Score 9 / 10');

    // With the assignment removed, any instructor grades straight to the student again.
    await staff.delete(`/api/cohorts/${cohortId}/grading/v1`).expect(204);
    await staff.delete(`/api/cohorts/${cohortId}/grading/v1`).expect(404);
    const regraded = await outsider.client
      .put(`/api/homework/${id}/grade`, { ...scores(5, 5), expectedVersion: 2 })
      .expect(200);
    expect(regraded.body).toMatchObject({ status: 'graded', gradeVersion: 3, grade: { total: 10 } });
  });
});

import { RELAXED_SUSPICION, ladderFunnel, openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { TestApp } from './support/create-test-app';
import { FunnelStudents, Joined } from './support/funnel-students';
import { createMailTestApp } from './support/smtp-sink';

describe('funnel report', () => {
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, close } = await createMailTestApp({
      overrides: { referralSuspicion: RELAXED_SUSPICION },
    }));
    t.clock.set('2026-03-01T00:00:00Z');
  });
  afterAll(() => close());

  it('counts each step from sign-up to payment with its conversion, and the referral figures', async () => {
    const staff = t.asStaff(await t.token('instructor'));
    const students = new FunnelStudents(t, staff);
    const content = ladderFunnel('Report funnel');
    const withHomework = {
      ...content,
      lessons: [
        {
          ...content.lessons[0],
          homework: {
            prompt: 'Write one sentence',
            dueAfter: 'P1D',
            maxScore: 2,
            passScore: 1,
            rubric: [{ key: 'done', name: 'Done', points: 2 }],
            latePolicy: { kind: 'refuse' },
            resubmitBeforeGrading: false,
          },
        },
        content.lessons[1],
      ],
    };
    const funnelId = (await staff.post('/api/funnels', withHomework).expect(201)).body.id as string;
    const { cohortId } = await openLadderCohort(staff, '2026-03-02T12:00:00Z', { funnelId });

    // Ann, five people she invited, and one stranger who never confirms.
    const ann = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);
    const { code } = (await students.me(ann).get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`)).body;
    const invited: Joined[] = [];
    for (let i = 0; i < 5; i++) invited.push(await students.join(cohortId, studentInput({ locale: 'en' }), code));
    for (const s of invited) await students.confirm(s);
    await students.join(cohortId, studentInput({ locale: 'en' }));

    // Ann and three of them come to class 1; two hand in homework; two open the offer, both order,
    // one pays.
    t.clock.set('2026-03-02T12:05:00Z');
    for (const s of [ann, ...invited.slice(0, 3)]) await students.attend(s, 'v1');
    for (const s of [ann, invited[0]]) {
      await students
        .me(s)
        .post(`/api/me/enrollments/${s.enrollmentId}/lessons/v1/homework`, { text: 'One sentence.' })
        .set('X-Student-Token', students.token(s, 'lesson', `/l/${s.enrollmentId}/v1`))
        .expect(200);
    }
    t.clock.set('2026-03-03T15:00:00Z');
    const orders: string[] = [];
    for (const s of [ann, invited[0]]) {
      const path = `/o/${s.enrollmentId}`;
      await t.http.get(`${path}?token=${students.token(s, 'offer', path)}`).expect(200);
      const me = students.me(s, 'offer');
      const quote = (await me.post('/api/me/quotes', { enrollmentId: s.enrollmentId }).expect(201)).body;
      orders.push((await me.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body.order.id);
    }
    await staff.post(`/api/orders/${orders[1]}/payments`, { reference: 'transfer' }).expect(200);

    const report = await staff.get(`/api/cohorts/${cohortId}/funnel`).expect(200);
    expect(report.body.steps).toEqual([
      { step: 'enrolled', count: 7, conversion: null },
      { step: 'confirmed', count: 6, conversion: 0.8571 },
      { step: 'attended:v1', count: 4, conversion: 0.6667 },
      { step: 'attended:c1', count: 0, conversion: 0 },
      { step: 'homework_handed_in', count: 2, conversion: null },
      { step: 'offer_opened', count: 2, conversion: 1 },
      { step: 'ordered', count: 2, conversion: 1 },
      { step: 'paid', count: 1, conversion: 0.5 },
    ]);
    expect(report.body.referrals).toEqual({
      invites: 5,
      qualified: 3,
      invitesPerStudent: 0.8333,
      viralCoefficient: 0.5,
    });
    // Beside the steps: notes shared with the group per class (none here).
    expect(report.body.notesShared).toEqual([
      { lessonKey: 'v1', shared: 0, ofAttended: 0 },
      { lessonKey: 'c1', shared: 0, ofAttended: null },
    ]);
    await staff.get('/api/cohorts/nope/funnel').expect(400);
    await staff.get('/api/cohorts/665f1c2e9b1e8a0012345678/funnel').expect(404);
  });
});

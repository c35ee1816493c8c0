import { TestApp } from '../support/create-test-app';
import { linkIn } from '../support/mail-links';
import { releaseAndSend, SmtpSink } from '../support/smtp-sink';

/** A two-class funnel whose first class sets homework (due a day after it reaches the student). */
export const homeworkFunnel = {
  name: 'Homework funnel',
  defaultLocale: 'en',
  lessons: [
    {
      key: 'v1',
      phase: 'value',
      title: 'Class 1: Noticing',
      body: 'Hello {{student.name}}, watch one moment closely this week.',
      release: { after: 'PT0S' },
      homework: {
        prompt: 'Describe one moment when your child was upset, and what they needed.',
        dueAfter: 'P1D',
        maxScore: 10,
        passScore: 6,
        rubric: [
          { key: 'situation', name: 'Describes the situation', points: 5 },
          { key: 'need', name: 'Names the need', points: 5 },
        ],
        latePolicy: { kind: 'penalty', percentPerDay: 10, cutoffDays: 2 },
        resubmitBeforeGrading: true,
        autoCheck: { minLength: 30, requiredKeywords: ['need'] },
      },
    },
    { key: 'c1', phase: 'closing', title: 'Class 2: Replying', body: 'Reply calmly.', release: { after: 'P2D' } },
  ],
  offer: { courseName: 'Coaching', listPrice: { amount: 19900, currency: 'CNY' }, deadlineAfter: 'P2D' },
};

/** Sets up a funnel, an open cohort with confirmed students, and releases the first class. */
export async function cohortWithLessonMail(
  t: TestApp,
  sink: SmtpSink,
  people: { email: string; name: string }[],
  { capacity = 10 }: { capacity?: number } = {},
) {
  const staff = t.asStaff(await t.token('instructor'));
  const tick = () => releaseAndSend(t);
  const funnel = await staff.post('/api/funnels', homeworkFunnel).expect(201);
  const cohort = await staff
    .post('/api/cohorts', {
      funnelId: funnel.body.id,
      name: 'Attendance cohort',
      startAt: '2026-03-01T12:00:00Z',
      timezone: 'Asia/Shanghai',
      capacity,
      attendance: { checkInOpensBeforeMinutes: 10, lateAfterMinutes: 30, closeAfterMinutes: 600 },
      completion: { minAttended: 1, minHomeworkPassed: 1 },
    })
    .expect(201);
  const cohortId = cohort.body.id as string;
  await staff.post(`/api/cohorts/${cohortId}/open`).expect(200);
  for (const p of people) {
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(p).expect(202);
  }
  await tick();
  for (const p of people) {
    // Found by its link, so students in any locale confirm.
    const confirm = /\/e\/[0-9a-f]{24}\/confirm/;
    const mail = sink.to(p.email).find((m) => typeof m.text === 'string' && confirm.test(m.text));
    await t.http.post(linkIn(mail?.text, confirm)).expect(200);
  }
  t.clock.set('2026-03-01T12:00:00Z');
  await tick();
  const lessonLink = (email: string) =>
    linkIn(sink.to(email).find((m) => m.subject?.startsWith('Class 1'))?.text, /\/l\/[0-9a-f]{24}\/v1/);
  return { staff, cohortId, tick, lessonLink };
}

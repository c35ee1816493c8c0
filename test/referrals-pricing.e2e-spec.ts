import { ladderFunnel, openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { createFunnelTestApp, FunnelStudents, Joined } from './support/funnel-students';
import { createMailTestApp, releaseAndSend, SmtpSink } from './support/smtp-sink';

const START = '2026-03-02T12:00:00Z';

describe('referrals and the price ladder', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let students: FunnelStudents;

  beforeAll(async () => {
    ({ t, sink, close, staff, students } = await createFunnelTestApp());
  });
  afterAll(() => close());
  beforeEach(() => t.clock.set('2026-03-01T00:00:00Z'));

  const codeOf = async (student: Joined) => {
    const mine = await students.me(student).get(`/api/me/referrals?enrollmentId=${student.enrollmentId}`).expect(200);
    return mine.body as { code: string; shareUrl: string; counted: number };
  };

  it('leads a shared link to the sign-up page with the code, attributes once and refuses with reasons', async () => {
    const { funnelId, cohortId } = await openLadderCohort(staff, START);
    const ann = await students.join(cohortId, studentInput({ email: 'ann.lee@gmail.com', locale: 'en' }));
    await students.confirm(ann);
    const { code, shareUrl } = await codeOf(ann);
    expect(shareUrl).toBe(`http://localhost:3000/r/${code}`);
    expect((await codeOf(ann)).code).toBe(code); // one code per enrolment

    // The shared link leads to the sign-up form with the code; lower case works too.
    const followed = await t.http.get(`/r/${code.toLowerCase()}`).expect(302);
    expect(followed.headers['location']).toBe(`../join/${cohortId}?ref=${code}`);
    const form = await t.http.get(`/join/${cohortId}?ref=${code}`).set('Accept-Language', 'en').expect(200);
    expect(form.text).toContain(`name="referralCode" value="${code}"`);
    await t.http.get('/r/NOSUCHCODE').expect(404);

    // Bo signs up on that page; the answer is the same as for anyone, the outcome comes on confirming.
    const bo = studentInput({ locale: 'en' });
    const joined = await t.http
      .post(`/join/${cohortId}`)
      .type('form')
      .send({ name: bo.name, email: bo.email, referralCode: code, locale: 'en' })
      .expect(200);
    expect(joined.text).toContain('Check your inbox');
    const boEnrolled = await students.find(cohortId, bo.email);
    expect(await students.confirm(boEnrolled)).toContain('Your referral code was applied.');
    // Signing up again with another code changes nothing: the first valid code won.
    const cy = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.confirm(cy);
    await students.join(cohortId, bo, (await codeOf(cy)).code);
    expect(
      (await students.me(ann).get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`)).body.referrals,
    ).toHaveLength(1);
    expect((await students.me(cy).get(`/api/me/referrals?enrollmentId=${cy.enrollmentId}`)).body.referrals).toEqual([]);

    // Refused, each with its reason: the same inbox as Ann (Gmail ignores dots and tags; in this
    // cohort it has her seat already, so it signs up in the funnel's other group), someone already
    // in the funnel, an unknown code.
    const otherGroup = await staff
      .post('/api/cohorts', {
        funnelId,
        name: 'Second group',
        startAt: START,
        timezone: 'Asia/Shanghai',
        capacity: 100,
      })
      .expect(201);
    await staff.post(`/api/cohorts/${otherGroup.body.id}/open`).expect(200);
    const annAgain = await students.join(
      otherGroup.body.id as string,
      studentInput({ email: 'A.nn.Lee+kids@gmail.com', locale: 'en' }),
      code,
    );
    expect(await students.confirm(annAgain)).toContain('not applied: you cannot refer yourself');
    const dee = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.join(cohortId, { email: dee.email, name: 'Dee' }, code);
    expect(await students.confirm(dee)).toContain('not applied: you had already joined this course before');
    const eve = await students.join(cohortId, studentInput({ locale: 'en' }), 'ZZZZ9999');
    expect(await students.confirm(eve)).toContain('not applied: the code does not exist');

    // A loop across funnels: Bo, whom Ann referred, cannot refer Ann to another funnel.
    const other = await openLadderCohort(staff, START, {
      funnelId: (await staff.post('/api/funnels', ladderFunnel('Second funnel')).expect(201)).body.id,
    });
    const boThere = await students.join(other.cohortId, bo);
    await students.confirm(boThere);
    const annThere = await students.join(
      other.cohortId,
      { email: 'ann.lee@gmail.com', name: 'Ann' },
      (await codeOf(boThere)).code,
    );
    expect(await students.confirm(annThere)).toContain('so they cannot refer you');
    // A code of another funnel is refused too.
    const fay = await students.join(other.cohortId, studentInput({ locale: 'en' }), code);
    expect(await students.confirm(fay)).toContain('not applied: the code belongs to another course');
    expect(funnelId).not.toBe(other.funnelId);
  });

  it('counts referees qualifying at once exactly, unlocks each tier once and prices the offer per student', async () => {
    const { cohortId } = await openLadderCohort(staff, START);
    const ann = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);
    const { code } = await codeOf(ann);
    const referees = await students.joinMany(
      cohortId,
      // 12: the smallest crowd that still races nine qualifications past the second tier (10).
      Array.from({ length: 12 }, () => studentInput({ locale: 'en' })),
      code,
    );
    await Promise.all(referees.map((r) => students.confirm(r)));

    // Confirmed but not yet in class: nothing qualifies (the rule needs one class attended).
    const before = await students.me(ann).get(`/api/me/price?enrollmentId=${ann.enrollmentId}`).expect(200);
    expect(before.body).toMatchObject({
      tier: 0,
      price: { amount: 19900, currency: 'CNY' },
      qualifiedReferrals: 0,
      next: { tier: 1, minReferrals: 3, price: { amount: 9900, currency: 'CNY' }, referralsNeeded: 3 },
    });

    // Three come to class 1: 99.00 is unlocked, and Ann locks it in a quote.
    t.clock.set('2026-03-02T12:05:00Z');
    for (const r of referees.slice(0, 3)) await students.attend(r, 'v1');
    const quote = await students
      .me(ann, 'offer')
      .post('/api/me/quotes', { enrollmentId: ann.enrollmentId })
      .expect(201);
    expect(quote.body).toMatchObject({ tier: 1, price: { amount: 9900, currency: 'CNY' }, qualifiedReferrals: 3 });
    expect(new Date(quote.body.expiresAt).getTime() - Date.parse('2026-03-02T12:05:00Z')).toBe(30 * 60_000);

    // The other nine at once: the count is exactly 12.
    await Promise.all(referees.slice(3).map((r) => students.attend(r, 'v1')));
    expect((await codeOf(ann)).counted).toBe(12);
    const after = await students.me(ann).get(`/api/me/price?enrollmentId=${ann.enrollmentId}`).expect(200);
    expect(after.body).toMatchObject({
      tier: 2,
      price: { amount: 0, currency: 'CNY' },
      qualifiedReferrals: 12,
      next: null,
    });

    // One "new price unlocked" mail per tier reached, however the qualifications raced.
    await releaseAndSend(t);
    const unlocked = sink.to(ann.email).filter((m) => m.subject?.startsWith('New price unlocked'));
    // A price of zero reads "free", never "CN¥0.00".
    expect(unlocked.map((m) => m.subject).sort()).toEqual([
      'New price unlocked: Coaching for CN¥99.00',
      'New price unlocked: Coaching for free',
    ]);
    expect(unlocked.find((m) => m.subject?.includes('99'))?.text).toContain('Invite 7 more');

    // The offer after the last closing class shows each student their own price.
    t.clock.set('2026-03-03T14:00:00Z');
    await releaseAndSend(t);
    expect(sink.to(ann.email).find((m) => m.subject?.startsWith('Your price'))?.subject).toBe(
      'Your price for Coaching: free',
    );
    expect(sink.to(referees[0].email).find((m) => m.subject?.startsWith('Your price'))?.subject).toBe(
      'Your price for Coaching: CN¥199.00',
    );
    // The offer has closed: no more quotes.
    t.clock.set('2026-03-06T00:00:00Z');
    const closed = await students
      .me(ann, 'offer')
      .post('/api/me/quotes', { enrollmentId: ann.enrollmentId })
      .expect(422);
    expect(closed.body.message).toContain('This offer closed');
  }, 90_000);

  it('checks who asks: another student’s enrolment is refused, a bad id names the field', async () => {
    const { cohortId } = await openLadderCohort(staff, START);
    const [ann, bo] = [
      await students.join(cohortId, studentInput({ locale: 'en' })),
      await students.join(cohortId, studentInput({ locale: 'en' })),
    ];
    await students.me(bo).get(`/api/me/price?enrollmentId=${ann.enrollmentId}`).expect(403);
    const bad = await students.me(bo).get('/api/me/price?enrollmentId=nope').expect(400);
    expect(bad.body.message).toContain('enrollmentId');
    await t.http.get(`/api/me/price?enrollmentId=${ann.enrollmentId}`).expect(401);
    // Pending students cannot buy yet.
    const pending = await students
      .me(ann, 'offer')
      .post('/api/me/quotes', { enrollmentId: ann.enrollmentId })
      .expect(422);
    expect(pending.body.message).toContain('Confirm your place');
  });
});

describe('suspicious referrals', () => {
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, close } = await createMailTestApp({
      overrides: { referralSuspicion: { burstCount: 3, burstMinutes: 10, sameIpCount: 1000, idleReferees: 1000 } },
    }));
    t.clock.set('2026-03-01T00:00:00Z');
  });
  afterAll(() => close());

  it('holds a burst of referrals for review: they count only once staff approve', async () => {
    const staff = t.asStaff(await t.token('instructor'));
    const students = new FunnelStudents(t, staff);
    const { cohortId } = await openLadderCohort(staff, START);
    const ann = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);
    const mine = () => students.me(ann).get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`).expect(200);
    const { code } = (await mine()).body;
    const referees = [];
    for (let i = 0; i < 4; i++) referees.push(await students.join(cohortId, studentInput({ locale: 'en' }), code));
    for (const r of referees) await students.confirm(r);
    t.clock.set('2026-03-02T12:05:00Z');
    for (const r of referees) await students.attend(r, 'v1');

    // The third and fourth came within ten minutes of the first two: held, not counted, not dropped.
    const listed = (await mine()).body;
    expect(listed.counted).toBe(2);
    expect(listed.referrals.map((r: { review: string }) => r.review).sort()).toEqual(['held', 'held', 'none', 'none']);
    const held = await staff.get('/api/referrals/held').expect(200);
    expect(held.body.items).toHaveLength(2);
    expect(held.body.items[0]).toMatchObject({ flags: ['burst'], status: 'qualified', review: 'held' });

    await staff.put(`/api/referrals/${held.body.items[0].id}/review`, { decision: 'approved' }).expect(200);
    await staff.put(`/api/referrals/${held.body.items[1].id}/review`, { decision: 'rejected' }).expect(200);
    await staff.put(`/api/referrals/${held.body.items[1].id}/review`, { decision: 'approved' }).expect(409);
    await staff.put(`/api/referrals/${held.body.items[1].id}/review`, { decision: 'maybe' }).expect(400);
    expect((await mine()).body.counted).toBe(3);
    expect((await staff.get('/api/referrals/held').expect(200)).body.items).toEqual([]);
  });
});

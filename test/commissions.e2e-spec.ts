import { RELAXED_SUSPICION, openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { FunnelStudents, Joined } from './support/funnel-students';
import { parseCsv } from './support/parse-csv';
import { createMailTestApp, releaseAndSend, SmtpSink } from './support/smtp-sink';

const START = '2026-03-02T12:00:00Z';

interface StatementBody {
  entries: { id: string; status: string }[];
  totals: Record<string, { amount: number; currency: string }[]>;
}

describe('promotion ladder and commissions', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let admin: StaffClient;
  let students: FunnelStudents;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp({
      overrides: {
        referralSuspicion: RELAXED_SUSPICION,
        commissions: { depth: 2, overrideRates: { member: 0, agent: 0, partner: 500 }, refundWindowDays: 14 },
        promotion: {
          agent: { qualifiedReferrals: 1, paidReferrals: 1 },
          partner: { paidReferrals: 5, directAgents: 1 },
          maintenance: { periodDays: 30, minPaidReferrals: 1 },
        },
      },
    }));
    t.clock.set('2026-03-01T00:00:00Z');
    staff = t.asStaff(await t.token('instructor'));
    admin = t.asStaff(await t.token('admin'));
    students = new FunnelStudents(t, staff);
  });
  afterAll(() => close());

  it('pays the direct referrer their level’s rate and one override above, settles, reverses refunds', async () => {
    const { cohortId } = await openLadderCohort(staff, START);
    const codeOf = async (s: Joined) =>
      (await students.me(s).get(`/api/me/referrals?enrollmentId=${s.enrollmentId}`).expect(200)).body.code as string;
    const joinVia = async (referrer: Joined | null) => {
      const s = await students.join(
        cohortId,
        studentInput({ locale: 'en' }),
        referrer ? await codeOf(referrer) : undefined,
      );
      await students.confirm(s);
      return s;
    };
    const buy = async (buyer: Joined) => {
      const me = students.me(buyer, 'offer');
      const quote = (await me.post('/api/me/quotes', { enrollmentId: buyer.enrollmentId }).expect(201)).body;
      const { order } = (await me.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body;
      await staff.post(`/api/orders/${order.id}/payments`, { reference: `transfer ${order.reference}` }).expect(200);
      return order.id as string;
    };
    const statementOf = async (s: Joined): Promise<StatementBody> =>
      (await staff.get(`/api/commissions/statement?studentId=${s.studentId}`).expect(200)).body as StatementBody;

    // Pat referred Ann; Ann refers Bo, Cy and Eve.
    const pat = await joinVia(null);
    const ann = await joinVia(pat);
    const [bo, cy, eve] = [await joinVia(ann), await joinVia(ann), await joinVia(ann)];
    t.clock.set('2026-03-02T12:05:00Z');
    for (const s of [ann, bo, cy, eve]) await students.attend(s, 'v1');

    // Bo buys while Ann is a member: members earn nothing, but the sale makes her an agent.
    await buy(bo);
    expect((await statementOf(ann)).entries).toEqual([]);
    const annLevel = (await staff.get(`/api/students/${ann.studentId}/level`).expect(200)).body;
    expect(annLevel).toMatchObject({ level: 'agent', stats: { qualifiedReferrals: 3, paidReferrals: 1 } });
    expect(annLevel.history).toEqual([
      expect.objectContaining({ from: 'member', to: 'agent', by: 'system', reason: 'reached the promotion threshold' }),
    ]);
    await releaseAndSend(t);
    expect(sink.to(ann.email).filter((m) => m.subject === 'You are now an agent')).toHaveLength(1);

    // Staff make Pat a partner by hand; Cy's purchase then pays Ann 10% and Pat a 5% override.
    await staff.put(`/api/students/${pat.studentId}/level`, { level: 'partner', reason: 'City lead' }).expect(403);
    await admin.put(`/api/students/${pat.studentId}/level`, { level: 'partner', reason: 'x' }).expect(400);
    await admin.put(`/api/students/${pat.studentId}/level`, { level: 'boss', reason: 'City lead' }).expect(400);
    await admin.put(`/api/students/${pat.studentId}/level`, { level: 'partner', reason: 'City lead' }).expect(200);
    const cyOrder = await buy(cy);
    const annEntries = (await statementOf(ann)).entries;
    expect(annEntries).toEqual([
      expect.objectContaining({
        id: `${cyOrder}:1`,
        depth: 1,
        level: 'agent',
        basisPoints: 1000,
        amount: { amount: 1990, currency: 'CNY' },
        status: 'pending',
      }),
    ]);
    expect((await statementOf(pat)).entries).toEqual([
      expect.objectContaining({
        id: `${cyOrder}:2`,
        depth: 2,
        basisPoints: 500,
        amount: { amount: 995, currency: 'CNY' },
      }),
    ]);

    // Eve's order is refunded within the window: its entries are reversed, never paid.
    const eveOrder = await buy(eve);
    await staff.post(`/api/orders/${eveOrder}/refund`).expect(200);
    const afterRefund = await statementOf(ann);
    expect(afterRefund.entries.find((e: { id: string }) => e.id === `${eveOrder}:1`)?.status).toBe('reversed');

    // After the 14-day refund window the rest is payable; a payout settles it once.
    t.clock.set('2026-03-17T12:06:00Z');
    expect((await statementOf(ann)).totals.payable).toEqual([{ amount: 1990, currency: 'CNY' }]);
    await staff.post('/api/commissions/payouts', { studentId: ann.studentId }).expect(403);
    const payout = await admin.post('/api/commissions/payouts', { studentId: ann.studentId }).expect(200);
    expect(payout.body).toMatchObject({ entries: [`${cyOrder}:1`], total: [{ amount: 1990, currency: 'CNY' }] });
    const again = await admin.post('/api/commissions/payouts', { studentId: ann.studentId }).expect(200);
    expect(again.body.entries).toEqual([]);
    const mine = await students.me(ann).get('/api/me/commissions').expect(200);
    expect(mine.body.level.level).toBe('agent');
    expect(mine.body.totals).toMatchObject({
      paid: [{ amount: 1990, currency: 'CNY' }],
      reversed: [{ amount: 1990, currency: 'CNY' }],
      payable: [],
    });
    const csv = await staff.get(`/api/commissions/statement?studentId=${ann.studentId}&format=csv`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="commissions-${ann.studentId}.csv"`);
    expect(csv.text.startsWith('\uFEFFentry,order,')).toBe(true);
    expect(csv.text.trim().split('\n')).toHaveLength(3);
    expect(csv.text).toContain(`${cyOrder}:1,${cyOrder},`);
    const [header, ...entries] = parseCsv(csv.text);
    expect(header).toEqual([
      'entry',
      'order',
      'created',
      'depth',
      'level',
      'rate_bp',
      'amount_minor',
      'currency',
      'status',
      'payable_at',
      'payout',
    ]);
    expect(entries.find((e) => e[0] === `${cyOrder}:1`)).toEqual([
      `${cyOrder}:1`,
      cyOrder,
      expect.stringMatching(/^2026-03-02T/),
      '1',
      'agent',
      '1000',
      '1990',
      'CNY',
      'paid',
      expect.stringMatching(/^2026-03-1\dT/),
      payout.body.payoutId,
    ]);
    const march = await staff
      .get(`/api/commissions/statement?studentId=${ann.studentId}&from=2026-04-01T00:00:00Z`)
      .expect(200);
    expect(march.body.entries).toEqual([]);
    await staff.get(`/api/commissions/statement?studentId=${ann.studentId}&from=someday`).expect(400);

    // After a quiet month the maintenance review flags agents and partners without sales.
    t.clock.set('2026-05-01T00:00:00Z');
    const review = await admin.post('/api/levels/review').expect(200);
    expect(review.body.due).toBeGreaterThanOrEqual(1);
    const due = await staff.get('/api/levels/review').expect(200);
    expect(due.body.map((l: { studentId: string }) => l.studentId)).toEqual(
      expect.arrayContaining([ann.studentId, pat.studentId]),
    );
    expect(due.body.find((l: { studentId: string }) => l.studentId === ann.studentId).reviewReason).toContain(
      '0 paid referrals in the last 30 days',
    );
  });
});

describe('commissions on flagged referrals', () => {
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, close } = await createMailTestApp({
      overrides: { referralSuspicion: { burstCount: 2, burstMinutes: 10, sameIpCount: 1000, idleReferees: 1000 } },
    }));
    t.clock.set('2026-03-01T00:00:00Z');
  });
  afterAll(() => close());

  it('holds the commission of a flagged referral until staff approve it', async () => {
    const staff = t.asStaff(await t.token('instructor'));
    const admin = t.asStaff(await t.token('admin'));
    const students = new FunnelStudents(t, staff);
    const { cohortId } = await openLadderCohort(staff, START);
    const ann = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);
    await admin
      .put(`/api/students/${ann.studentId}/level`, { level: 'agent', reason: 'Runs a parents group' })
      .expect(200);
    const { code } = (await students.me(ann).get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`)).body;
    const first = await students.join(cohortId, studentInput({ locale: 'en' }), code);
    const flagged = await students.join(cohortId, studentInput({ locale: 'en' }), code);
    for (const s of [first, flagged]) await students.confirm(s);

    // The second referral came within minutes of the first: held. Its buyer still buys.
    const me = students.me(flagged, 'offer');
    const quote = (await me.post('/api/me/quotes', { enrollmentId: flagged.enrollmentId }).expect(201)).body;
    const { order } = (await me.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body;
    await staff.post(`/api/orders/${order.id}/payments`, { reference: 'transfer' }).expect(200);
    const statement = () => staff.get(`/api/commissions/statement?studentId=${ann.studentId}`).expect(200);
    expect((await statement()).body.entries).toEqual([
      expect.objectContaining({ held: true, amount: { amount: 1990, currency: 'CNY' }, status: 'pending' }),
    ]);
    // Past the refund window it is still held, so nothing can be paid out.
    t.clock.set('2026-03-20T00:00:00Z');
    expect((await statement()).body.entries[0].status).toBe('pending');
    expect(
      (await admin.post('/api/commissions/payouts', { studentId: ann.studentId }).expect(200)).body.entries,
    ).toEqual([]);
    // Staff approve the referral: the commission is released and becomes payable.
    await staff.put(`/api/referrals/${flagged.enrollmentId}/review`, { decision: 'approved' }).expect(200);
    expect((await statement()).body.entries[0]).toMatchObject({ held: false, status: 'payable' });
  });
});

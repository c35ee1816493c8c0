import { CommissionsRepository } from '../src/commissions/commissions.repository';
import { DomainEventsRepository } from '../src/events/domain-events.repository';
import { DomainEventsScheduler } from '../src/events/domain-events.scheduler';
import { DomainEvents } from '../src/events/domain-events.service';
import { RELAXED_SUSPICION, openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { FunnelStudents, Joined } from './support/funnel-students';
import { createMailTestApp, releaseAndSend, SmtpSink } from './support/smtp-sink';

const START = '2026-03-02T12:00:00Z';

/**
 * Effects of a payment are durable: the payment is recorded as an event before anything changes,
 * and every feature's handler (the order's own change, commissions, the receipt) is delivered
 * until it has recorded it, once, whatever failed or died in between.
 */
describe('durable domain events', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let admin: StaffClient;
  let students: FunnelStudents;
  let cohortId: string;

  beforeAll(async () => {
    ({ t, sink, close } = await createMailTestApp({
      overrides: {
        referralSuspicion: RELAXED_SUSPICION,
        // Members earn, so one referral is enough for a commission.
        commissions: { rates: { member: 1000, agent: 1000, partner: 2000 } },
      },
    }));
    t.clock.set('2026-03-01T00:00:00Z');
    staff = t.asStaff(await t.token('instructor'));
    admin = t.asStaff(await t.token('admin'));
    students = new FunnelStudents(t, staff);
    ({ cohortId } = await openLadderCohort(staff, START));
  });
  afterAll(() => close());
  afterEach(() => jest.restoreAllMocks());

  /** A referrer and a qualified referee with an open order, ready to be paid. */
  async function referredBuyer(): Promise<{ referrer: Joined; buyer: Joined; orderId: string }> {
    const referrer = await students.join(cohortId, studentInput({ locale: 'en' }));
    await students.confirm(referrer);
    const me = students.me(referrer);
    const code = (await me.get(`/api/me/referrals?enrollmentId=${referrer.enrollmentId}`).expect(200)).body.code;
    const buyer = await students.join(cohortId, studentInput({ locale: 'en' }), code as string);
    await students.confirm(buyer);
    const offer = students.me(buyer, 'offer');
    const quote = (await offer.post('/api/me/quotes', { enrollmentId: buyer.enrollmentId }).expect(201)).body;
    const { order } = (await offer.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body;
    return { referrer, buyer, orderId: order.id as string };
  }

  const entriesOf = async (s: Joined) =>
    (await staff.get(`/api/commissions/statement?studentId=${s.studentId}`).expect(200)).body.entries as {
      id: string;
      orderId: string;
    }[];
  const event = async (key: string) =>
    ((await admin.get('/api/events?state=pending').expect(200)).body.items as { key: string }[]).find(
      (e) => e.key === key,
    );
  const deliverDue = () => t.app.get(DomainEvents).deliverDue();

  it('retries a handler that failed until its entry is written, exactly once', async () => {
    t.clock.set('2026-03-01T01:00:00Z');
    const { referrer, buyer, orderId } = await referredBuyer();
    jest
      .spyOn(t.app.get(CommissionsRepository), 'addEntry')
      .mockRejectedValueOnce(new Error('commission ledger unavailable'));

    // The payment itself goes through; only the commission is late.
    const paid = await staff.post(`/api/orders/${orderId}/payments`, { reference: 'transfer 1' }).expect(200);
    expect(paid.body.status).toBe('paid');
    expect(await entriesOf(referrer)).toEqual([]);
    expect(await event(`order.paid:${orderId}`)).toMatchObject({
      pending: ['commissions.credit'],
      attempts: 1,
      errors: ['commissions.credit: commission ledger unavailable'],
    });

    // Not before its backoff; then once, and a further round changes nothing.
    expect(await deliverDue()).toBe(0);
    t.clock.advance(10_000);
    expect(await deliverDue()).toBe(1);
    expect(await deliverDue()).toBe(0);
    expect((await entriesOf(referrer)).map((e) => e.orderId)).toEqual([orderId]);
    expect(await event(`order.paid:${orderId}`)).toBeUndefined();
    expect(await t.app.get(DomainEvents).find(`order.paid:${orderId}`)).toMatchObject({ state: 'done', pending: [] });

    await releaseAndSend(t);
    expect(sink.to(buyer.email).filter((m) => m.subject?.startsWith('Receipt'))).toHaveLength(1);

    // Delivered events are kept 30 days for staff to look into, then purged by the scheduler.
    const scheduler = t.app.get(DomainEventsScheduler);
    expect((await scheduler.tick()).purged).toBe(0);
    t.clock.advance(31 * 24 * 3600_000);
    expect((await scheduler.tick()).purged).toBeGreaterThan(0);
    expect(await t.app.get(DomainEvents).find(`order.paid:${orderId}`)).toBeNull();
    t.clock.set('2026-03-01T01:30:00Z');
  });

  it('finishes a payment whose process died right after recording it, once', async () => {
    t.clock.set('2026-03-01T02:00:00Z');
    const { referrer, buyer, orderId } = await referredBuyer();
    // The process dies between recording the payment and delivering it: nothing after the record runs.
    jest.spyOn(t.app.get(DomainEventsRepository), 'claim').mockResolvedValueOnce(null);
    await staff.post(`/api/orders/${orderId}/payments`, { reference: 'transfer 2' }).expect(200);
    expect((await staff.get(`/api/orders/${orderId}`).expect(200)).body.status).toBe('pending');

    // The provider's retry is a replay: it records nothing twice and returns the order as it is.
    await staff.post(`/api/orders/${orderId}/payments`, { reference: 'transfer 2' }).expect(200);
    // While the dead deliverer's lease lasts nobody takes its event; after it, the next round does.
    expect(await deliverDue()).toBe(0);
    t.clock.advance(61_000);
    expect(await deliverDue()).toBe(1);

    const order = (await staff.get(`/api/orders/${orderId}`).expect(200)).body;
    expect(order).toMatchObject({ status: 'paid', paymentReference: 'transfer 2' });
    expect((await entriesOf(referrer)).map((e) => e.orderId)).toEqual([orderId]);
    await releaseAndSend(t);
    expect(sink.to(buyer.email).filter((m) => m.subject?.startsWith('Receipt'))).toHaveLength(1);
    expect(await deliverDue()).toBe(0);
  });

  it('parks an event that keeps failing, shows it to admins, and delivers it when one retries it', async () => {
    t.clock.set('2026-03-01T03:00:00Z');
    const { referrer, orderId } = await referredBuyer();
    const events = t.app.get(DomainEvents);
    events.configure({ maxAttempts: 2 });
    const ledger = jest.spyOn(t.app.get(CommissionsRepository), 'addEntry').mockRejectedValue(new Error('disk full'));
    await staff.post(`/api/orders/${orderId}/payments`, { reference: 'transfer 3' }).expect(200);
    t.clock.advance(3_600_000);
    await deliverDue();

    const failed = (await admin.get('/api/events?state=failed').expect(200)).body;
    expect(failed.counts.failed).toBe(1);
    expect(failed.items).toEqual([
      expect.objectContaining({
        key: `order.paid:${orderId}`,
        state: 'failed',
        attempts: 2,
        pending: ['commissions.credit'],
      }),
    ]);
    // Staff only see it; instructors cannot retry, and a key that is not an event's is a 400.
    await staff.post(`/api/events/order.paid:${orderId}/retry`).expect(403);
    const bad = await admin.post('/api/events/not%20a%20key/retry').expect(400);
    expect(JSON.stringify(bad.body)).toContain('key');

    ledger.mockRestore();
    events.configure({ maxAttempts: 30 });
    const retried = await admin.post(`/api/events/order.paid:${orderId}/retry`).expect(200);
    expect(retried.body).toMatchObject({ state: 'done', pending: [] });
    expect((await entriesOf(referrer)).map((e) => e.orderId)).toEqual([orderId]);
  });
});

import { Types } from 'mongoose';
import { signatureHeader } from '../src/orders/payment.rules';
import { openLadderCohort } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { createFunnelTestApp, FunnelStudents, Joined } from './support/funnel-students';
import { releaseAndSend, SmtpSink } from './support/smtp-sink';

const WEBHOOK_SECRET = 'payment-webhook-secret-0123456789abcdef';
const START = '2026-03-02T12:00:00Z';

describe('orders, payments and refunds', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let students: FunnelStudents;

  beforeAll(async () => {
    ({ t, sink, close, staff, students } = await createFunnelTestApp({
      payments: { webhookSecret: WEBHOOK_SECRET, checkoutUrl: 'https://pay.example.com/checkout?order={orderId}' },
    }));
  });
  afterAll(() => close());
  beforeEach(() => t.clock.set('2026-03-01T00:00:00Z'));

  /** A free cohort whose buyers get a place in a paid cohort. */
  async function funnelWithPaidCohort() {
    const paid = await openLadderCohort(staff, '2026-03-10T12:00:00Z', { name: 'Coaching, March' });
    const free = await staff
      .post('/api/cohorts', {
        funnelId: paid.funnelId,
        name: 'Free classes',
        startAt: START,
        timezone: 'Asia/Shanghai',
        capacity: 100,
        paidCohortId: paid.cohortId,
      })
      .expect(201);
    await staff.post(`/api/cohorts/${free.body.id}/open`).expect(200);
    return { freeCohortId: free.body.id as string, paidCohortId: paid.cohortId };
  }

  const webhook = (body: object, options: { secret?: string; at?: number; tamper?: (raw: string) => string } = {}) => {
    const raw = JSON.stringify(body);
    const at = options.at ?? Math.floor(t.clock.now().getTime() / 1000);
    return t.http
      .post('/api/payments/webhook')
      .set('Content-Type', 'application/json')
      .set('X-Course-Funnel-Signature', signatureHeader(options.secret ?? WEBHOOK_SECRET, at, raw))
      .send(options.tamper ? options.tamper(raw) : raw);
  };

  it('buys on the offer page, is paid once by a signed webhook, refused when tampered, and refunded', async () => {
    const { freeCohortId, paidCohortId } = await funnelWithPaidCohort();
    const ann = await students.join(freeCohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);

    // The offer page shows her price and link; buying there gives the order and where to pay.
    t.clock.set('2026-03-03T15:00:00Z');
    const offerPath = `/o/${ann.enrollmentId}`;
    const offer = await t.http.get(`${offerPath}?token=${students.token(ann, 'offer', offerPath)}`).expect(200);
    expect(offer.text).toContain('Your price: CN¥199.00');
    expect(offer.text).toContain('/r/');
    const action = /action="([^"]+)"/
      .exec(offer.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    const checkout = await t.http.post(`/o/${action}`).expect(200);
    const [, reference] = /Order (CF-[0-9A-F]{8})/.exec(checkout.text)!;
    const [order] = (await students.me(ann).get('/api/me/orders').expect(200)).body;
    expect(order).toMatchObject({ reference, status: 'pending', price: { amount: 19900, currency: 'CNY' } });
    expect(checkout.text).toContain(`href="https://pay.example.com/checkout?order&#x3D;${order.id}"`);

    const paidEvent = {
      id: 'evt_1',
      type: 'payment.succeeded',
      orderId: order.id,
      amount: order.price,
      paymentId: 'pay_9',
    };
    // Unsigned, tampered, signed with another secret, or old: refused, nothing changes.
    await t.http.post('/api/payments/webhook').send(paidEvent).expect(401);
    const tampered = await webhook(paidEvent, { tamper: (raw) => raw.replace('pay_9', 'pay_0') }).expect(401);
    expect(tampered.body.message).toContain('does not match');
    // The signature is checked before the body: a tampered or unsigned call that also fails
    // validation is still a 401, and learns nothing about the expected shape.
    await webhook(paidEvent, { tamper: (raw) => raw.replace('payment.succeeded', 'payment.succeedeX') }).expect(401);
    await t.http.post('/api/payments/webhook').send({ type: 'nonsense' }).expect(401);
    // No body, or one the JSON parser does not read, is refused the same way (not a 500).
    const empty = await t.http.post('/api/payments/webhook').expect(401);
    expect(empty.body.details.code).toBe('signature_missing');
    const plain = await t.http
      .post('/api/payments/webhook')
      .set('Content-Type', 'text/plain')
      .set(
        'X-Course-Funnel-Signature',
        signatureHeader(WEBHOOK_SECRET, Math.floor(t.clock.now().getTime() / 1000), 'x'),
      )
      .send('x')
      .expect(401);
    expect(plain.body.details.code).toBe('signature_mismatch');
    await webhook(paidEvent, { secret: `${WEBHOOK_SECRET}-other` }).expect(401);
    await webhook(paidEvent, { at: Math.floor(t.clock.now().getTime() / 1000) - 3600 }).expect(401);
    const wrongAmount = await webhook({ ...paidEvent, amount: { amount: 100, currency: 'CNY' } }).expect(422);
    expect(wrongAmount.body.message).toContain('amount');
    await webhook({ ...paidEvent, type: 'payment.maybe' }).expect(400);
    expect((await staff.get(`/api/orders/${order.id}`).expect(200)).body).toMatchObject({
      status: 'pending',
      events: [],
    });

    // The real call, then the same call again (a provider retry): paid once.
    const paid = await webhook(paidEvent).expect(200);
    expect(paid.body).toEqual({ received: true, duplicate: false, status: 'paid' });
    const again = await webhook(paidEvent).expect(200);
    expect(again.body).toEqual({ received: true, duplicate: true, status: 'paid' });
    const view = (await staff.get(`/api/orders/${order.id}`).expect(200)).body;
    expect(view).toMatchObject({ status: 'paid', paymentReference: 'pay_9' });
    expect(view.events.filter((e: { kind: string }) => e.kind === 'paid')).toHaveLength(1);

    // She has her place in the paid cohort, and one receipt.
    const placed = await students.find(paidCohortId, ann.email);
    expect(placed.enrollmentId).toBe(view.paidEnrollmentId);
    await releaseAndSend(t);
    const receipts = sink.to(ann.email).filter((m) => m.subject?.startsWith('Receipt'));
    expect(receipts.map((m) => m.subject)).toEqual([`Receipt ${reference}: Coaching`]);
    expect(receipts[0].text).toContain('CN¥199.00');
    const paidPage = await t.http.get(`${offerPath}?token=${students.token(ann, 'offer', offerPath)}`).expect(200);
    expect(paidPage.text).toContain(`You have joined the course (order ${reference})`);

    // Refunded by the provider: the place is given back, she is told once.
    const refunded = await webhook({ ...paidEvent, id: 'evt_2', type: 'payment.refunded' }).expect(200);
    expect(refunded.body.status).toBe('refunded');
    await webhook({ ...paidEvent, id: 'evt_2', type: 'payment.refunded' }).expect(200);
    const enrolments = await staff.get(`/api/cohorts/${paidCohortId}/enrollments`).expect(200);
    expect(enrolments.body.items[0]).toMatchObject({ email: ann.email, status: 'withdrawn' });
    await releaseAndSend(t);
    expect(sink.to(ann.email).filter((m) => m.subject === 'Refund for Coaching')).toHaveLength(1);
    // A refunded order cannot be paid again.
    await staff.post(`/api/orders/${order.id}/payments`, { reference: 'late transfer' }).expect(409);
  });

  it('buys a seat once: parallel checkouts give one order, a paid seat refuses another, a refund frees it', async () => {
    const { freeCohortId } = await funnelWithPaidCohort();
    const ann = await students.join(freeCohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);
    t.clock.set('2026-03-03T15:00:00Z');
    const me = students.me(ann, 'offer');

    // Ten checkouts at once, each with its own quote (a double click, two tabs): one order.
    const quotes: { id: string }[] = [];
    for (let i = 0; i < 10; i++) {
      quotes.push((await me.post('/api/me/quotes', { enrollmentId: ann.enrollmentId }).expect(201)).body);
    }
    const placed = await Promise.all(quotes.map((q) => me.post('/api/me/orders', { quoteId: q.id })));
    expect(placed.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(placed.map((r) => (r.body as { order: { id: string } }).order.id)).size).toBe(1);
    const orderId: string = placed[0].body.order.id;
    expect((await me.get('/api/me/orders').expect(200)).body).toHaveLength(1);

    // Paid: another checkout is refused and changes nothing; the offer page's form, sent again
    // (the back button after paying), says she bought it.
    const offerPath = `/o/${ann.enrollmentId}`;
    const offer = await t.http.get(`${offerPath}?token=${students.token(ann, 'offer', offerPath)}`).expect(200);
    const action = /action="([^"]+)"/
      .exec(offer.text)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    await staff.post(`/api/orders/${orderId}/payments`, { reference: 'transfer #1' }).expect(200);
    const again = (await me.post('/api/me/quotes', { enrollmentId: ann.enrollmentId }).expect(201)).body;
    const refused = await me.post('/api/me/orders', { quoteId: again.id }).expect(409);
    expect(refused.body).toMatchObject({ statusCode: 409, details: { code: 'seat_already_paid' } });
    const page = await t.http.post(`/o/${action}`).expect(200);
    expect(page.text).toContain(`You have joined the course (order ${placed[0].body.order.reference})`);
    expect((await me.get('/api/me/orders').expect(200)).body).toHaveLength(1);

    // An order left from before one seat had one order cannot be paid for the same seat.
    const orders = t.connection.collection('cf_orders');
    const { openSeat, ...paid } = (await orders.findOne({ _id: new Types.ObjectId(orderId) }))!;
    expect(String(openSeat)).toBe(ann.enrollmentId);
    const { insertedId } = await orders.insertOne({
      ...paid,
      _id: new Types.ObjectId(),
      quoteId: new Types.ObjectId(),
      status: 'pending',
    });
    const double = await staff.post(`/api/orders/${insertedId.toHexString()}/payments`, { reference: 'x' }).expect(409);
    expect(double.body).toMatchObject({ statusCode: 409, details: { code: 'seat_already_paid' } });
    expect((await staff.get(`/api/orders/${insertedId.toHexString()}`).expect(200)).body).toMatchObject({
      status: 'pending',
      events: [],
    });
    await orders.deleteOne({ _id: insertedId });

    // Refunded: the seat is free to buy again.
    await staff.post(`/api/orders/${orderId}/refund`).expect(200);
    const fresh = (await me.post('/api/me/quotes', { enrollmentId: ann.enrollmentId }).expect(201)).body;
    const rebought = (await me.post('/api/me/orders', { quoteId: fresh.id }).expect(201)).body;
    expect(rebought.order.id).not.toBe(orderId);
  });

  it('keeps a quoted price, refuses an expired quote, and refunds price differences once per tier', async () => {
    const { freeCohortId } = await funnelWithPaidCohort();
    const ann = await students.join(freeCohortId, studentInput({ locale: 'en' }));
    await students.confirm(ann);
    const { code } = (await students.me(ann).get(`/api/me/referrals?enrollmentId=${ann.enrollmentId}`)).body;
    const referees: Joined[] = [];
    for (let i = 0; i < 10; i++) referees.push(await students.join(freeCohortId, studentInput({ locale: 'en' }), code));
    for (const r of referees) await students.confirm(r);

    // A quote expires after 30 minutes; ordering the same quote twice gives one order.
    t.clock.set('2026-03-02T12:01:00Z');
    const me = students.me(ann, 'offer');
    const stale = (await me.post('/api/me/quotes', { enrollmentId: ann.enrollmentId }).expect(201)).body;
    t.clock.set('2026-03-02T12:31:00Z');
    const expired = await me.post('/api/me/orders', { quoteId: stale.id }).expect(422);
    expect(expired.body.message).toContain('expired');
    const quote = (await me.post('/api/me/quotes', { enrollmentId: ann.enrollmentId }).expect(201)).body;
    const first = (await me.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body;
    const second = (await me.post('/api/me/orders', { quoteId: quote.id }).expect(200)).body;
    expect(second.order.id).toBe(first.order.id);
    expect(first.payment).toMatchObject({
      reference: first.order.reference,
      amount: { amount: 19900, currency: 'CNY' },
    });
    // Another student's quote is not hers to order.
    await students.me(referees[0]).post('/api/me/orders', { quoteId: quote.id }).expect(404);

    // Paid offline; staff record it (twice is once).
    await staff.post(`/api/orders/${first.order.id}/payments`, { reference: 'transfer #4411' }).expect(200);
    await staff.post(`/api/orders/${first.order.id}/payments`, { reference: 'transfer #4411' }).expect(200);
    await staff.post(`/api/orders/${first.order.id}/payments`, {}).expect(400);

    // Her referees come to class after she bought: 3 unlock 99.00 (she gets 100.00 back), all 10
    // at once unlock 0.00 (99.00 more back). Each tier's difference is refunded once.
    for (const r of referees.slice(0, 3)) await students.attend(r, 'v1');
    await Promise.all(referees.slice(3).map((r) => students.attend(r, 'v1')));
    const view = (await staff.get(`/api/orders/${first.order.id}`).expect(200)).body;
    expect(
      view.events
        .filter((e: { kind: string }) => e.kind === 'price_protection')
        .map((e: { amount: { amount: number } }) => e.amount.amount),
    ).toEqual([10000, 9900]);
    expect(view.refundedTotal).toEqual({ amount: 19900, currency: 'CNY' });
    await releaseAndSend(t);
    const moneyBack = sink.to(ann.email).filter((m) => m.subject === 'Money back: your price for Coaching dropped');
    expect(moneyBack.map((m) => /refunding you the difference: (\S+)/.exec(m.text ?? '')?.[1]).sort()).toEqual([
      'CN¥100.00',
      'CN¥99.00',
    ]);
  });
});

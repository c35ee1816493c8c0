import { cny, licenseTerms, partnerOrganization, ZH_TEMPLATE } from './factories/license.factory';
import { RELAXED_SUSPICION } from './factories/ladder-funnel';
import { studentInput } from './factories/student.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { FunnelStudents } from './support/funnel-students';
import { parseCsv } from './support/parse-csv';
import { createMailTestApp } from './support/smtp-sink';

describe('city-partner licensing', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  let admin: StaffClient;

  beforeAll(async () => {
    ({ t, close } = await createMailTestApp({ overrides: { referralSuspicion: RELAXED_SUSPICION } }));
    admin = t.asStaff(await t.token('admin'));
  });
  afterAll(() => close());
  beforeEach(() => t.clock.set('2026-02-01T00:00:00Z'));

  const partner = (name: string) => partnerOrganization(t, admin, name);

  it('licenses a template to a city partner who clones, localises and sells it, and both see one statement', async () => {
    const shenzhen = await partner('Shenzhen Family Learning');
    const guangzhou = await partner('Guangzhou Parents Club');

    // Admin licenses the default template for Shenzhen; an overlapping exclusive one is refused.
    const license = (await admin.post('/api/licenses', licenseTerms(shenzhen.id, 'CN/44/4403')).expect(201)).body;
    const overlap = await admin.post('/api/licenses', licenseTerms(guangzhou.id, 'CN/44')).expect(409);
    expect(overlap.body.message).toContain(`Overlaps the exclusive license ${license.id} for CN/44/4403`);
    const bad = await admin.post('/api/licenses', licenseTerms(guangzhou.id, 'Guangdong')).expect(400);
    expect(bad.body.message).toContain('territory');
    // Two exclusive licenses for Guangzhou at once: exactly one is issued.
    const racing = await Promise.all(
      [guangzhou.id, shenzhen.id].map((org) => admin.post('/api/licenses', licenseTerms(org, 'CN/44/4401'))),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    // Partners cannot issue licenses of platform templates.
    await shenzhen.staff.post('/api/licenses', licenseTerms(shenzhen.id, 'CN/45')).expect(403);

    // Shenzhen clones it: its own funnel, recording where it came from. Guangzhou sees none of it.
    const clone = (await shenzhen.staff.post(`/api/licenses/${license.id}/clone`).expect(201)).body;
    expect(clone).toMatchObject({
      organizationId: shenzhen.id,
      source: { funnelId: ZH_TEMPLATE, version: 1, licenseId: license.id },
    });
    expect((await shenzhen.staff.post(`/api/licenses/${license.id}/clone`).expect(201)).body.id).toBe(clone.id);
    expect((await shenzhen.staff.get('/api/funnels').expect(200)).body.map((f: { id: string }) => f.id)).toEqual([
      clone.id,
    ]);
    await guangzhou.staff.get(`/api/funnels/${clone.id}`).expect(404);
    await guangzhou.staff.post(`/api/licenses/${license.id}/clone`).expect(404);

    // Localising: the schedule and prices within bounds may change; the name and prices outside may not.
    const content = clone.current;
    const { funnelId: _f, version: _v, createdBy: _c, createdAt: _t, ...editable } = content;
    const local = {
      ...editable,
      lessons: editable.lessons.map((l: { release: object }) => ({ ...l, release: { ...l.release, at: '19:30' } })),
      offer: { ...editable.offer, listPrice: cny(15900), priceTiers: [{ minReferrals: 3, price: cny(9900) }] },
    };
    await shenzhen.staff.post(`/api/funnels/${clone.id}/versions`, local).expect(201);
    const renamed = await shenzhen.staff
      .post(`/api/funnels/${clone.id}/versions`, { ...local, name: 'Mine' })
      .expect(400);
    expect(renamed.body.message).toContain('name');
    const tooDear = await shenzhen.staff
      .post(`/api/funnels/${clone.id}/versions`, { ...local, offer: { ...local.offer, listPrice: cny(39900) } })
      .expect(400);
    expect(tooDear.body.message).toContain('offer.listPrice.amount');
    await shenzhen.staff
      .put(`/api/funnels/${clone.id}/messages/confirm/zh-CN`, {
        subject: '请确认报名 {{cohort.name}}',
        html: '<p>{{student.name}}，请确认：<a href="{{links.confirm}}">确认</a></p>',
        text: '{{student.name}}，请确认：{{links.confirm}}',
      })
      .expect(200);

    // Cohorts: only from its clone, within the term and territory.
    const cohortOf = (overrides: object) => ({
      funnelId: clone.id,
      name: '深圳三月班',
      startAt: '2026-03-01T12:00:00Z',
      timezone: 'Asia/Shanghai',
      capacity: 50,
      ...overrides,
    });
    await shenzhen.staff.post('/api/cohorts', cohortOf({ funnelId: ZH_TEMPLATE })).expect(404);
    const outsideTerm = await shenzhen.staff
      .post('/api/cohorts', cohortOf({ startAt: '2027-03-01T12:00:00Z' }))
      .expect(422);
    expect(outsideTerm.body.message).toContain('startAt must be within the license term');
    const outsideCity = await shenzhen.staff.post('/api/cohorts', cohortOf({ territory: 'CN/44/4401' })).expect(422);
    expect(outsideCity.body.message).toContain('outside the licensed territory CN/44/4403');
    const cohort = (await shenzhen.staff.post('/api/cohorts', cohortOf({ territory: 'CN/44/4403/NS' })).expect(201))
      .body;
    expect(cohort).toMatchObject({ organizationId: shenzhen.id, licenseId: license.id, funnelVersion: 2 });
    await shenzhen.staff.post(`/api/cohorts/${cohort.id}/open`).expect(200);

    // A student signs up, confirms and buys at Shenzhen's price; Shenzhen's staff confirm the payment.
    const students = new FunnelStudents(t, shenzhen.staff);
    const buyer = await students.join(cohort.id, studentInput({ name: '=HYPERLINK("x") 李华' }));
    await students.confirm(buyer);
    t.clock.set('2026-03-08T14:00:00Z');
    const me = students.me(buyer, 'offer');
    const quote = (await me.post('/api/me/quotes', { enrollmentId: buyer.enrollmentId }).expect(201)).body;
    expect(quote.price).toEqual(cny(15900));
    const { order } = (await me.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body;
    await shenzhen.staff.post(`/api/orders/${order.id}/payments`, { reference: '微信转账 8812' }).expect(200);

    // Partner B sees nothing of partner A, on every route that names A's things.
    const hidden = [
      `/api/cohorts/${cohort.id}`,
      `/api/cohorts/${cohort.id}/enrollments`,
      `/api/cohorts/${cohort.id}/attendance`,
      `/api/cohorts/${cohort.id}/attendance.csv`,
      `/api/cohorts/${cohort.id}/attendance/lessons`,
      `/api/cohorts/${cohort.id}/excuses`,
      `/api/cohorts/${cohort.id}/grading`,
      `/api/cohorts/${cohort.id}/funnel`,
      `/api/cohorts/${cohort.id}/referrals`,
      `/api/homework?cohortId=${cohort.id}`,
      `/api/orders?cohortId=${cohort.id}`,
      `/api/orders/${order.id}`,
      `/api/funnels/${clone.id}`,
      `/api/funnels/${clone.id}/versions/1`,
      `/api/funnels/${clone.id}/messages/confirm/zh-CN`,
      `/api/licenses/${license.id}`,
      `/api/licenses/${license.id}/statement`,
    ];
    for (const path of hidden) {
      const res = await guangzhou.staff.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect([path, (await shenzhen.staff.get(path)).status]).toEqual([path, 200]);
    }
    // Writes too: none reach Shenzhen's things.
    await guangzhou.staff.post(`/api/cohorts/${cohort.id}/cancel`).expect(404);
    await guangzhou.staff.post(`/api/cohorts/${cohort.id}/reschedule`, { startAt: '2026-04-01T12:00:00Z' }).expect(404);
    await guangzhou.staff
      .put(`/api/cohorts/${cohort.id}/enrollments/${buyer.enrollmentId}/attendance/v1`, { status: 'present' })
      .expect(404);
    await guangzhou.staff.put(`/api/cohorts/${cohort.id}/grading/v1`, { graders: [] }).expect(404);
    await guangzhou.staff.post(`/api/funnels/${clone.id}/versions`, local).expect(404);
    await guangzhou.staff.post(`/api/funnels/${clone.id}/upstream/pull`, { choices: {} }).expect(404);
    await guangzhou.staff.post(`/api/orders/${order.id}/payments`, { reference: 'x' }).expect(404);
    await guangzhou.staff.post(`/api/licenses/${license.id}/renew`, { endsAt: '2028-01-01T00:00:00Z' }).expect(404);
    await guangzhou.staff.post(`/api/orders/${order.id}/refund`).expect(404);
    await guangzhou.staff.get('/api/homework').expect(400);
    expect((await guangzhou.staff.get('/api/cohorts').expect(200)).body.items).toEqual([]);
    // Guangzhou lists only its own license (if it won the race above), never Shenzhen's.
    const theirs = (await guangzhou.staff.get('/api/licenses').expect(200)).body as {
      licenseeOrganizationId: string;
    }[];
    expect(theirs.filter((l) => l.licenseeOrganizationId !== guangzhou.id)).toEqual([]);
    const racedForGuangzhou = racing.find((r, i) => i === 0 && r.status === 201);
    expect(theirs).toHaveLength(racedForGuangzhou ? 1 : 0);

    // Both sides see the same statement: the fee, the sale and the 20% share, reconciled with the orders.
    const statement = (await admin.get(`/api/licenses/${license.id}/statement?from=2026-01-01T00:00:00Z`).expect(200))
      .body;
    expect(statement.totals).toEqual({ sales: cny(15900), shares: cny(3180), fees: cny(500000), due: cny(503180) });
    expect(statement.reconciliation).toEqual({
      orders: 1,
      orderSales: cny(15900),
      ledgerSales: cny(15900),
      reconciled: true,
    });
    expect(
      (await shenzhen.staff.get(`/api/licenses/${license.id}/statement?from=2026-01-01T00:00:00Z`).expect(200)).body
        .totals,
    ).toEqual(statement.totals);
    const csv = await shenzhen.staff.get(`/api/licenses/${license.id}/statement?format=csv`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="license-${license.id}.csv"`);
    expect(csv.text.startsWith('\uFEFFentry,kind,')).toBe(true);
    expect(csv.text).toContain(`${order.id}:${license.id}:share,share,`);
    expect(csv.text).toContain('reconciled');
    // The partner's attendance download: the BOM, and the buyer's name of a formula made text.
    const attendance = await shenzhen.staff.get(`/api/cohorts/${cohort.id}/attendance.csv`).expect(200);
    expect(attendance.text.startsWith('\uFEFFseat,name,')).toBe(true);
    expect(parseCsv(attendance.text)[1].slice(1, 3)).toEqual([`'=HYPERLINK("x") 李华`, buyer.email]);

    // A refund reverses the share; the statement still reconciles.
    await shenzhen.staff.post(`/api/orders/${order.id}/refund`).expect(200);
    const afterRefund = (await admin.get(`/api/licenses/${license.id}/statement`).expect(200)).body;
    expect(afterRefund.totals.shares).toEqual(cny(0));
    expect(afterRefund.reconciliation.reconciled).toBe(true);
    // In the CSV the reversal's negative amounts are numbers, not defused as formulas; the summary
    // rows keep the ten columns.
    const reversed = parseCsv(
      (await shenzhen.staff.get(`/api/licenses/${license.id}/statement?format=csv`).expect(200)).text,
    );
    expect(reversed.find((r) => r[0] === `${order.id}:${license.id}:reversal`)).toEqual([
      `${order.id}:${license.id}:reversal`,
      'share_reversal',
      expect.any(String),
      order.id,
      '-15900',
      '2000',
      '-3180',
      'CNY',
      shenzhen.id,
      'platform',
    ]);
    expect(reversed.slice(-4)).toEqual([
      ['total', 'sales', '', '', '0', '', '', 'CNY', '', ''],
      ['total', 'shares', '', '', '', '', '0', 'CNY', '', ''],
      ['total', 'fees', '', '', '', '', '500000', 'CNY', '', ''],
      ['reconciliation', 'orders=1', '', '', '0', '', '', 'CNY', '', 'reconciled'],
    ]);

    // An expired license blocks new cohorts: a draft made in term cannot open after it.
    const draft = (await shenzhen.staff.post('/api/cohorts', cohortOf({ startAt: '2026-12-20T12:00:00Z' })).expect(201))
      .body;
    t.clock.set('2027-01-02T00:00:00Z');
    const expired = await shenzhen.staff.post(`/api/cohorts/${draft.id}/open`).expect(422);
    expect(expired.body.message).toContain('The license is not in force');
    // Renewed, it opens again; revoked, it does not.
    await shenzhen.staff.post(`/api/licenses/${license.id}/renew`, { endsAt: '2028-01-01T00:00:00Z' }).expect(403);
    await admin.post(`/api/licenses/${license.id}/renew`, { endsAt: '2026-06-01T00:00:00Z' }).expect(400);
    await admin
      .post(`/api/licenses/${license.id}/renew`, { endsAt: '2028-01-01T00:00:00Z', fee: cny(300000) })
      .expect(200);
    const second = (
      await shenzhen.staff.post('/api/cohorts', cohortOf({ startAt: '2027-02-01T12:00:00Z' })).expect(201)
    ).body;
    await admin.post(`/api/licenses/${license.id}/revoke`).expect(200);
    const revoked = await shenzhen.staff.post(`/api/cohorts/${second.id}/open`).expect(422);
    expect(revoked.body.message).toContain('revoked');
    const fees = (await admin.get(`/api/licenses/${license.id}/statement`).expect(200)).body.totals.fees;
    expect(fees).toEqual(cny(800000));
  });

  it('lets a provincial partner sub-license cities within its territory, never beyond', async () => {
    const province = await partner('Sichuan Parents Network');
    const city = await partner('Chengdu Family School');
    const parent = (
      await admin
        .post('/api/licenses', licenseTerms(province.id, 'CN/51', { sublicensing: true, exclusive: false }))
        .expect(201)
    ).body;
    const sub = (terms: object) => ({
      ...licenseTerms(city.id, 'CN/51/5101', {
        funnelId: undefined,
        parentLicenseId: parent.id,
        allowedChanges: ['schedule'],
      }),
      ...terms,
    });
    const issued = (await province.staff.post('/api/licenses', sub({})).expect(201)).body;
    expect(issued).toMatchObject({
      licensorOrganizationId: province.id,
      parentLicenseId: parent.id,
      funnelId: ZH_TEMPLATE,
    });
    const beyond = await province.staff.post('/api/licenses', sub({ territory: 'CN/52/5201' })).expect(400);
    expect(beyond.body.message).toBe('territory: must be within CN/51');
    const longer = await province.staff.post('/api/licenses', sub({ endsAt: '2028-01-01T00:00:00Z' })).expect(400);
    expect(longer.body.message).toContain('parent license term');
    // The city partner may not sub-license further (its license does not allow it).
    await city.staff
      .post('/api/licenses', { ...sub({}), parentLicenseId: issued.id, territory: 'CN/51/5101/01' })
      .expect(400);
    // Both see the sub-license. A sale in the city's cohort pays the province its 20% as
    // sub-licensor, and the platform its 20% under the provincial license.
    await city.staff.get(`/api/licenses/${issued.id}`).expect(200);
    const clone = (await city.staff.post(`/api/licenses/${issued.id}/clone`).expect(201)).body;
    const { funnelId: _f, version: _v, createdBy: _c, createdAt: _t, ...content } = clone.current;
    await city.staff
      .post(`/api/funnels/${clone.id}/versions`, { ...content, offer: { ...content.offer, priceTiers: [] } })
      .expect(201);
    const cohort = (
      await city.staff
        .post('/api/cohorts', {
          funnelId: clone.id,
          name: '成都四月班',
          startAt: '2026-04-01T12:00:00Z',
          timezone: 'Asia/Shanghai',
          capacity: 20,
        })
        .expect(201)
    ).body;
    await city.staff.post(`/api/cohorts/${cohort.id}/open`).expect(200);
    const students = new FunnelStudents(t, city.staff);
    const buyer = await students.join(cohort.id, studentInput());
    await students.confirm(buyer);
    t.clock.set('2026-04-08T14:00:00Z');
    const me = students.me(buyer, 'offer');
    const quote = (await me.post('/api/me/quotes', { enrollmentId: buyer.enrollmentId }).expect(201)).body;
    const { order } = (await me.post('/api/me/orders', { quoteId: quote.id }).expect(201)).body;
    await city.staff.post(`/api/orders/${order.id}/payments`, { reference: 'transfer' }).expect(200);
    const cityStatement = (await province.staff.get(`/api/licenses/${issued.id}/statement`).expect(200)).body;
    expect(cityStatement.totals).toMatchObject({ sales: cny(19900), shares: cny(3980) });
    expect(cityStatement.entries.find((e: { kind: string }) => e.kind === 'share')).toMatchObject({
      beneficiaryOrganizationId: province.id,
      payerOrganizationId: city.id,
    });
    const provinceStatement = (await admin.get(`/api/licenses/${parent.id}/statement`).expect(200)).body;
    expect(provinceStatement.totals).toMatchObject({ sales: cny(19900), shares: cny(3980) });
    expect(provinceStatement.reconciliation).toMatchObject({ orders: 1, reconciled: true });
    expect(
      provinceStatement.entries.find((e: { kind: string }) => e.kind === 'share').beneficiaryOrganizationId,
    ).toBeNull();
  });

  it('shows the partner what the licensor changed and pulls it in item by item, keeping local edits', async () => {
    const hangzhou = await partner('Hangzhou Parents Circle');
    const license = (
      await admin
        .post(
          '/api/licenses',
          licenseTerms(hangzhou.id, 'CN/33/3301', {
            allowedChanges: ['lessons', 'messages'],
            // The template's ladder goes down to free.
            priceBounds: { floor: cny(0), ceiling: cny(29900) },
          }),
        )
        .expect(201)
    ).body;
    const clone = (await hangzhou.staff.post(`/api/licenses/${license.id}/clone`).expect(201)).body;
    const strip = ({ funnelId: _f, version: _v, createdBy: _c, createdAt: _t, ...content }: Record<string, unknown>) =>
      content as { lessons: { key: string; body: string }[] } & Record<string, unknown>;
    const withBody = (content: ReturnType<typeof strip>, key: string, body: string) => ({
      ...content,
      lessons: content.lessons.map((l) => (l.key === key ? { ...l, body } : l)),
    });
    // The partner rewrites class 3 in its clone; the licensor rewrites class 2 and class 3 in the template.
    await hangzhou.staff
      .post(`/api/funnels/${clone.id}/versions`, withBody(strip(clone.current), 'v3', '杭州版第三课'))
      .expect(201);
    const template = strip((await admin.get(`/api/funnels/${ZH_TEMPLATE}`).expect(200)).body.current);
    await admin
      .post(
        `/api/funnels/${ZH_TEMPLATE}/versions`,
        withBody(withBody(template, 'v2', '总部新版第二课'), 'v3', '总部新版第三课'),
      )
      .expect(201);

    const wording = {
      subject: '请确认：{{cohort.name}}',
      html: '<p>{{student.name}}，<a href="{{links.confirm}}">点此确认</a></p>',
      text: '{{student.name}}，点此确认：{{links.confirm}}',
    };
    await admin.put(`/api/funnels/${ZH_TEMPLATE}/messages/confirm/zh-CN`, wording).expect(200);

    const upstream = (await hangzhou.staff.get(`/api/funnels/${clone.id}/upstream`).expect(200)).body;
    expect(upstream).toMatchObject({ sourceVersion: 1, upstreamVersion: 2 });
    expect(upstream.changes).toEqual([
      { item: 'lessons.v2', locallyChanged: false, fields: ['body'] },
      { item: 'lessons.v3', locallyChanged: true, fields: ['body'] },
      { item: 'messages.confirm.zh-CN', locallyChanged: false, fields: ['subject', 'html', 'text'] },
    ]);
    // Every change needs a choice; nothing is overwritten silently.
    const missing = await hangzhou.staff
      .post(`/api/funnels/${clone.id}/upstream/pull`, { choices: { 'lessons.v2': 'upstream' } })
      .expect(400);
    expect(missing.body.message).toBe('choices.lessons.v3: choose upstream or local');
    await hangzhou.staff
      .post(`/api/funnels/${clone.id}/upstream/pull`, { choices: { 'lessons.v2': 'upstream', 'lessons.v3': 'maybe' } })
      .expect(400);
    const pulled = await hangzhou.staff
      .post(`/api/funnels/${clone.id}/upstream/pull`, {
        choices: { 'lessons.v2': 'upstream', 'lessons.v3': 'local', 'messages.confirm.zh-CN': 'upstream' },
      })
      .expect(200);
    expect(pulled.body).toMatchObject({ sourceVersion: 2, upstreamVersion: 2, changes: [] });
    const lessons = (await hangzhou.staff.get(`/api/funnels/${clone.id}`).expect(200)).body.current.lessons as {
      key: string;
      body: string;
    }[];
    expect(lessons.find((l) => l.key === 'v2')?.body).toBe('总部新版第二课');
    expect(lessons.find((l) => l.key === 'v3')?.body).toBe('杭州版第三课');
    const confirm = await hangzhou.staff.get(`/api/funnels/${clone.id}/messages/confirm/zh-CN`).expect(200);
    expect(confirm.body).toMatchObject({ ...wording, source: 'override' });
    // Another partner cannot look at or pull into this clone.
    const other = await partner('Ningbo Family School');
    await other.staff.get(`/api/funnels/${clone.id}/upstream`).expect(404);
  });
});

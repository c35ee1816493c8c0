import { defaultFunnels } from '../src/funnels/default-funnels';
import { createTestApp, TestApp } from './support/create-test-app';
import { funnelInput } from './factories/funnel.factory';

const ZH_FUNNEL = defaultFunnels[0].id;

describe('cohorts: create from a pinned funnel version, schedule, open, reschedule, cancel', () => {
  let t: TestApp;
  let instructor: string;

  beforeAll(async () => {
    t = await createTestApp();
    instructor = await t.token('instructor');
  });
  afterAll(() => t.close());

  const post = (path: string, body: object = {}) => t.asStaff(instructor).post(path, body);
  const get = (path: string) => t.asStaff(instructor).get(path);
  const cohortInput = (overrides: object = {}) => ({
    funnelId: ZH_FUNNEL,
    name: 'March cohort',
    startAt: '2026-03-01T00:00:00+08:00',
    timezone: 'Asia/Shanghai',
    capacity: 200,
    ...overrides,
  });

  it('creates a draft cohort whose 7 lessons fall at 20:00 in the cohort timezone', async () => {
    const res = await post('/api/cohorts', cohortInput()).expect(201);
    expect(res.body).toMatchObject({ status: 'draft', funnelVersion: 1, releaseClock: 'cohort', capacity: 200 });
    expect(res.body.schedule.map((s: { local: string }) => s.local)).toEqual([
      '2026-03-01 20:00 GMT+8',
      '2026-03-02 20:00 GMT+8',
      '2026-03-03 20:00 GMT+8',
      '2026-03-04 20:00 GMT+8',
      '2026-03-05 20:00 GMT+8',
      '2026-03-06 20:00 GMT+8',
      '2026-03-07 20:00 GMT+8',
    ]);
    expect(res.body.lessons[0]).toMatchObject({ key: 'v1', phase: 'value', releaseAt: '2026-03-01T12:00:00.000Z' });
    expect(res.body.offerDeadlineAt).toBe('2026-03-09T12:00:00.000Z');
  });

  it('keeps 20:00 local across a DST change in the cohort timezone', async () => {
    const res = await post(
      '/api/cohorts',
      cohortInput({ timezone: 'Europe/Berlin', startAt: '2026-03-26T09:00:00Z' }),
    ).expect(201);
    expect(res.body.schedule.map((s: { local: string }) => s.local.slice(11))).toEqual([
      '20:00 GMT+1',
      '20:00 GMT+1',
      '20:00 GMT+1',
      '20:00 GMT+2',
      '20:00 GMT+2',
      '20:00 GMT+2',
      '20:00 GMT+2',
    ]);
  });

  it('pins the funnel version it was created from', async () => {
    const funnel = await post('/api/funnels', funnelInput()).expect(201);
    // This factory funnel releases its first class at the start itself: start tomorrow.
    const later = (o: object) => cohortInput({ startAt: '2026-03-02T00:00:00+08:00', ...o });
    const cohort = await post('/api/cohorts', later({ funnelId: funnel.body.id })).expect(201);
    const edited = funnelInput();
    edited.lessons[0].title = 'Edited after the cohort was created';
    await post(`/api/funnels/${funnel.body.id}/versions`, edited).expect(201);
    const again = await get(`/api/cohorts/${cohort.body.id}`).expect(200);
    expect(again.body.funnelVersion).toBe(1);
    expect(again.body.lessons[0].title).toBe('Value 1');
    const pinned = await post('/api/cohorts', later({ funnelId: funnel.body.id, funnelVersion: 2 })).expect(201);
    expect(pinned.body.lessons[0].title).toBe('Edited after the cohort was created');
    await post('/api/cohorts', later({ funnelId: funnel.body.id, funnelVersion: 9 })).expect(404);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    expect((await post('/api/cohorts', cohortInput({ timezone: 'Asia/Atlantis' })).expect(400)).body.message).toMatch(
      /^timezone: /,
    );
    expect((await post('/api/cohorts', cohortInput({ startAt: 'soon' })).expect(400)).body.message).toMatch(
      /^startAt: /,
    );
    expect((await post('/api/cohorts', cohortInput({ capacity: 0 })).expect(400)).body.message).toMatch(/^capacity: /);
    const window = await post(
      '/api/cohorts',
      cohortInput({ enrollmentOpensAt: '2026-02-20T00:00:00Z', enrollmentClosesAt: '2026-02-10T00:00:00Z' }),
    ).expect(400);
    expect(window.body.message).toBe('enrollmentClosesAt: must be after enrollmentOpensAt');
    await post('/api/cohorts', cohortInput({ funnelId: '665f1c2e9b1e8a0012345678' })).expect(404);
  });

  it('takes only strict ISO-8601 instants that exist: no 30 February, no numbers, no zone-less times', async () => {
    const cases: [unknown, string][] = [
      ['2027-02-30T00:00:00Z', 'a day February does not have'],
      [12, 'a number (new Date reads it as 1970)'],
      ['2026-03-08T09:00:00', 'no zone'],
      ['2026-03-08', 'a bare date'],
    ];
    for (const [startAt, why] of cases) {
      const res = await post('/api/cohorts', cohortInput({ startAt })).expect(400);
      expect([why, res.body.message]).toEqual([
        why,
        expect.stringMatching(/^startAt: startAt must be an ISO-8601 date-time/),
      ]);
    }
    const created = (await post('/api/cohorts', cohortInput()).expect(201)).body;
    const moved = await post(`/api/cohorts/${created.id}/reschedule`, { startAt: 12 }).expect(400);
    expect(moved.body.message).toMatch(/^startAt: /);
    expect((await get(`/api/cohorts/${created.id}`).expect(200)).body.startAt).toBe(created.startAt);
    const period = await get('/api/commissions/statement?studentId=665f1c2e9b1e8a0012345678&from=2027-02-30T00:00:00Z');
    expect(period.status).toBe(400);
    expect(period.body.message).toMatch(/^from: /);
  });

  it('refuses a start whose classes are already due with 422 naming startAt, unless catchUp is sent', async () => {
    // The clock is at 2026-03-01T00:00Z: a start in 2020 would have every class due already.
    const old = await post('/api/cohorts', cohortInput({ startAt: '2020-03-01T00:00:00+08:00' })).expect(422);
    expect(old.body.message).toMatch(
      /^startAt: 2020-02-29T16:00:00.000Z is too late: classes v1, v2, .* catchUp: true$/,
    );
    // Today's date with tonight's class still to come is fine.
    const cohort = (await post('/api/cohorts', cohortInput()).expect(201)).body;
    const back = await post(`/api/cohorts/${cohort.id}/reschedule`, { startAt: '2026-02-20T00:00:00+08:00' }).expect(
      422,
    );
    expect(back.body.message).toMatch(/^startAt: .* too late/);
    expect((await get(`/api/cohorts/${cohort.id}`).expect(200)).body.startAt).toBe(cohort.startAt);

    // A group already running is moved on purpose; its draft opens only when asked to catch up.
    const running = await post(`/api/cohorts/${cohort.id}/reschedule`, {
      startAt: '2026-02-27T00:00:00+08:00',
      catchUp: true,
    }).expect(200);
    expect(running.body.lessons[0].releaseAt).toBe('2026-02-27T12:00:00.000Z');
    const refused = await post(`/api/cohorts/${cohort.id}/open`).expect(422);
    expect(refused.body.message).toMatch(/^startAt: .* classes v1, v2 would already be due/);
    // Without a body at all (a console button, curl -X POST) it is the same request as {}.
    const bare = await t.http.post(`/api/cohorts/${cohort.id}/open`).auth(instructor, { type: 'bearer' });
    expect([bare.status, bare.body.details?.code]).toEqual([422, 'start_in_past']);
    expect((await post(`/api/cohorts/${cohort.id}/open`, { catchUp: true }).expect(200)).body.status).toBe('open');
    await post(`/api/cohorts/${cohort.id}/open`, { catchUp: 'yes' }).expect(400);
  });

  it('opens, reschedules, then cancels; refuses moves its status does not allow with 409', async () => {
    const created = await post('/api/cohorts', cohortInput()).expect(201);
    const id = created.body.id as string;
    expect((await post(`/api/cohorts/${id}/open`).expect(200)).body.status).toBe('open');
    expect((await post(`/api/cohorts/${id}/open`).expect(409)).body.message).toBe(`cohort ${id} is open: cannot open`);

    const moved = await post(`/api/cohorts/${id}/reschedule`, { startAt: '2026-03-08T00:00:00+08:00' }).expect(200);
    expect(moved.body.lessons[0].releaseAt).toBe('2026-03-08T12:00:00.000Z');
    expect(moved.body.offerDeadlineAt).toBe('2026-03-16T12:00:00.000Z');

    expect((await post(`/api/cohorts/${id}/cancel`).expect(200)).body.status).toBe('cancelled');
    await post(`/api/cohorts/${id}/reschedule`, { startAt: '2026-03-15T00:00:00+08:00' }).expect(409);
    const stored = await get(`/api/cohorts/${id}`).expect(200);
    expect(stored.body).toMatchObject({ status: 'cancelled', startAt: '2026-03-07T16:00:00.000Z' });
  });

  it('lists cohorts by status with a cursor', async () => {
    const open = await get('/api/cohorts').query({ status: 'draft', limit: 2 }).expect(200);
    expect(open.body.items).toHaveLength(2);
    expect(open.body.items.every((c: { status: string }) => c.status === 'draft')).toBe(true);
    const next = await get('/api/cohorts').query({ status: 'draft', limit: 2, after: open.body.next }).expect(200);
    expect(next.body.items[0].id).not.toBe(open.body.items[0].id);
    await get('/api/cohorts').query({ status: 'paused' }).expect(400);
  });
});

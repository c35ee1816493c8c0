import { SignedLinksService } from '../src/auth/signed-links.service';
import { defaultFunnels } from '../src/funnels/default-funnels';
import { createTestApp, TestApp } from './support/create-test-app';
import { studentInput } from './factories/student.factory';

describe('enrolment: public sign-up, idempotent, within capacity, double opt-in', () => {
  let t: TestApp;
  let instructor: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-02-20T00:00:00Z');
    instructor = await t.token('instructor');
  });
  afterAll(() => t.close());

  async function draftCohort(overrides: object): Promise<string> {
    const created = await t
      .asStaff(instructor)
      .post('/api/cohorts', {
        funnelId: defaultFunnels[1].id,
        name: 'Cohort',
        startAt: '2026-03-01T00:00:00Z',
        timezone: 'Europe/Berlin',
        ...overrides,
      })
      .expect(201);
    return created.body.id as string;
  }

  async function openCohort(capacity: number): Promise<string> {
    const id = await draftCohort({ capacity });
    await t.asStaff(instructor).post(`/api/cohorts/${id}/open`).expect(200);
    return id;
  }

  const enrolments = async (cohortId: string) =>
    (await t.asStaff(instructor).get(`/api/cohorts/${cohortId}/enrollments`).expect(200)).body.items as {
      id: string;
      seat: number;
      emailKey: string;
      status: string;
      studentId: string;
    }[];

  it('accepts a sign-up without a token and answers the same when it is repeated', async () => {
    const cohortId = await openCohort(10);
    const input = studentInput({ email: 'Li.Na@Example.test' });
    const first = await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(input).expect(202);
    const again = await t.http
      .post(`/api/cohorts/${cohortId}/enrollments`)
      .send({ ...input, email: 'li.na@example.test' })
      .expect(202);
    expect(again.body).toEqual(first.body);
    const list = await enrolments(cohortId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ seat: 1, emailKey: 'li.na@example.test', status: 'pending' });
  });

  it('gives one inbox one seat: provider aliases of an address, even at once, share one enrolment', async () => {
    const cohortId = await openCohort(10);
    // Gmail ignores dots and +tags: these all reach the inbox ali@gmail.com.
    const aliases = ['A.Li+promo@GoogleMail.com', 'ali@gmail.com', 'a.l.i@gmail.com', 'ali+x@gmail.com'];
    const results = await Promise.all(
      aliases.map((email) => t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(studentInput({ email }))),
    );
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const list = await enrolments(cohortId);
    expect(list).toHaveLength(1);
    // The seat keeps the address as one of them typed it, for mail.
    expect(aliases.map((a) => a.toLowerCase())).toContain(list[0].emailKey);
    // Other providers keep their dots and tags: these are two people.
    await t.http
      .post(`/api/cohorts/${cohortId}/enrollments`)
      .send(studentInput({ email: 'li.na@example.test' }))
      .expect(202);
    await t.http
      .post(`/api/cohorts/${cohortId}/enrollments`)
      .send(studentInput({ email: 'lina@example.test' }))
      .expect(202);
    expect(await enrolments(cohortId)).toHaveLength(3);
  });

  it('never goes over capacity when sign-ups race', async () => {
    const cohortId = await openCohort(25);
    const results = await Promise.all(
      Array.from({ length: 40 }, () => t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(studentInput())),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(25);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect(results.find((r) => r.status === 409)?.body.message).toBe(`cohort ${cohortId} is full`);
    const list = await enrolments(cohortId);
    expect(list.map((e) => e.seat)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('gives one seat to one email even when the same sign-up races with itself', async () => {
    const cohortId = await openCohort(50);
    const input = studentInput();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(input)),
    );
    expect(results.every((r) => r.status === 202)).toBe(true);
    expect(await enrolments(cohortId)).toHaveLength(1);
  });

  it('gives enrolments stored before the single-field unique keys their keys at start, and still one seat per email', async () => {
    const cohortId = await openCohort(10);
    const input = studentInput({ email: 'earlier@example.test' });
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(input).expect(202);
    // As an earlier version stored it: no seatKey, no signupKey.
    const stored = t.connection.collection('cf_enrollments');
    await stored.updateMany({ emailKey: 'earlier@example.test' }, { $unset: { seatKey: '', signupKey: '' } });
    const restarted = await createTestApp({ mongodbUri: t.options.mongodbUri, clock: t.clock });
    try {
      const doc = await stored.findOne({ emailKey: 'earlier@example.test' });
      expect(doc).toMatchObject({ seatKey: `${cohortId}:1`, signupKey: `${cohortId}:earlier@example.test` });
      await restarted.http.post(`/api/cohorts/${cohortId}/enrollments`).send(input).expect(202);
      await restarted.http.post(`/api/cohorts/${cohortId}/enrollments`).send(studentInput()).expect(202);
      expect((await enrolments(cohortId)).map((e) => [e.seat, e.emailKey === 'earlier@example.test'])).toEqual([
        [1, true],
        [2, false],
      ]);
    } finally {
      await restarted.close({ dropDatabase: false });
    }
  });

  it('refuses sign-ups to a draft cohort and after the window closes, with the reason', async () => {
    const draftId = await draftCohort({ name: 'Draft', timezone: 'UTC', capacity: 5 });
    const refused = await t.http.post(`/api/cohorts/${draftId}/enrollments`).send(studentInput()).expect(422);
    expect(refused.body).toMatchObject({
      message: `cohort ${draftId} is not open for sign-ups`,
      details: { code: 'enrollment_not_open' },
    });

    const cohortId = await openCohort(5);
    t.clock.set('2026-03-04T19:00:00Z'); // the first closing class (day 3, 20:00 Berlin)
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(studentInput()).expect(422);
    t.clock.set('2026-02-20T00:00:00Z');
  });

  it('validates the sign-up form and names the field', async () => {
    const cohortId = await openCohort(5);
    const res = await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send({ email: 'x@example.test' }).expect(400);
    expect(res.body.message).toMatch(/^name: /);
    await t.http.post('/api/cohorts/665f1c2e9b1e8a0012345678/enrollments').send(studentInput()).expect(404);
  });

  it('confirms through a signed link for that student only', async () => {
    const cohortId = await openCohort(5);
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(studentInput()).expect(202);
    await t.http.post(`/api/cohorts/${cohortId}/enrollments`).send(studentInput()).expect(202);
    const [mine, theirs] = await enrolments(cohortId);
    const links = t.app.get(SignedLinksService);
    const link = links.issue(mine.studentId, `/api/enrollments/${mine.id}/confirm`, 'confirm');

    await t.http.post(`/api/enrollments/${theirs.id}/confirm`).query({ token: link.token }).expect(403);
    const wrongScope = links.issue(mine.studentId, '/api/me');
    await t.http.post(`/api/enrollments/${mine.id}/confirm`).query({ token: wrongScope.token }).expect(403);

    const confirmed = await t.http.post(`/api/enrollments/${mine.id}/confirm`).query({ token: link.token }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', confirmedAt: '2026-02-20T00:00:00.000Z' });
    t.clock.advance(60_000);
    const twice = await t.http.post(`/api/enrollments/${mine.id}/confirm`).query({ token: link.token }).expect(200);
    expect(twice.body.confirmedAt).toBe('2026-02-20T00:00:00.000Z');
    const after = await enrolments(cohortId);
    expect(after.map((e) => e.status)).toEqual(['confirmed', 'pending']);
  });
});

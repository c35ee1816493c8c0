import { licenseTerms, partnerOrganization } from './factories/license.factory';
import { defaultFunnels } from '../src/funnels/default-funnels';
import { createTestApp, StaffClient, TestApp } from './support/create-test-app';

interface ImportedRow {
  line: number;
  email?: string;
  name?: string;
  outcome: string;
  errors?: { field: string; errors: string[] }[];
  enrollmentId?: string;
}

describe('importing students into a cohort from CSV', () => {
  let t: TestApp;
  let instructor: StaffClient;

  beforeAll(async () => {
    t = await createTestApp();
    instructor = t.asStaff(await t.token('instructor'));
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set('2026-02-20T00:00:00Z'));

  async function draftCohort(capacity: number, client = instructor, funnelId: string = defaultFunnels[1].id) {
    const created = await client
      .post('/api/cohorts', {
        funnelId,
        name: 'Imported cohort',
        startAt: '2026-03-01T12:00:00Z',
        timezone: 'Asia/Shanghai',
        capacity,
      })
      .expect(201);
    return created.body.id as string;
  }

  async function openCohort(capacity = 10, client = instructor, funnelId?: string) {
    const id = await draftCohort(capacity, client, funnelId);
    await client.post(`/api/cohorts/${id}/open`).expect(200);
    return id;
  }

  const importCsv = (cohortId: string, body: object, client = instructor) =>
    client.post(`/api/cohorts/${cohortId}/enrollments/import`, body);

  const enrolments = async (cohortId: string) =>
    (await instructor.get(`/api/cohorts/${cohortId}/enrollments`).expect(200)).body.items as {
      id: string;
      email: string;
      name: string;
      seat: number;
      status: string;
      locale: string;
      timezone: string | null;
    }[];

  const outcomes = (rows: ImportedRow[]) => rows.map((row) => [row.line, row.outcome]);

  const THREE_AND_A_BAD_ONE = [
    'name,email,locale,timezone',
    'Ana Lima,ana@example.test,en,Europe/Lisbon',
    '王芳,wang.fang@example.test,zh-CN,Asia/Shanghai',
    'Bo Chen,bo@example.test,,',
    'Typo,not-an-email,en,',
  ].join('\r\n');

  it('predicts each row on a dry run and writes nothing; the real run enrols; again, nothing new', async () => {
    const cohortId = await openCohort();
    const dry = await importCsv(cohortId, { csv: THREE_AND_A_BAD_ONE, dryRun: true }).expect(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      counts: { new: 3, existing: 0, invalid: 1, duplicate: 0, cohort_full: 0 },
    });
    expect(dry.body.rows).toEqual([
      { line: 2, email: 'ana@example.test', name: 'Ana Lima', outcome: 'new' },
      { line: 3, email: 'wang.fang@example.test', name: '王芳', outcome: 'new' },
      { line: 4, email: 'bo@example.test', name: 'Bo Chen', outcome: 'new' },
      // The same field message the sign-up API gives.
      {
        line: 5,
        email: 'not-an-email',
        name: 'Typo',
        outcome: 'invalid',
        errors: [{ field: 'email', errors: ['email must be an email'] }],
      },
    ]);
    expect(await enrolments(cohortId)).toEqual([]);
    const api = await t.http
      .post(`/api/cohorts/${cohortId}/enrollments`)
      .send({ name: 'Typo', email: 'not-an-email' })
      .expect(400);
    expect(api.body.details.fields).toEqual(dry.body.rows[3].errors);

    const real = await importCsv(cohortId, { csv: THREE_AND_A_BAD_ONE }).expect(200);
    expect(real.body.dryRun).toBe(false);
    expect(real.body.counts).toEqual({ new: 3, existing: 0, invalid: 1, duplicate: 0, cohort_full: 0 });
    expect(outcomes(real.body.rows)).toEqual(outcomes(dry.body.rows));
    const enrolled = await enrolments(cohortId);
    // Seats in file order, each as the sign-up form would make it.
    expect(enrolled.map((e) => [e.seat, e.email, e.status, e.locale, e.timezone])).toEqual([
      [1, 'ana@example.test', 'pending', 'en', 'Europe/Lisbon'],
      [2, 'wang.fang@example.test', 'pending', 'zh-CN', 'Asia/Shanghai'],
      [3, 'bo@example.test', 'pending', 'zh-CN', null],
    ]);
    expect(real.body.rows.slice(0, 3).map((r: ImportedRow) => r.enrollmentId)).toEqual(enrolled.map((e) => e.id));

    // Idempotent: the same file again (one address now in capitals) finds everyone enrolled.
    const again = await importCsv(cohortId, { csv: THREE_AND_A_BAD_ONE.replace('bo@', 'BO@') }).expect(200);
    expect(again.body.counts).toEqual({ new: 0, existing: 3, invalid: 1, duplicate: 0, cohort_full: 0 });
    const dryAgain = await importCsv(cohortId, { csv: THREE_AND_A_BAD_ONE, dryRun: true }).expect(200);
    expect(dryAgain.body.rows.map((r: ImportedRow) => r.enrollmentId)).toEqual([
      ...enrolled.map((e) => e.id),
      undefined,
    ]);
    expect(await enrolments(cohortId)).toHaveLength(3);
  });

  it('reads Chinese headers, and marks a later row with the same address a duplicate', async () => {
    const cohortId = await openCohort();
    const csv =
      '\uFEFF姓名,邮箱,语言,时区\n王芳,wang@example.test,zh-CN,Asia/Shanghai\n李雷,li@example.test,,\n王芳,Wang@Example.test,,\n';
    const res = await importCsv(cohortId, { csv }).expect(200);
    expect(res.body.counts).toEqual({ new: 2, existing: 0, invalid: 0, duplicate: 1, cohort_full: 0 });
    expect(res.body.rows[2]).toEqual({
      line: 4,
      email: 'Wang@Example.test',
      name: '王芳',
      outcome: 'duplicate',
      errors: [{ field: 'email', errors: ['email is already on line 2'] }],
    });
    expect((await enrolments(cohortId)).map((e) => [e.name, e.email])).toEqual([
      ['王芳', 'wang@example.test'],
      ['李雷', 'li@example.test'],
    ]);
  });

  it('fills the seats there are and reports the rest cohort_full, as the dry run said', async () => {
    const cohortId = await openCohort(2);
    const dry = await importCsv(cohortId, { csv: THREE_AND_A_BAD_ONE, dryRun: true }).expect(200);
    expect(outcomes(dry.body.rows)).toEqual([
      [2, 'new'],
      [3, 'new'],
      [4, 'cohort_full'],
      [5, 'invalid'],
    ]);
    const real = await importCsv(cohortId, { csv: THREE_AND_A_BAD_ONE }).expect(200);
    expect(real.body.counts).toEqual({ new: 2, existing: 0, invalid: 1, duplicate: 0, cohort_full: 1 });
    expect(outcomes(real.body.rows)).toEqual(outcomes(dry.body.rows));
    expect(real.body.rows[2]).toEqual({ line: 4, email: 'bo@example.test', name: 'Bo Chen', outcome: 'cohort_full' });
    expect(await enrolments(cohortId)).toHaveLength(2);
    // A full cohort still tells who is in it.
    const again = await importCsv(cohortId, { csv: THREE_AND_A_BAD_ONE, dryRun: true }).expect(200);
    expect(again.body.counts).toMatchObject({ new: 0, existing: 2, cohort_full: 1 });
  });

  it('refuses a cohort that takes no sign-ups, with the reason the sign-up gives', async () => {
    const draftId = await draftCohort(10);
    const refused = await importCsv(draftId, { csv: THREE_AND_A_BAD_ONE, dryRun: true }).expect(422);
    expect(refused.body).toMatchObject({
      message: `cohort ${draftId} is not open for sign-ups`,
      details: { code: 'enrollment_not_open' },
    });
    await importCsv('665f1c2e9b1e8a0012345678', { csv: THREE_AND_A_BAD_ONE }).expect(404);
  });

  it('refuses a body or a file it cannot read, naming csv', async () => {
    const cohortId = await openCohort();
    const missing = await importCsv(cohortId, { dryRun: true }).expect(400);
    expect(missing.body).toMatchObject({
      message: 'csv: csv must be a string',
      details: { code: 'validation_failed' },
    });
    const notText = await importCsv(cohortId, { csv: 42 }).expect(400);
    expect(notText.body.details.fields).toEqual([{ field: 'csv', errors: ['csv must be a string'] }]);
    await importCsv(cohortId, { csv: 'name,email\n', dryRun: 'yes' }).expect(400);

    const noEmail = await importCsv(cohortId, { csv: 'name,phone\nAna,123\n' }).expect(400);
    expect(noEmail.body).toMatchObject({
      message: expect.stringMatching(/^csv: the first row must name the columns name .* it has no email column/),
      details: { code: 'invalid_import', fields: [{ field: 'csv' }] },
    });
    const tooMany = ['name,email', ...Array.from({ length: 2001 }, (_, i) => `S${i},s${i}@example.test`)].join('\n');
    const refused = await importCsv(cohortId, { csv: tooMany }).expect(400);
    expect(refused.body.message).toBe('csv: has 2,001 rows; at most 2,000 can be imported at once');
    expect(await enrolments(cohortId)).toEqual([]);
  });

  it('confirms the places at once when staff say the students agreed: the welcome is queued', async () => {
    const cohortId = await openCohort();
    const csv = 'name,email\nAna,ana.c@example.test\nBo,bo.c@example.test\n';
    const res = await importCsv(cohortId, { csv, confirmed: true }).expect(200);
    expect(res.body.counts).toMatchObject({ new: 2 });
    expect((await enrolments(cohortId)).map((e) => [e.email, e.status])).toEqual([
      ['ana.c@example.test', 'confirmed'],
      ['bo.c@example.test', 'confirmed'],
    ]);
    const queued = (await instructor.get(`/api/outbox?cohortId=${cohortId}&limit=100`).expect(200)).body.items as {
      kind: string;
      to: string;
    }[];
    const kindsTo = (to: string) => queued.filter((m) => m.to.includes(to)).map((m) => m.kind);
    expect(kindsTo('ana.c@example.test')).toContain('welcome');
    // They agreed already: nobody asks them to confirm.
    expect(kindsTo('ana.c@example.test')).not.toContain('confirm');

    // Pending places of an earlier import are confirmed by importing them again with confirmed.
    const pendingId = await openCohort();
    await importCsv(pendingId, { csv }).expect(200);
    const confirmed = await importCsv(pendingId, { csv, confirmed: true }).expect(200);
    expect(confirmed.body.counts).toMatchObject({ existing: 2 });
    expect((await enrolments(pendingId)).map((e) => e.status)).toEqual(['confirmed', 'confirmed']);
  });

  it("keeps a partner to its own organisation's cohorts", async () => {
    const admin = t.asStaff(await t.token('admin'));
    const partner = (name: string) => partnerOrganization(t, admin, name);
    const shenzhen = await partner('Shenzhen Family Learning');
    const guangzhou = await partner('Guangzhou Parents Club');
    const license = await admin.post('/api/licenses', licenseTerms(shenzhen.id, 'CN/44/4403')).expect(201);
    const clone = await shenzhen.staff.post(`/api/licenses/${license.body.id}/clone`).expect(201);
    const theirs = await openCohort(10, shenzhen.staff, clone.body.id as string);
    const platform = await openCohort();

    const csv = 'name,email\nAna,ana.p@example.test\n';
    // Another organisation's cohort, or the platform's, does not exist for a partner.
    await importCsv(theirs, { csv }, guangzhou.staff).expect(404);
    await importCsv(platform, { csv }, shenzhen.staff).expect(404);
    expect(await enrolments(theirs)).toEqual([]);
    const own = await importCsv(theirs, { csv }, shenzhen.staff).expect(200);
    expect(own.body.counts).toMatchObject({ new: 1 });
  });
});

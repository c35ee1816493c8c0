import { StudentsRepository } from '../src/students/students.repository';
import { createTestApp, TestApp } from './support/create-test-app';
import { studentInput } from './factories/student.factory';

describe('hardening: validation, error shape, operator injection, limits, headers', () => {
  let t: TestApp;
  let instructor: string;

  beforeAll(async () => {
    t = await createTestApp({ bodyLimit: '2kb' });
    instructor = await t.token('instructor');
  });
  afterAll(() => t.close());

  const post = (body: unknown) =>
    t.http
      .post('/api/students')
      .auth(instructor, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send(body as object);

  it('refuses a bad body with 400 naming the field, in the standard shape', async () => {
    const res = await post({ ...studentInput(), email: 'not-an-email' }).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'email: email must be an email',
      details: { code: 'validation_failed', fields: [{ field: 'email', errors: ['email must be an email'] }] },
    });
  });

  it('refuses a missing required field and names it', async () => {
    const { name: _omitted, ...withoutName } = studentInput();
    const res = await post(withoutName).expect(400);
    expect(res.body.message).toMatch(/^name: /);
  });

  it('refuses unknown properties instead of silently dropping them', async () => {
    const res = await post({ ...studentInput(), role: 'admin' }).expect(400);
    expect(res.body.message).toBe('role: property role should not exist');
  });

  it('refuses a bad IANA timezone and a bad locale', async () => {
    expect((await post({ ...studentInput(), timezone: 'Mars/Olympus' }).expect(400)).body.message).toMatch(
      /^timezone: /,
    );
    expect((await post({ ...studentInput(), locale: 'xx' }).expect(400)).body.message).toMatch(/^locale: /);
  });

  it('refuses an operator object where a string belongs ({"$ne": ...} in a body)', async () => {
    const res = await post({ ...studentInput(), email: { $ne: '' } }).expect(400);
    expect(res.body.details.fields[0].field).toBe('email');
  });

  it('does not let an operator in the query string widen a listing', async () => {
    await post(studentInput()).expect(201);
    const bracket = await t.http
      .get('/api/students?email[$ne]=nobody@example.test')
      .auth(instructor, { type: 'bearer' });
    // Express 5 parses brackets literally, so the unknown key is refused; an object would be too.
    expect(bracket.status).toBe(400);
    const list = await t.http
      .get('/api/students')
      .query({ email: 'nobody@example.test' })
      .auth(instructor, { type: 'bearer' })
      .expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('neutralises operators at the database layer too (sanitizeFilter)', async () => {
    const existing = await post(studentInput()).expect(201);
    // Bypass HTTP validation and hand the repository an operator object, as a bug elsewhere might.
    const repository = t.app.get(StudentsRepository, { strict: false });
    // sanitizeFilter turns it into {$eq: {$ne: 'x'}}: a literal value, which cannot match (or cast).
    await expect(repository.listPage({ emailKey: { $ne: 'x' } as unknown as string }, 50)).rejects.toThrow(
      /Cast to string failed/,
    );
    await expect(repository.findByEmailKey({ $ne: 'x' } as unknown as string)).rejects.toThrow(/Cast to string failed/);
    expect(existing.body.id).toBeDefined();
  });

  it('refuses filters on paths the schema does not know (strictQuery), instead of matching everything', async () => {
    await post(studentInput()).expect(201);
    const model = t.connection.model('Student');
    await expect(model.find({ notAField: 'x' }).exec()).rejects.toThrow(/notAField/);
  });

  it('answers an invalid id with 400 and an unknown one with 404, both in the standard shape', async () => {
    const bad = await t.http.get('/api/students/not-an-id').auth(instructor, { type: 'bearer' }).expect(400);
    expect(bad.body.message).toBe('id: id must be a mongodb id');
    const missing = await t.http
      .get('/api/students/665f1c2e9b1e8a0012345678')
      .auth(instructor, { type: 'bearer' })
      .expect(404);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'student 665f1c2e9b1e8a0012345678 not found',
      details: { code: 'student_not_found' },
    });
  });

  it('gives every error one details shape, {code, fields?, info?}, and documents it in OpenAPI', async () => {
    // A domain rule about one field names it like validation does; facts go in info.
    const cohortId = '665f1c2e9b1e8a0012345678';
    const unauthenticated = await t.http.get('/api/students').expect(401);
    expect(unauthenticated.body.details).toEqual({ code: 'unauthorized' });
    const route = await t.http.get('/api/no-such-route').auth(instructor, { type: 'bearer' }).expect(404);
    expect(route.body.details).toEqual({ code: 'not_found' });
    const window = await t.http
      .post('/api/cohorts')
      .auth(instructor, { type: 'bearer' })
      .send({
        funnelId: cohortId,
        name: 'x',
        startAt: '2026-03-05T00:00:00Z',
        timezone: 'UTC',
        capacity: 5,
        enrollmentOpensAt: '2026-03-04T00:00:00Z',
        enrollmentClosesAt: '2026-03-03T00:00:00Z',
      })
      .expect(400);
    expect(window.body.details).toEqual({
      code: 'invalid_cohort',
      fields: [{ field: 'enrollmentClosesAt', errors: ['must be after enrollmentOpensAt'] }],
    });
    for (const body of [unauthenticated.body, route.body, window.body]) {
      expect(Object.keys(body).sort()).toEqual(['details', 'error', 'message', 'statusCode']);
    }

    const spec = (await t.http.get('/docs/openapi.json').expect(200)).body;
    expect(spec.components.schemas.ApiErrorDetails.properties).toMatchObject({
      code: { type: 'string' },
      fields: { type: 'array', items: { $ref: '#/components/schemas/FieldErrorDoc' } },
    });
    expect(spec.paths['/api/students'].post.responses.default.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ApiErrorBody',
    });
  });

  it('refuses deeply nested JSON with 400 before validation, on staff and public routes alike', async () => {
    // 900 levels in 1.8 KB: the recursive transform would run out of stack (a 500) on deeper input.
    const deep = `{"email":"deep@example.test","name":"Deep","tags":${'['.repeat(900)}${']'.repeat(900)}}`;
    for (const path of ['/api/students', '/api/cohorts/665000000000000000000001/enrollments']) {
      const refused = await t.http
        .post(path)
        .auth(instructor, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(deep);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        statusCode: 400,
        message: 'body: nests deeper than 32 levels',
        details: { code: 'too_deep', fields: [{ field: 'body', errors: ['nests deeper than 32 levels'] }] },
      });
    }
    // Ordinary nesting still reaches validation, which names the field as before.
    const shallow = await post({ ...studentInput(), tags: [[['x']]] });
    expect(shallow.status).toBe(400);
    expect(shallow.body.message).toContain('tags');
  });

  it('refuses malformed JSON with 400 and an oversized body with 413, storing nothing', async () => {
    const malformed = await t.http
      .post('/api/students')
      .auth(instructor, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: { code: 'bad_request' } });

    const big = studentInput({ name: 'x'.repeat(5000) });
    const tooLarge = await post(big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({
      statusCode: 413,
      error: 'Payload Too Large',
      details: { code: 'payload_too_large' },
    });
    const list = await t.http
      .get('/api/students')
      .query({ email: big.email })
      .auth(instructor, { type: 'bearer' })
      .expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('is idempotent per email: a second registration returns the same student with 200', async () => {
    const input = studentInput({ email: 'Same.Person@Example.test' });
    const first = await post(input).expect(201);
    const second = await post({ ...input, email: ' same.person@example.TEST ', name: 'Other Name' }).expect(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.name).toBe(input.name);
  });

  it('creates one student when the same email registers many times at once', async () => {
    const input = studentInput();
    const results = await Promise.all(Array.from({ length: 10 }, () => post(input)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(results.map((r) => r.body.id as string)).size).toBe(1);
    expect(await t.connection.collection('cf_students').countDocuments({ emailKey: input.email })).toBe(1);
  });

  it('sets security headers (helmet) and a request id', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('asks browsers to upgrade to https only when the public address is https', async () => {
    // This app's address is http://localhost:3000: a phone on the LAN must be able to post forms.
    const plain = await t.http.get('/health').expect(200);
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const secure = await createTestApp({
      mongodbUri: t.options.mongodbUri,
      overrides: { publicBaseUrl: 'https://course.example.com' },
    });
    try {
      const res = await secure.http.get('/health').expect(200);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
    } finally {
      await secure.close({ dropDatabase: false });
    }
  });
});

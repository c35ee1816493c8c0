import { Type } from '@nestjs/common';
import { createValidationPipe } from '../src/common/validation';
import { EnrollDto } from '../src/enrollments/dto/enroll.dto';
import { ImportEnrollmentsDto } from '../src/enrollments/dto/import-enrollments.dto';
import { CreateCohortDto } from '../src/cohorts/dto/create-cohort.dto';
import { FunnelContentDto } from '../src/funnels/dto/funnel-content.dto';
import { GradeHomeworkDto, SubmitHomeworkDto } from '../src/homework/dto/homework.dto';
import { IssueLicenseDto } from '../src/licenses/dto/license.dto';
import { MarkAttendanceDto } from '../src/attendance/dto/attendance.dto';
import { PlaceOrderDto } from '../src/orders/dto/order.dto';
import { CreateQuoteDto } from '../src/pricing/dto/pricing.dto';
import { createTestApp, TestApp } from './support/create-test-app';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { description?: string }>;
  requestBody?: { content: Record<string, { examples?: Record<string, { value: object }> }> };
}

/** The main bodies, with the DTO their route validates them against. */
const EXAMPLE_BODIES: [method: string, path: string, dto: Type][] = [
  ['post', '/api/funnels', FunnelContentDto],
  ['post', '/api/cohorts', CreateCohortDto],
  ['post', '/api/cohorts/{id}/enrollments', EnrollDto],
  ['post', '/api/cohorts/{id}/enrollments/import', ImportEnrollmentsDto],
  ['post', '/api/me/enrollments/{id}/lessons/{lessonKey}/homework', SubmitHomeworkDto],
  ['put', '/api/homework/{id}/grade', GradeHomeworkDto],
  ['put', '/api/cohorts/{id}/enrollments/{enrollmentId}/attendance/{lessonKey}', MarkAttendanceDto],
  ['post', '/api/me/quotes', CreateQuoteDto],
  ['post', '/api/me/orders', PlaceOrderDto],
  ['post', '/api/licenses', IssueLicenseDto],
];

describe('the OpenAPI document, as a newcomer reads it on /docs', () => {
  let t: TestApp;
  let doc: {
    tags: { name: string; description?: string }[];
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, Record<string, string>> };
  };
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({ path, method, op })),
    );

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/docs/openapi.json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('gives every operation a summary, a description and a tag, and every tag a description', () => {
    expect(operations().length).toBeGreaterThan(80);
    const undocumented = operations()
      .filter(({ op }) => !op.summary?.trim() || !op.description?.trim() || !op.tags?.length)
      .map(({ method, path }) => `${method} ${path}`);
    expect(undocumented).toEqual([]);
    const declared = new Map(doc.tags.map((tag) => [tag.name, tag.description ?? '']));
    const used = new Set(operations().flatMap(({ op }) => op.tags ?? []));
    for (const tag of used) expect([tag, (declared.get(tag) ?? '').length > 20]).toEqual([tag, true]);
  });

  it('names the staff token as it is (cf_..., not a JWT) and the student link in query or header', () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'cf_…' });
    expect(JSON.stringify(schemes)).not.toMatch(/JWT/i);
    expect(schemes['student-link']).toMatchObject({ type: 'apiKey', in: 'query', name: 'token' });
    expect(schemes['student-link-header']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Student-Token' });

    const security = (method: string, path: string) =>
      (doc.paths[path][method].security ?? []).map((requirement) => Object.keys(requirement)[0]);
    // A staff route: the bearer scheme, and who may call it in its 403.
    expect(security('post', '/api/cohorts')).toEqual(['bearer']);
    expect(doc.paths['/api/cohorts'].post.responses['403'].description).toBe(
      "The token's role is not one of: admin, instructor, partner",
    );
    // A student route: either form of the signed link, and which links open it.
    expect(security('get', '/api/me/price')).toEqual(['student-link', 'student-link-header']);
    expect(doc.paths['/api/me/price'].get.responses['401'].description).toContain('student, lesson, offer');
    // Public routes: nothing to send.
    expect(security('post', '/api/cohorts/{id}/enrollments')).toEqual([]);
    expect(security('get', '/health')).toEqual([]);
    // Every route but the public ones says how to authenticate, and the link token is a scheme, not a parameter.
    const unsecured = operations()
      .filter(({ op }) => !op.security?.length)
      .map(({ method, path }) => `${method} ${path}`);
    expect(unsecured.sort()).toEqual([
      'get /health',
      'post /api/cohorts/{id}/enrollments',
      'post /api/payments/webhook',
    ]);
    const tokenParameters = operations().filter(({ op }) => op.parameters?.some((p) => p.name === 'token'));
    expect(tokenParameters).toEqual([]);
  });

  it('shows a whole example on the main bodies, and each passes its route’s own validation', async () => {
    const pipe = createValidationPipe();
    for (const [method, path, dto] of EXAMPLE_BODIES) {
      const examples = doc.paths[path][method].requestBody?.content['application/json'].examples ?? {};
      const values = Object.values(examples).map((e) => e.value);
      expect([path, values.length]).toEqual([path, 1]);
      await expect(pipe.transform(values[0], { type: 'body', metatype: dto })).resolves.toBeInstanceOf(dto);
    }
    const funnel = doc.paths['/api/funnels'].post.requestBody?.content['application/json'].examples?.['example'];
    expect((funnel?.value as { lessons: unknown[] }).lessons).toHaveLength(7);
  });
});

import { Logger } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, DomainErrorKind, NotFoundError } from '../common/domain-error';
import { LicenseError } from '../licenses/licenses.errors';
import { OrderError } from '../orders/orders.errors';
import { toErrorBody } from './api-exception.filter';

const request = (headers: Record<string, string> = {}) =>
  ({ headers, method: 'POST', path: '/api/things' }) as unknown as Request;

describe('toErrorBody', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it.each<[DomainErrorKind, number, string]>([
    ['invalid', 400, 'Bad Request'],
    ['unauthorized', 401, 'Unauthorized'],
    ['forbidden', 403, 'Forbidden'],
    ['not_found', 404, 'Not Found'],
    ['conflict', 409, 'Conflict'],
    ['rule', 422, 'Unprocessable Entity'],
    ['too_many', 429, 'Too Many Requests'],
  ])('answers a %s DomainError with %i, its code, message and extra', (kind, statusCode, error) => {
    const fields = [{ field: 'a', errors: ['is wrong'] }];
    const body = toErrorBody(new DomainError(kind, 'some_code', 'a: is wrong', { fields, info: { n: 1 } }), request());
    expect(body).toEqual({
      statusCode,
      error,
      message: 'a: is wrong',
      details: { code: 'some_code', fields, info: { n: 1 } },
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it("gives a feature's error the kind its code has", () => {
    expect(toErrorBody(new OrderError('signature_stale', 'too old'), request())).toMatchObject({
      statusCode: 401,
      details: { code: 'signature_stale' },
    });
    expect(toErrorBody(new LicenseError('busy', 'try again'), request())).toMatchObject({
      statusCode: 409,
      details: { code: 'busy' },
    });
    expect(toErrorBody(new NotFoundError('cohort', 'c1'), request())).toMatchObject({
      statusCode: 404,
      message: 'cohort c1 not found',
      details: { code: 'cohort_not_found' },
    });
  });

  it('answers any other error with a generic 500 that quotes a correlation id and logs the stack', () => {
    const secret = new Error('connect ECONNREFUSED 10.0.0.7:27017 (user admin)');
    const body = toErrorBody(secret, request({ 'x-request-id': 'req-42' }));
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Unexpected error; quote correlation id req-42 when reporting it',
      details: { code: 'internal_error', info: { correlationId: 'req-42' } },
    });
    expect(JSON.stringify(body)).not.toContain('ECONNREFUSED');
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ correlationId: 'req-42', path: '/api/things' }),
      expect.stringContaining('ECONNREFUSED'),
    );
  });

  it('answers a thrown non-Error with a 500 too, under a fresh correlation id', () => {
    const body = toErrorBody('boom', request());
    expect(body.statusCode).toBe(500);
    expect(body.details.code).toBe('internal_error');
    expect(body.message).not.toContain('boom');
    expect(body.details.info?.['correlationId']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes only its own codes, so a misspelt one does not compile', () => {
    // @ts-expect-error 'licence_revoked' is not a LicenseErrorCode
    expect(new LicenseError('licence_revoked', 'x').code).toBe('licence_revoked');
  });
});

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Error as MongooseError } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError, DomainErrorKind } from '../common/domain-error';
import { FieldError, FieldErrorDoc } from '../common/validation';

/** `details` of every error: a stable code, the fields at fault when there are any, other facts. */
export class ApiErrorDetails {
  @ApiProperty({ example: 'validation_failed', description: 'Stable and machine-readable; switch on this' })
  code!: string;

  @ApiPropertyOptional({
    type: [FieldErrorDoc],
    description: 'Each field at fault (a dotted path into the body or query) with its messages',
  })
  fields?: FieldError[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "Facts of this error's code" })
  info?: Record<string, unknown>;
}

/** The single error body every route of the module answers with. */
export class ApiErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'email: email must be an email', description: 'For people: the first field at fault first' })
  message!: string;

  @ApiProperty({ type: ApiErrorDetails })
  details!: ApiErrorDetails;
}

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  rule: HttpStatus.UNPROCESSABLE_ENTITY,
  too_many: HttpStatus.TOO_MANY_REQUESTS,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function reasonPhrase(status: number): string {
  return REASON[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

/** The code of an error that brought none of its own: its reason phrase, e.g. `payload_too_large`. */
function codeOf(status: number): string {
  return reasonPhrase(status)
    .toLowerCase()
    .replace(/[^a-z]+/g, '_');
}

function isDetails(value: unknown): value is ApiErrorDetails {
  return typeof (value as { code?: unknown } | null)?.code === 'string';
}

/** Reads Nest's HttpException payloads ({message: string | string[], details?}) into one string. */
function fromHttpException(exception: HttpException): ApiErrorBody {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  const base = { statusCode, error: reasonPhrase(statusCode), details: { code: codeOf(statusCode) } };
  if (typeof response === 'string') return { ...base, message: response };
  const body = response as { message?: unknown; details?: unknown };
  const message = Array.isArray(body.message)
    ? body.message.join('; ')
    : typeof body.message === 'string'
      ? body.message
      : exception.message;
  return { ...base, message, ...(isDetails(body.details) ? { details: body.details } : {}) };
}

/** Body-parser and other express-level errors carry a numeric `status` and an `expose` flag. */
function isExposedHttpError(error: unknown): error is { status: number; message: string } {
  const candidate = error as { status?: unknown; expose?: unknown } | null;
  return (
    typeof candidate?.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    candidate.expose === true
  );
}

const logger = new Logger('Http');

/**
 * Maps every error to `{statusCode, error, message, details: {code, fields?, info?}}`. Unknown errors become a 500 with a
 * correlation id that is logged together with the stack, never leaked to the client.
 */
export function toErrorBody(exception: unknown, request: Request): ApiErrorBody {
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  if (exception instanceof DomainError) {
    const statusCode = STATUS_BY_KIND[exception.kind];
    return {
      statusCode,
      error: reasonPhrase(statusCode),
      message: exception.message,
      details: { code: exception.code, ...exception.extra },
    };
  }
  if (exception instanceof MongooseError.CastError) {
    // Input validation should stop these first; if one slips through it is still bad input.
    return {
      statusCode: 400,
      error: reasonPhrase(400),
      message: `${exception.path}: invalid value`,
      details: { code: 'invalid_value', fields: [{ field: exception.path, errors: ['invalid value'] }] },
    };
  }
  if (isExposedHttpError(exception)) {
    return {
      statusCode: exception.status,
      error: reasonPhrase(exception.status),
      message: exception.message,
      details: { code: codeOf(exception.status) },
    };
  }
  const correlationId = (request.headers['x-request-id'] as string | undefined) ?? randomUUID();
  logger.error(
    { msg: 'unhandled error', correlationId, method: request.method, path: request.path },
    exception instanceof Error ? exception.stack : String(exception),
  );
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    error: reasonPhrase(500),
    message: `Unexpected error; quote correlation id ${correlationId} when reporting it`,
    details: { code: 'internal_error', info: { correlationId } },
  };
}

/** The API's error filter: the body above, as JSON. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const body = toErrorBody(exception, http.getRequest<Request>());
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }
}

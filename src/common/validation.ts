import { ApiProperty } from '@nestjs/swagger';
import { ArgumentMetadata, BadRequestException, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldError {
  field: string;
  errors: string[];
}

/** FieldError as OpenAPI shows it. */
export class FieldErrorDoc implements FieldError {
  @ApiProperty({ example: 'lessons.2.body' })
  field!: string;

  @ApiProperty({ type: [String], example: ['body must be shorter than or equal to 20000 characters'] })
  errors!: string[];
}

/** Flattens nested class-validator errors into `field.path: [messages]`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Decorators run bottom-up and we stop at the first failure per property, so DTOs put the type
 * check (`@IsString`, `@IsInt`, `@IsEmail`) directly above the property: a wrong type is reported
 * as such rather than as a failed length or range.
 *
 * Strict input handling for every route: unknown properties are refused, values are
 * transformed to their DTO types, and the 400 names the offending field first.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      const first = fields[0];
      const message = first ? `${first.field}: ${first.errors[0]}` : 'Invalid request';
      return new BadRequestException({ message, details: { code: 'validation_failed', fields } });
    },
  });
}

/** Deepest nesting of objects and arrays a request may carry; real DTOs need fewer than 6. */
export const MAX_INPUT_DEPTH = 32;

/** Whether a parsed JSON value nests objects or arrays deeper than `max` (checked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Runs before validation: input nested past MAX_INPUT_DEPTH is refused with a 400 naming where it
 * came from, before the recursive transform and validation could exhaust the stack (a 500).
 */
export class NestingLimitPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
      const field = metadata.type === 'custom' ? 'input' : metadata.type;
      const error = `nests deeper than ${MAX_INPUT_DEPTH} levels`;
      throw new BadRequestException({
        message: `${field}: ${error}`,
        details: { code: 'too_deep', fields: [{ field, errors: [error] }] },
      });
    }
    return value;
  }
}

export type Validated<T> = { ok: true; value: T } | { ok: false; fields: FieldError[] };

/**
 * Validates a plain object (a console form, a CSV row) with the same pipe and the same field
 * errors as an API body, so every surface refuses input for the same reasons in the same words.
 */
export async function validateDto<T extends object>(dto: new () => T, plain: unknown): Promise<Validated<T>> {
  try {
    const value = (await createValidationPipe().transform(plain, { type: 'body', metatype: dto })) as T;
    return { ok: true, value };
  } catch (error) {
    if (error instanceof BadRequestException) {
      const body = error.getResponse() as { details?: { fields?: FieldError[] } };
      return { ok: false, fields: body.details?.fields ?? [{ field: 'input', errors: [error.message] }] };
    }
    throw error;
  }
}

import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

export interface FieldError {
  field: string;
  errors: string[];
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
      const details = flattenValidationErrors(errors);
      const first = details[0];
      const message = first ? `${first.field}: ${first.errors[0]}` : 'Invalid request';
      return new BadRequestException({ message, details });
    },
  });
}

import { Type } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';

/**
 * A request body's schema with one whole, valid example, which Swagger UI fills in for "Try it
 * out" (property examples alone leave out the nested parts: a funnel's lessons, a license's terms).
 */
export function ApiBodyExample(type: Type, summary: string, value: object): MethodDecorator {
  return ApiBody({ type, examples: { example: { summary, value } } });
}

import { applyDecorators, Controller, ExceptionFilter, Type, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiDefaultResponse, ApiTags } from '@nestjs/swagger';
import { AccessGuard } from '../auth/access.guard';
import { PublicRateLimitGuard } from '../rate-limit/public-rate-limit.guard';
import { ApiErrorBody, ApiExceptionFilter } from './api-exception.filter';
import { OrganizationScopeGuard } from '../auth/organization-scope';
import { createValidationPipe, NestingLimitPipe } from '../common/validation';

const validationPipe = createValidationPipe();
const nestingLimitPipe = new NestingLimitPipe();

/**
 * Every controller of the module uses this instead of `@Controller`. The validation pipe, the
 * error shape, rate limiting and access control travel with the controllers rather than being
 * registered globally, so mounting the module never changes how a host application's own routes
 * behave.
 */
export function ApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    ModuleController(path, ApiExceptionFilter),
    ApiTags(tag),
    ApiDefaultResponse({
      type: ApiErrorBody,
      description: 'Any error (4xx, 5xx): one shape; `details.code` says which, `details.fields` names the fields',
    }),
  );
}

/** What every controller of the module shares; `errorFilter` decides how errors are shown (JSON, page). */
export function ModuleController(path: string, errorFilter: Type<ExceptionFilter>): ClassDecorator {
  return applyDecorators(
    Controller(path),
    UseFilters(errorFilter),
    UseGuards(PublicRateLimitGuard, AccessGuard, OrganizationScopeGuard),
    UsePipes(nestingLimitPipe, validationPipe),
  );
}

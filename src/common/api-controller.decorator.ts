import { applyDecorators, Controller, ExceptionFilter, Type, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccessGuard } from '../auth/access.guard';
import { PublicRateLimitGuard } from '../rate-limit/public-rate-limit.guard';
import { ApiExceptionFilter } from './api-exception.filter';
import { OrganizationScopeGuard } from './organization-scope';
import { createValidationPipe, NestingLimitPipe } from './validation';

const validationPipe = createValidationPipe();
const nestingLimitPipe = new NestingLimitPipe();

/**
 * Every controller of the module uses this instead of `@Controller`. The validation pipe, the
 * error shape, rate limiting and access control travel with the controllers rather than being
 * registered globally, so mounting the module never changes how a host application's own routes
 * behave.
 */
export function ApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(ModuleController(path, ApiExceptionFilter), ApiTags(tag));
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

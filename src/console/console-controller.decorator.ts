import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { ModuleController } from '../http/api-controller.decorator';
import { ConsoleExceptionFilter } from './console-exception.filter';

/** Console pages show one staff member's data: never kept by a browser or proxy cache. */
@Injectable()
export class NoStoreInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    return next.handle();
  }
}

/**
 * A controller of console pages: the module's guards (the same roles and partner scoping as the
 * API), errors as pages, out of the API docs, and never cached.
 */
export function ConsoleController(path: string): ClassDecorator {
  return applyDecorators(
    ModuleController(path, ConsoleExceptionFilter),
    ApiExcludeController(),
    UseInterceptors(NoStoreInterceptor),
  );
}

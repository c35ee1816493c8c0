import { applyDecorators } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ModuleController } from '../http/api-controller.decorator';
import { PageExceptionFilter } from './page-exception.filter';

/** A controller of server-rendered student pages: errors shown as pages, not in the API docs. */
export function PageController(path: string): ClassDecorator {
  return applyDecorators(ModuleController(path, PageExceptionFilter), ApiExcludeController());
}

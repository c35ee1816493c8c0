import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorBody } from '../http/api-exception.filter';
import { SUPPORTED_LOCALES, Locale } from '../common/locale';
import { PAGE_TEXT } from './page-text';
import { PageRenderer } from './page.renderer';

/**
 * Student pages answer errors (an expired link, an unknown enrolment) with a readable page in the
 * reader's language and the same status code the API would use.
 */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  constructor(private readonly pages: PageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception, request);
    if (response.headersSent) return;
    const locale: Locale = request.acceptsLanguages([...SUPPORTED_LOCALES]) === 'en' ? 'en' : 'zh-CN';
    response
      .status(body.statusCode)
      .type('html')
      .send(this.pages.message(locale, { title: PAGE_TEXT[locale].problemTitle, paragraphs: [body.message] }));
  }
}

import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { RequestWithPrincipal } from '../auth/access.decorators';
import { toErrorBody } from '../http/api-exception.filter';
import { frameOf } from './console-frame';
import { ConsoleRenderer } from './console.renderer';

/**
 * Console errors: no session (or an ended one) goes to sign-in and comes back after; a refused
 * role, a missing resource or a stale form is a page in the reader's language with the status the
 * API would give. Forms show their own field errors in place, so a 400 here is rare.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  constructor(private readonly renderer: ConsoleRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<RequestWithPrincipal>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const body = toErrorBody(exception, request);
    const frame = frameOf(request);
    if (body.details.code === 'console_session_required') {
      const next = request.method === 'GET' ? request.originalUrl : frame.root;
      response.redirect(303, `${frame.root}/sign-in?next=${encodeURIComponent(next)}`);
      return;
    }
    const text = this.renderer.text(frame.locale);
    const message =
      body.details.code === 'csrf_failed'
        ? text.csrfFailed
        : body.statusCode === 403
          ? text.notAllowed
          : body.statusCode === 404
            ? text.notFound
            : body.message;
    response
      .status(body.statusCode)
      .type('html')
      .send(this.renderer.page(frame, null, text.problemTitle, 'problem', { message }));
  }
}

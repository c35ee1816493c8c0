import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { parseCookie } from 'cookie';
import type { RequestWithPrincipal } from '../auth/access.decorators';
import { Locale } from '../common/locale';
import { readerLocale } from '../pages/page-text';
import { ConsoleFrame } from './console.renderer';

/** The console's language choice (the switch in the header), else the browser's. */
export const CONSOLE_LOCALE_COOKIE = 'cf_console_locale';

/** The console's root path: `/console`, or below the route prefix a host application mounts it at. */
export function consoleRoot(request: { originalUrl: string }): string {
  const path = request.originalUrl.split('?')[0];
  const at = path.indexOf('/console');
  return `${at > 0 ? path.slice(0, at) : ''}/console`;
}

/** The page's own address without a CSRF token an upload form put in it (it is not to travel on). */
function withoutCsrf(url: string): string {
  const [path, query] = url.split('?');
  if (!query) return url;
  const params = new URLSearchParams(query);
  params.delete('_csrf');
  const rest = params.toString();
  return rest ? `${path}?${rest}` : path;
}

export function frameOf(request: RequestWithPrincipal): ConsoleFrame {
  const chosen = parseCookie(request.headers.cookie ?? '')[CONSOLE_LOCALE_COOKIE];
  const locale: Locale = chosen === 'en' || chosen === 'zh-CN' ? chosen : readerLocale(request);
  const principal = request.principal;
  return {
    locale,
    root: consoleRoot(request),
    here: withoutCsrf(request.originalUrl),
    staff: principal?.kind === 'staff' ? principal : null,
    csrfToken: request.consoleCsrfToken ?? null,
  };
}

/** The frame of the page being rendered: locale, root, who is signed in and the CSRF token. */
export const Frame = createParamDecorator((_: unknown, ctx: ExecutionContext): ConsoleFrame =>
  frameOf(ctx.switchToHttp().getRequest<RequestWithPrincipal>()),
);

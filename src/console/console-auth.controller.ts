import { Body, Get, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';
import { ConsoleStaff, PublicRoute, RequestWithPrincipal } from '../auth/access.decorators';
import { ScopedByCaller } from '../auth/organization-scope';
import { ConsoleSessionsService } from '../auth/console-sessions.service';
import {
  CONSOLE_SESSION_COOKIE,
  CONSOLE_SESSION_TTL_MS,
  CONSOLE_SIGN_IN_COOKIE,
  CSRF_FIELD,
  newConsoleSecret,
  safeConsoleReturn,
  sameToken,
} from '../auth/console-session.rules';
import { SUPPORTED_LOCALES } from '../common/locale';
import { ConsoleController } from './console-controller.decorator';
import { CONSOLE_LOCALE_COOKIE, Frame } from './console-frame';
import { PostedForm, textOf } from './console-forms';
import { ConsoleFrame, ConsoleRenderer } from './console.renderer';

const YEAR_S = 365 * 24 * 3600;

/**
 * Signing in and out. The session cookie is httpOnly and SameSite=Strict, scoped to the console's
 * path, Secure behind https. The sign-in forms come before any session, so they carry a
 * double-submit token (a cookie the form repeats) instead of the session's CSRF token.
 */
@ConsoleController('console')
export class ConsoleAuthController {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly renderer: ConsoleRenderer,
  ) {}

  @Get('sign-in')
  @PublicRoute()
  signInPage(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    this.sendSignIn(res, req, frame, HttpStatus.OK, { next: safeConsoleReturn(next, frame.root) });
  }

  @Post('sign-in')
  @PublicRoute()
  async signIn(@Body() form: PostedForm, @Req() req: Request, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    const next = safeConsoleReturn(textOf(form, 'next'), frame.root);
    if (!this.signInFormIsOurs(req, form)) return this.refuseStaleForm(res, req, frame, next);
    const signIn = await this.sessions.signInWithToken(textOf(form, 'token'));
    if (!signIn) {
      const text = this.renderer.text(frame.locale);
      return this.sendSignIn(res, req, frame, HttpStatus.UNAUTHORIZED, { next, problem: text.signIn.invalid });
    }
    this.startSession(req, res, frame, signIn.secret);
    res.redirect(HttpStatus.SEE_OTHER, next);
  }

  /** The link's page only shows who it signs in; a GET never uses it (mail scanners follow links). */
  @Get('sign-in/link')
  @PublicRoute()
  async linkPage(
    @Query('token') token: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    const staff =
      typeof token === 'string' && token.length <= 100 ? await this.sessions.describeSignInLink(token) : null;
    const text = this.renderer.text(frame.locale);
    const signInCsrf = this.signInCookie(req, res, frame);
    res
      .status(staff ? HttpStatus.OK : HttpStatus.NOT_FOUND)
      .type('html')
      .send(
        this.renderer.page(frame, null, text.signIn.linkTitle, 'sign-in-link', {
          staff,
          role: staff ? text.roles[staff.role] : null,
          token,
          signInCsrf,
        }),
      );
  }

  @Post('sign-in/link')
  @PublicRoute()
  async signInWithLink(
    @Body() form: PostedForm,
    @Req() req: Request,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    if (!this.signInFormIsOurs(req, form)) return this.refuseStaleForm(res, req, frame, frame.root);
    const signIn = await this.sessions.signInWithLink(textOf(form, 'token'));
    if (!signIn) {
      const text = this.renderer.text(frame.locale);
      res
        .status(HttpStatus.NOT_FOUND)
        .type('html')
        .send(this.renderer.page(frame, null, text.signIn.linkTitle, 'sign-in-link', { staff: null }));
      return;
    }
    this.startSession(req, res, frame, signIn.secret);
    res.redirect(HttpStatus.SEE_OTHER, frame.root);
  }

  @Post('sign-out')
  @ConsoleStaff('instructor', 'partner')
  @ScopedByCaller()
  async signOut(@Req() req: RequestWithPrincipal, @Res() res: Response, @Frame() frame: ConsoleFrame) {
    const secret = parseCookie(req.headers.cookie ?? '')[CONSOLE_SESSION_COOKIE];
    if (secret) await this.sessions.signOut(secret);
    res.append('Set-Cookie', this.cookie(req, frame, CONSOLE_SESSION_COOKIE, '', { maxAge: 0 }));
    res.redirect(HttpStatus.SEE_OTHER, `${frame.root}/sign-in`);
  }

  /** The language switch in the header: remembered for a year, then back to the same page. */
  @Get('lang/:locale')
  @PublicRoute()
  chooseLanguage(
    @Param('locale') locale: string,
    @Query('next') next: unknown,
    @Req() req: Request,
    @Res() res: Response,
    @Frame() frame: ConsoleFrame,
  ) {
    if ((SUPPORTED_LOCALES as readonly string[]).includes(locale)) {
      res.append(
        'Set-Cookie',
        this.cookie(req, frame, CONSOLE_LOCALE_COOKIE, locale, { maxAge: YEAR_S, sameSite: 'lax' }),
      );
    }
    res.redirect(HttpStatus.SEE_OTHER, safeConsoleReturn(next, frame.root));
  }

  private sendSignIn(res: Response, req: Request, frame: ConsoleFrame, status: number, view: object): void {
    const text = this.renderer.text(frame.locale);
    const signInCsrf = this.signInCookie(req, res, frame);
    res
      .status(status)
      .type('html')
      .send(this.renderer.page(frame, null, text.signIn.title, 'sign-in', { ...view, signInCsrf }));
  }

  private refuseStaleForm(res: Response, req: Request, frame: ConsoleFrame, next: string): void {
    const text = this.renderer.text(frame.locale);
    this.sendSignIn(res, req, frame, HttpStatus.FORBIDDEN, { next, problem: text.csrfFailed });
  }

  /** The pre-session token: the browser's cookie, or a new one set now. */
  private signInCookie(req: Request, res: Response, frame: ConsoleFrame): string {
    const existing = parseCookie(req.headers.cookie ?? '')[CONSOLE_SIGN_IN_COOKIE];
    if (existing && /^[\w-]{43}$/.test(existing)) return existing;
    const token = newConsoleSecret();
    res.append('Set-Cookie', this.cookie(req, frame, CONSOLE_SIGN_IN_COOKIE, token, { maxAge: 3600 }));
    return token;
  }

  private signInFormIsOurs(req: Request, form: PostedForm): boolean {
    const cookie = parseCookie(req.headers.cookie ?? '')[CONSOLE_SIGN_IN_COOKIE];
    return cookie !== undefined && sameToken(cookie, form[CSRF_FIELD]);
  }

  private startSession(req: Request, res: Response, frame: ConsoleFrame, secret: string): void {
    // Max-Age, not Expires: the browser's clock need not agree with ours; the server ends the
    // session at its own expiresAt either way.
    const maxAge = CONSOLE_SESSION_TTL_MS / 1000;
    res.append('Set-Cookie', this.cookie(req, frame, CONSOLE_SESSION_COOKIE, secret, { maxAge }));
    res.append('Set-Cookie', this.cookie(req, frame, CONSOLE_SIGN_IN_COOKIE, '', { maxAge: 0 }));
  }

  /** Secure when the browser came over https (directly, or through a proxy the app trusts). */
  private cookie(
    req: Request,
    frame: ConsoleFrame,
    name: string,
    value: string,
    extra: { maxAge: number; sameSite?: 'lax' },
  ): string {
    return stringifySetCookie({
      name,
      value,
      path: frame.root,
      httpOnly: true,
      sameSite: extra.sameSite ?? 'strict',
      secure: req.secure,
      maxAge: extra.maxAge,
    });
  }
}

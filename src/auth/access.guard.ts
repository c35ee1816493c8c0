import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_RULE, AccessRule, RequestWithPrincipal } from './access.decorators';
import { isLoopbackAddress } from './loopback.rules';
import { ApiTokensService } from './api-tokens.service';
import { SignedLinksService } from './signed-links.service';
import { parseCookie } from 'cookie';
import { StaffPrincipal, StaffRole } from './access.decorators';
import { AuthError } from './auth.errors';
import { ConsoleSessionsService } from './console-sessions.service';
import { CONSOLE_SESSION_COOKIE, CSRF_FIELD, CSRF_HEADER, sameToken } from './console-session.rules';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const LINK_REFUSAL: Record<'malformed' | 'bad_signature' | 'expired', string> = {
  malformed: 'This link is not valid',
  bad_signature: 'This link is not valid',
  expired: 'This link has expired; ask for a new one',
};

/** Enforces the access rule every route declares; a route without one is refused (deny by default). */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiTokens: ApiTokensService,
    private readonly links: SignedLinksService,
    private readonly consoleSessions: ConsoleSessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    if (!rule) throw new ForbiddenException('This route declares no access rule');
    switch (rule.kind) {
      case 'public':
        return true;
      case 'staff':
        if (rule.orLoopback && !request.headers.authorization && isLoopbackAddress(request.socket?.remoteAddress)) {
          return true;
        }
        return this.checkStaff(request, rule.roles);
      case 'student':
        return this.checkStudent(request, rule.scopes);
      case 'console':
        return this.checkConsole(request, rule.roles);
    }
  }

  private async checkStaff(request: RequestWithPrincipal, roles: readonly StaffRole[]): Promise<boolean> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedException('A staff API token is required (Authorization: Bearer <token>)');
    const staff = await this.apiTokens.authenticate(match[1]);
    if (!staff) throw new UnauthorizedException('Unknown or revoked API token');
    this.checkRole(staff, roles);
    request.principal = staff;
    return true;
  }

  private checkRole(staff: StaffPrincipal, roles: readonly StaffRole[]): void {
    if (staff.role !== 'admin' && !roles.includes(staff.role)) {
      throw new ForbiddenException(`Role ${staff.role} may not call this route (needs ${roles.join(' or ')})`);
    }
  }

  /**
   * A console page: the session cookie, then the role; a request that changes something must
   * carry the session's CSRF token (form field, header, or for a file upload, whose body is read
   * only after this guard, the form's action URL). The field is removed before validation.
   */
  private async checkConsole(request: RequestWithPrincipal, roles: readonly StaffRole[]): Promise<boolean> {
    const secret = parseCookie(request.headers.cookie ?? '')[CONSOLE_SESSION_COOKIE];
    const session = secret ? await this.consoleSessions.authenticate(secret) : null;
    if (!session) throw new AuthError('console_session_required', 'Please sign in to the console');
    this.checkRole(session.staff, roles);
    if (!SAFE_METHODS.has(request.method)) {
      const body = request.body as Record<string, unknown> | undefined;
      const given = body?.[CSRF_FIELD] ?? request.headers[CSRF_HEADER] ?? request.query?.[CSRF_FIELD];
      if (!sameToken(session.csrfToken, given)) {
        throw new AuthError(
          'csrf_failed',
          'This form is out of date or did not come from the console; reload the page',
        );
      }
      if (body && typeof body === 'object') delete body[CSRF_FIELD];
    }
    request.principal = session.staff;
    request.consoleCsrfToken = session.csrfToken;
    return true;
  }

  private checkStudent(request: RequestWithPrincipal, scopes: readonly string[]): boolean {
    const fromQuery = request.query?.['token'];
    const fromHeader = request.headers['x-student-token'];
    const token = typeof fromQuery === 'string' ? fromQuery : typeof fromHeader === 'string' ? fromHeader : undefined;
    if (!token) throw new UnauthorizedException('A signed student link is required');
    const result = this.links.verify(token);
    if (!result.ok) throw new UnauthorizedException(LINK_REFUSAL[result.reason]);
    if (!scopes.includes(result.claims.scope)) throw new ForbiddenException('This link is not valid for this page');
    request.principal = {
      kind: 'student',
      studentId: result.claims.sub,
      scope: result.claims.scope,
      expiresAt: new Date(result.claims.exp * 1000),
    };
    return true;
  }
}

import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_RULE, AccessRule, RequestWithPrincipal } from './access.decorators';
import { isLoopbackAddress } from './loopback.rules';
import { ApiTokensService } from './api-tokens.service';
import { SignedLinksService } from './signed-links.service';

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
    }
  }

  private async checkStaff(request: RequestWithPrincipal, roles: readonly string[]): Promise<boolean> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedException('A staff API token is required (Authorization: Bearer <token>)');
    const staff = await this.apiTokens.authenticate(match[1]);
    if (!staff) throw new UnauthorizedException('Unknown or revoked API token');
    if (staff.role !== 'admin' && !roles.includes(staff.role)) {
      throw new ForbiddenException(`Role ${staff.role} may not call this route (needs ${roles.join(' or ')})`);
    }
    request.principal = staff;
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

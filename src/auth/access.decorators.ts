import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

export const STAFF_ROLES = ['admin', 'instructor', 'partner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who may call a route. Every route of the module declares one; the guard denies routes without it. */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'staff'; roles: readonly StaffRole[]; orLoopback?: boolean }
  | { kind: 'student'; scopes: readonly string[] }
  | { kind: 'console'; roles: readonly StaffRole[] };

export interface StaffPrincipal {
  kind: 'staff';
  tokenId: string;
  role: StaffRole;
  name: string;
  /** Set for partner staff: they see only their organisation's funnels, cohorts and students. */
  organizationId: string | null;
}

export interface StudentPrincipal {
  kind: 'student';
  studentId: string;
  scope: string;
  expiresAt: Date;
}

export type Principal = StaffPrincipal | StudentPrincipal;

export type RequestWithPrincipal = Request & {
  principal?: Principal;
  /** On console routes: the session's CSRF token, which every form of the page carries. */
  consoleCsrfToken?: string;
};

export const ACCESS_RULE = 'course-funnel:access';

/** Staff routes take a bearer API token of one of these roles; admin passes every staff route. */
export const Staff = (...roles: StaffRole[]) =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'staff', roles } satisfies AccessRule), ...staffDocs(roles));

/** The OpenAPI side of a staff rule: the bearer scheme, and who may call (in the 403's description). */
function staffDocs(roles: readonly StaffRole[]) {
  const who = ['admin', ...roles.filter((role) => role !== 'admin')].join(', ');
  return [
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No staff token, or one that is unknown, revoked or malformed' }),
    ApiForbiddenResponse({ description: `The token's role is not one of: ${who}` }),
  ];
}

/** The OpenAPI security schemes of a student's signed link: `?token=` or the X-Student-Token header. */
export const STUDENT_LINK_QUERY = 'student-link';
export const STUDENT_LINK_HEADER = 'student-link-header';

/**
 * Student routes take a signed, expiring link token (`?token=` or `X-Student-Token`) issued for
 * one of these scopes (a link sent for one purpose opens nothing else).
 */
export const StudentLink = (...scopes: string[]) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, {
      kind: 'student',
      scopes: scopes.length > 0 ? scopes : ['student'],
    } satisfies AccessRule),
    // Two security requirements: either one (OpenAPI reads a list of them as alternatives).
    ApiSecurity(STUDENT_LINK_QUERY),
    ApiSecurity(STUDENT_LINK_HEADER),
    ApiUnauthorizedResponse({
      description: `No signed link, or one that expired, was tampered with or was sent for something else (this route takes a link for: ${(scopes.length > 0 ? scopes : ['student']).join(', ')})`,
    }),
  );

/**
 * Staff routes that a client on this machine may also open without a token (development tools
 * such as the dev mailbox: the developer's own browser). The peer address is the socket's.
 */
export const StaffOrLoopback = (...roles: StaffRole[]) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'staff', roles, orLoopback: true } satisfies AccessRule),
    ...staffDocs(roles),
  );

/**
 * Console pages: a signed-in console session (cookie) of one of these roles, exactly as the API's
 * @Staff rule; every request that changes something also carries the session's CSRF token.
 */
export const ConsoleStaff = (...roles: StaffRole[]) =>
  SetMetadata(ACCESS_RULE, { kind: 'console', roles } satisfies AccessRule);

export const PublicRoute = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/*
 * The principal decorators below throw plain Errors on purpose: on a route declaring the matching
 * access rule, the AccessGuard has set that principal (or refused the call) before they run, so
 * they fail only on a route wired wrongly. That is the server's bug, not the caller's, and the API
 * filter answers it as one: a 500 with a correlation id, the stack logged, nothing leaked.
 */
export const CurrentStaff = createParamDecorator((_: unknown, ctx: ExecutionContext): StaffPrincipal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (principal?.kind !== 'staff') throw new Error('CurrentStaff used on a route that is not @Staff()');
  return principal;
});

export const CurrentStudent = createParamDecorator((_: unknown, ctx: ExecutionContext): StudentPrincipal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (principal?.kind !== 'student') throw new Error('CurrentStudent used on a route that is not @StudentLink()');
  return principal;
});

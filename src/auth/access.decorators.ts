import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiHeader, ApiQuery } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

export const STAFF_ROLES = ['admin', 'instructor', 'partner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Who may call a route. Every route of the module declares one; the guard denies routes without it. */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'staff'; roles: readonly StaffRole[]; orLoopback?: boolean }
  | { kind: 'student'; scopes: readonly string[] };

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

export type RequestWithPrincipal = Request & { principal?: Principal };

export const ACCESS_RULE = 'course-funnel:access';

/** Staff routes take a bearer API token of one of these roles; admin passes every staff route. */
export const Staff = (...roles: StaffRole[]) =>
  applyDecorators(SetMetadata(ACCESS_RULE, { kind: 'staff', roles } satisfies AccessRule), ApiBearerAuth());

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
    ApiQuery({ name: 'token', required: false, description: 'Signed student link token' }),
    ApiHeader({ name: 'X-Student-Token', required: false, description: 'Signed student link token' }),
  );

/**
 * Staff routes that a client on this machine may also open without a token (development tools
 * such as the dev mailbox: the developer's own browser). The peer address is the socket's.
 */
export const StaffOrLoopback = (...roles: StaffRole[]) =>
  applyDecorators(
    SetMetadata(ACCESS_RULE, { kind: 'staff', roles, orLoopback: true } satisfies AccessRule),
    ApiBearerAuth(),
  );

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

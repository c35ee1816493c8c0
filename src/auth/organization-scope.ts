import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RequestWithPrincipal, StaffPrincipal } from './access.decorators';
import { NotFoundError } from '../common/domain-error';
import { AuthError, ScopeRequiredError } from './auth.errors';
import { ALL_ORGANIZATIONS, Tenancy } from '../common/tenancy';

/** Resources that belong to an organisation (a city partner) or to the platform. */
export type ScopedKind = 'funnel' | 'cohort' | 'homework' | 'order';

interface ScopeRule {
  kind: ScopedKind;
  /** Where the resource's id is: a route parameter or a query parameter. */
  from: 'params' | 'query';
  name: string;
}

export const SCOPE_RULES = 'course-funnel:organization-scope';

/**
 * The resource named by `:param` must belong to a partner caller's organisation; to anyone else
 * in another organisation it does not exist (404). Platform staff (admins, instructors) pass.
 */
export const ScopedBy = (kind: ScopedKind, param = 'id') =>
  SetMetadata(SCOPE_RULES, [{ kind, from: 'params', name: param }] satisfies ScopeRule[]);

/**
 * The handler keeps partners in their organisation itself: it hands the caller (or its Tenancy)
 * to every read, as creating and listing do. Also lifts a class-level ScopedBy from one route.
 */
export const ScopedByCaller = () => SetMetadata(SCOPE_RULES, [] satisfies ScopeRule[]);

/** A partner caller sees its organisation only (nothing when its token has none). */
export function tenancyOf(staff: StaffPrincipal): Tenancy {
  return staff.role === 'partner'
    ? { kind: 'organization', organizationId: staff.organizationId ?? '' }
    : ALL_ORGANIZATIONS;
}

/**
 * The caller's tenancy on a @Staff route (see tenancyOf). Like CurrentStaff it throws a plain Error
 * only on a route wired wrongly (no @Staff): the server's bug, a 500, never the caller's refusal.
 */
export const CurrentTenancy = createParamDecorator((_: unknown, ctx: ExecutionContext): Tenancy => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (principal?.kind !== 'staff') throw new Error('CurrentTenancy used on a route that is not @Staff()');
  return tenancyOf(principal);
});

/** The same for a query parameter, which partner callers must then give (lists are per cohort). */
export const ScopedByQuery = (kind: ScopedKind, param: string) =>
  SetMetadata(SCOPE_RULES, [{ kind, from: 'query', name: param }] satisfies ScopeRule[]);

/** Finds the organisation a resource belongs to: null for the platform's, undefined when there is none. */
export type OrganizationResolver = (id: string) => Promise<string | null | undefined>;

/** Each feature registers how to find the organisation of its resources (see ScopedBy). */
@Injectable()
export class OrganizationScopes {
  private readonly resolvers = new Map<ScopedKind, OrganizationResolver>();

  register(kind: ScopedKind, resolver: OrganizationResolver): void {
    this.resolvers.set(kind, resolver);
  }

  /** Whether a caller of this organisation (null: platform staff) may see this resource. */
  async visible(kind: ScopedKind, id: string, organizationId: string | null): Promise<boolean> {
    const resolver = this.resolvers.get(kind);
    // Every ScopedKind's feature registers its resolver at start-up, before requests are served:
    // one missing is a module wired wrongly (a 500 from the filter), never something a caller did.
    if (!resolver) throw new Error(`no organisation resolver for ${kind}`);
    const owner = await resolver(id);
    if (owner === undefined) return false;
    return organizationId === null || owner === organizationId;
  }
}

/**
 * Keeps partners inside their organisation: on a route that declares ScopedBy, a resource of
 * another organisation answers 404, exactly like one that does not exist; a route that declares
 * no scope at all (neither ScopedBy nor ScopedByCaller) is refused to partners, so a new route
 * cannot leak another organisation's data by forgetting to say whose data it shows.
 */
@Injectable()
export class OrganizationScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly scopes: OrganizationScopes,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.reflector.getAllAndOverride<ScopeRule[] | undefined>(SCOPE_RULES, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const principal = request.principal;
    if (principal?.kind !== 'staff' || principal.role !== 'partner') return true;
    if (!rules) {
      throw new AuthError(
        'scope_undeclared',
        'This route does not declare whose data it shows, so partner staff may not call it',
      );
    }
    for (const rule of rules) {
      const source = (rule.from === 'params' ? request.params : request.query) as Record<string, unknown>;
      const id = source[rule.name];
      if (typeof id !== 'string' || id === '') {
        throw new ScopeRequiredError(rule.name);
      }
      if (!(await this.scopes.visible(rule.kind, id, principal.organizationId ?? ''))) {
        throw new NotFoundError(rule.kind, id);
      }
    }
    return true;
  }
}

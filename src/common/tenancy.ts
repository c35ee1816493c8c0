/**
 * Whose data a read may return: every organisation's (platform staff, internal jobs) or one
 * organisation's. Every read a partner can reach takes it as a required argument and filters by
 * it, so a new caller cannot forget whose data it is; the guard's ScopedBy is a second line.
 */
export type Tenancy = { kind: 'all' } | { kind: 'organization'; organizationId: string };

export const ALL_ORGANIZATIONS: Tenancy = { kind: 'all' };

/** Whether a resource of `organizationId` (null: the platform's) is within the tenancy. */
export function withinTenancy(tenancy: Tenancy, organizationId: string | null): boolean {
  return tenancy.kind === 'all' || organizationId === tenancy.organizationId;
}

/** The filter a tenancy adds to a query on documents that carry `organizationId`. */
export function tenancyFilter(tenancy: Tenancy): { organizationId?: string } {
  return tenancy.kind === 'organization' ? { organizationId: tenancy.organizationId } : {};
}

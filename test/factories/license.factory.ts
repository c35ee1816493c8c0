import { StaffClient, TestApp } from '../support/create-test-app';

/** The seeded zh-CN 3 + 4 template that city partners license in the tests. */
export const ZH_TEMPLATE = '00000000000000000000a3c4';

export const cny = (amount: number) => ({ amount, currency: 'CNY' });

/** A license of the zh-CN template for a year of 2026, on `territory`, with a 20% revenue share. */
export const licenseTerms = (licenseeOrganizationId: string, territory: string, overrides: object = {}) => ({
  funnelId: ZH_TEMPLATE,
  licenseeOrganizationId,
  territory,
  exclusive: true,
  startsAt: '2026-01-01T00:00:00Z',
  endsAt: '2027-01-01T00:00:00Z',
  fee: cny(500000),
  revenueShareBasisPoints: 2000,
  priceBounds: { floor: cny(9900), ceiling: cny(29900) },
  allowedChanges: ['schedule', 'messages'],
  ...overrides,
});

/** A partner organisation made by an admin, with one staff token of its own. */
export async function partnerOrganization(
  t: TestApp,
  admin: StaffClient,
  name: string,
): Promise<{ id: string; token: string; staff: StaffClient }> {
  const org = await admin.post('/api/partners', { name }).expect(201);
  const issued = await admin.post(`/api/partners/${org.body.id}/tokens`, { name: `${name} staff` }).expect(201);
  const token = issued.body.token as string;
  return { id: org.body.id as string, token, staff: t.asStaff(token) };
}

import { StaffClient } from '../support/create-test-app';

const cny = (amount: number) => ({ amount, currency: 'CNY' });

/**
 * Every test request comes from one IP and many referrals come within minutes, so tests that are
 * not about the suspicion flags raise their limits out of the way.
 */
export const RELAXED_SUSPICION = { burstCount: 1000, sameIpCount: 1000, idleReferees: 1000 };

/** A two-class funnel with a price ladder: 199.00, 99.00 from 3 referrals, free from 10. */
export const ladderFunnel = (name = 'Ladder funnel') => ({
  name,
  defaultLocale: 'en',
  lessons: [
    { key: 'v1', phase: 'value', title: 'Class 1', body: 'Hello {{student.name}}', release: { after: 'PT0S' } },
    { key: 'c1', phase: 'closing', title: 'Class 2', body: 'Closing', release: { after: 'P1D' } },
  ],
  offer: {
    courseName: 'Coaching',
    listPrice: cny(19900),
    deadlineAfter: 'P2D',
    priceTiers: [
      { minReferrals: 3, price: cny(9900) },
      { minReferrals: 10, price: cny(0) },
    ],
    priceProtectionDays: 7,
  },
});

/** A funnel and an open cohort of it starting at `startAt`. */
export async function openLadderCohort(
  staff: StaffClient,
  startAt: string,
  options: { funnelId?: string; capacity?: number; name?: string } = {},
): Promise<{ funnelId: string; cohortId: string }> {
  const funnelId =
    options.funnelId ?? ((await staff.post('/api/funnels', ladderFunnel()).expect(201)).body.id as string);
  const cohort = await staff
    .post('/api/cohorts', {
      funnelId,
      name: options.name ?? 'Ladder cohort',
      startAt,
      timezone: 'Asia/Shanghai',
      capacity: options.capacity ?? 200,
    })
    .expect(201);
  await staff.post(`/api/cohorts/${cohort.body.id}/open`).expect(200);
  return { funnelId, cohortId: cohort.body.id as string };
}

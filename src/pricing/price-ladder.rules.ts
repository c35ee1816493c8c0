import { PriceTier } from '../funnels/price-ladder';
import { Money } from '../common/money';

export interface StudentPrice {
  /** Index into the effective ladder (0 is the list price). */
  tier: number;
  price: Money;
  qualifiedReferrals: number;
  next: { tier: number; minReferrals: number; price: Money; referralsNeeded: number } | null;
}

/** What a student with `qualified` referrals pays, and what the next tier would take. */
export function priceFor(ladder: readonly PriceTier[], qualified: number): StudentPrice {
  let tier = 0;
  ladder.forEach((t, i) => {
    if (qualified >= t.minReferrals) tier = i;
  });
  const next = ladder[tier + 1];
  return {
    tier,
    price: ladder[tier].price,
    qualifiedReferrals: qualified,
    next: next
      ? {
          tier: tier + 1,
          minReferrals: next.minReferrals,
          price: next.price,
          referralsNeeded: next.minReferrals - qualified,
        }
      : null,
  };
}

/**
 * Price protection: a buyer who paid at tier `paidTier` and has since reached `currentTier` gets
 * back, once per tier climbed, the step from the tier below to that tier. Their sum is exactly the
 * difference between what they paid and the current price.
 */
export function protectionRefunds(
  ladder: readonly PriceTier[],
  paidTier: number,
  currentTier: number,
): { tier: number; amount: Money }[] {
  const refunds: { tier: number; amount: Money }[] = [];
  for (let tier = paidTier + 1; tier <= Math.min(currentTier, ladder.length - 1); tier++) {
    const step = ladder[tier - 1].price.amount - ladder[tier].price.amount;
    refunds.push({ tier, amount: { amount: step, currency: ladder[tier].price.currency } });
  }
  return refunds;
}

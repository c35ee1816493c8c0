import { PriceTier } from '../funnels/price-ladder';
import { Money } from '../common/money';

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

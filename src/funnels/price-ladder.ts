import { Money } from '../common/money';

// An offer's price ladder as the funnel stores it, and its checks at save. Pricing a student on it
// (referral counts, quotes, price protection) is pricing's.

/** From `minReferrals` qualified referrals on, the student pays `price`. */
export interface PriceTier {
  minReferrals: number;
  price: Money;
}

/** The ladder as priced: the list price from 0 referrals, then the offer's tiers. */
export function effectiveLadder(listPrice: Money, tiers: readonly PriceTier[] = []): PriceTier[] {
  const above = tiers.filter((t) => t.minReferrals > 0);
  return [{ minReferrals: 0, price: listPrice }, ...above];
}

/**
 * Problems with an offer's tiers, each naming `priceTiers.<i>.<field>`; [] when valid. Tiers climb
 * in referrals and fall in price, in the list price's currency; a tier at 0 referrals must be the
 * list price itself (it is implied otherwise).
 */
export function priceTierProblems(listPrice: Money, tiers: readonly PriceTier[]): { field: string; error: string }[] {
  const problems: { field: string; error: string }[] = [];
  let previous: PriceTier = { minReferrals: 0, price: listPrice };
  tiers.forEach((tier, i) => {
    const field = `priceTiers.${i}`;
    if (tier.price.currency !== listPrice.currency) {
      problems.push({
        field: `${field}.price.currency`,
        error: `must be the list price's currency ${listPrice.currency}`,
      });
    }
    if (!Number.isInteger(tier.minReferrals) || tier.minReferrals < 0) {
      problems.push({ field: `${field}.minReferrals`, error: 'must be a whole number, 0 or more' });
      return;
    }
    if (tier.minReferrals === 0) {
      if (i !== 0 || tier.price.amount !== listPrice.amount) {
        problems.push({ field: `${field}.price.amount`, error: 'the tier at 0 referrals is the list price' });
      }
      return;
    }
    if (tier.minReferrals <= previous.minReferrals && i > 0) {
      problems.push({
        field: `${field}.minReferrals`,
        error: `must be more than the tier before (${previous.minReferrals})`,
      });
    }
    if (tier.price.amount >= previous.price.amount) {
      problems.push({
        field: `${field}.price.amount`,
        error: `must be less than the price before (${previous.price.amount})`,
      });
    }
    previous = tier;
  });
  return problems;
}

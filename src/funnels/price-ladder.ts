import { Money } from '../common/money';

// An offer's price ladder as the funnel stores it, its checks at save, and where a referral count
// lands on it (mails and pages show it from class 1). Quotes and price protection are pricing's.

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

import { effectiveLadder, priceFor, priceTierProblems } from '../funnels/price-ladder';
import { protectionRefunds } from './price-ladder.rules';

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const list = cny(19900);
const tiers = [
  { minReferrals: 3, price: cny(9900) },
  { minReferrals: 10, price: cny(0) },
];
const ladder = effectiveLadder(list, tiers);

describe('price ladder', () => {
  it('charges the list price until the first tier, then each tier from its count on', () => {
    expect(priceFor(ladder, 0)).toEqual({
      tier: 0,
      price: list,
      qualifiedReferrals: 0,
      next: { tier: 1, minReferrals: 3, price: cny(9900), referralsNeeded: 3 },
    });
    expect(priceFor(ladder, 2).price).toEqual(list);
    expect(priceFor(ladder, 3)).toMatchObject({ tier: 1, price: cny(9900), next: { referralsNeeded: 7 } });
    expect(priceFor(ladder, 9).tier).toBe(1);
    expect(priceFor(ladder, 10)).toEqual({ tier: 2, price: cny(0), qualifiedReferrals: 10, next: null });
    expect(priceFor(ladder, 250).tier).toBe(2);
  });

  it('takes an explicit tier at 0 referrals as the list price, not as a second tier', () => {
    expect(effectiveLadder(list, [{ minReferrals: 0, price: list }, ...tiers])).toEqual(ladder);
    expect(priceFor(effectiveLadder(list), 5)).toMatchObject({ tier: 0, price: list, next: null });
  });

  it('accepts a climbing, cheapening ladder in one currency', () => {
    expect(priceTierProblems(list, tiers)).toEqual([]);
    expect(priceTierProblems(list, [{ minReferrals: 0, price: list }, ...tiers])).toEqual([]);
  });

  it('names each problem by its field', () => {
    expect(
      priceTierProblems(list, [
        { minReferrals: 3, price: { amount: 9900, currency: 'USD' } },
        { minReferrals: 3, price: cny(12000) },
        { minReferrals: 1.5, price: cny(0) },
        { minReferrals: 0, price: cny(100) },
      ]),
    ).toEqual([
      { field: 'priceTiers.0.price.currency', error: "must be the list price's currency CNY" },
      { field: 'priceTiers.1.minReferrals', error: 'must be more than the tier before (3)' },
      { field: 'priceTiers.1.price.amount', error: 'must be less than the price before (9900)' },
      { field: 'priceTiers.2.minReferrals', error: 'must be a whole number, 0 or more' },
      { field: 'priceTiers.3.price.amount', error: 'the tier at 0 referrals is the list price' },
    ]);
  });
});

describe('price protection', () => {
  it('refunds each tier climbed after buying once, summing to the difference', () => {
    expect(protectionRefunds(ladder, 0, 0)).toEqual([]);
    expect(protectionRefunds(ladder, 0, 1)).toEqual([{ tier: 1, amount: cny(10000) }]);
    const both = protectionRefunds(ladder, 0, 2);
    expect(both).toEqual([
      { tier: 1, amount: cny(10000) },
      { tier: 2, amount: cny(9900) },
    ]);
    expect(both.reduce((sum, r) => sum + r.amount.amount, 0)).toBe(list.amount);
    expect(protectionRefunds(ladder, 1, 2)).toEqual([{ tier: 2, amount: cny(9900) }]);
    expect(protectionRefunds(ladder, 2, 2)).toEqual([]);
  });
});

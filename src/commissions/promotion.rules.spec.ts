import { automaticPromotion, DEFAULT_PROMOTION_RULES, earnedLevel, needsMaintenanceReview } from './promotion.rules';

const rules = DEFAULT_PROMOTION_RULES; // agent: 3 qualified + 1 paid; partner: 10 paid + 2 direct agents
const stats = (qualifiedReferrals: number, paidReferrals: number, directAgents = 0) => ({
  qualifiedReferrals,
  paidReferrals,
  directAgents,
});

describe('promotion ladder', () => {
  it('earns agent with enough qualified and paid referrals', () => {
    expect(earnedLevel(stats(2, 1), rules)).toBe('member');
    expect(earnedLevel(stats(3, 0), rules)).toBe('member');
    expect(earnedLevel(stats(3, 1), rules)).toBe('agent');
  });

  it('earns partner only with a team of direct agents as well as sales', () => {
    expect(earnedLevel(stats(20, 10, 1), rules)).toBe('agent');
    expect(earnedLevel(stats(20, 10, 2), rules)).toBe('partner');
    expect(earnedLevel(stats(20, 9, 5), rules)).toBe('agent');
  });

  it('promotes automatically but never demotes', () => {
    expect(automaticPromotion('member', stats(3, 1), rules)).toBe('agent');
    expect(automaticPromotion('member', stats(20, 10, 2), rules)).toBe('partner');
    expect(automaticPromotion('agent', stats(3, 1), rules)).toBeNull();
    expect(automaticPromotion('partner', stats(0, 0), rules)).toBeNull();
  });

  it('reviews agents and partners whose paid referrals dropped in the period', () => {
    expect(needsMaintenanceReview('agent', 0, rules)).toBe(true);
    expect(needsMaintenanceReview('partner', 1, rules)).toBe(false);
    expect(needsMaintenanceReview('member', 0, rules)).toBe(false);
  });
});

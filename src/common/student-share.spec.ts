import { formatPrice } from './money';
import { shareText, StudentShare } from './student-share';

const cny = (amount: number) => ({ amount, currency: 'CNY' });
const share = (price: number, next: StudentShare['next']): StudentShare => ({
  url: 'https://school.example/r/ABC234',
  price: cny(price),
  listPrice: cny(9900),
  next,
});

describe('the share block every student mail and page carries', () => {
  it('says the price and what one more friend unlocks, in English', () => {
    expect(shareText(share(9900, { price: cny(4900), referralsNeeded: 1 }), 'en')).toEqual({
      title: 'Bring a friend',
      invite: 'Invite friends to the free classes with your own link:',
      url: 'https://school.example/r/ABC234',
      price: 'Your price: CN¥99.00',
      next: '1 more friend: CN¥49.00',
    });
    expect(shareText(share(4900, { price: cny(2900), referralsNeeded: 2 }), 'en')).toMatchObject({
      price: 'Your price: CN¥49.00 (instead of CN¥99.00)',
      next: '2 more friends: CN¥29.00',
    });
  });

  it('says it in Chinese for a zh-CN student', () => {
    expect(shareText(share(4900, { price: cny(2900), referralsNeeded: 1 }), 'zh-CN')).toMatchObject({
      invite: '用您的专属链接邀请好友来听免费课：',
      price: '您的价格：¥49.00（原价 ¥99.00）',
      next: '再邀请 1 位好友：¥29.00',
    });
  });

  it('reads a price of zero as free, and has no next line at the last rung', () => {
    expect(shareText(share(2900, { price: cny(0), referralsNeeded: 3 }), 'zh-CN').next).toBe('再邀请 3 位好友：免费');
    expect(shareText(share(0, null), 'en')).toMatchObject({
      price: 'Your price: free (instead of CN¥99.00)',
      next: null,
    });
    expect(formatPrice(cny(0), 'zh-CN')).toBe('免费');
    expect(formatPrice({ amount: 1250, currency: 'USD' }, 'en')).toBe('$12.50');
  });
});

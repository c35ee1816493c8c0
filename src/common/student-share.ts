import { Locale } from './locale';
import { formatPrice, Money } from './money';

/**
 * What every mail and page of a student's classes carries, from class 1 on: the link they share,
 * what they pay now, and what the next referral unlocks. Students bring friends to the free
 * classes, and the price ladder rewards them, so this is never only on the offer.
 */
export interface StudentShare {
  url: string;
  price: Money;
  listPrice: Money;
  /** The next rung of the ladder, or null at the last one (or when there is no ladder). */
  next: { price: Money; referralsNeeded: number } | null;
}

/** The share block's lines in the student's locale; every one is plain text, escaped where shown. */
export interface ShareText {
  title: string;
  invite: string;
  url: string;
  /** "Your price: ¥49.00 (instead of ¥99.00)". */
  price: string;
  /** "1 more friend: ¥29.00", or null at the last rung. */
  next: string | null;
}

const WORDS = {
  'zh-CN': {
    title: '邀请好友',
    invite: '用您的专属链接邀请好友来听免费课：',
    price: (price: string, list: string | null) => (list ? `您的价格：${price}（原价 ${list}）` : `您的价格：${price}`),
    next: (friends: number, price: string) => `再邀请 ${friends} 位好友：${price}`,
  },
  en: {
    title: 'Bring a friend',
    invite: 'Invite friends to the free classes with your own link:',
    price: (price: string, list: string | null) =>
      list ? `Your price: ${price} (instead of ${list})` : `Your price: ${price}`,
    next: (friends: number, price: string) => `${friends} more ${friends === 1 ? 'friend' : 'friends'}: ${price}`,
  },
} satisfies Record<Locale, unknown>;

export function shareText(share: StudentShare, locale: Locale): ShareText {
  const words = WORDS[locale];
  const discounted = share.price.amount < share.listPrice.amount;
  return {
    title: words.title,
    invite: words.invite,
    url: share.url,
    price: words.price(formatPrice(share.price, locale), discounted ? formatPrice(share.listPrice, locale) : null),
    next: share.next && words.next(share.next.referralsNeeded, formatPrice(share.next.price, locale)),
  };
}

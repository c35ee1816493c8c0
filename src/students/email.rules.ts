/**
 * The key under which a student is unique: trimmed and lower-cased. It only removes differences no
 * mail server makes; `identityKey` is the stricter key for referral checks.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Providers that deliver `name+anything@` to `name@`. */
const PLUS_TAG_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'fastmail.com',
  'proton.me',
  'protonmail.com',
  'qq.com',
]);

/** Providers that also ignore dots in the local part (and their alias domains). */
const DOTLESS_DOMAINS = new Map([
  ['gmail.com', 'gmail.com'],
  ['googlemail.com', 'gmail.com'],
]);

/**
 * The person behind an address, as far as the provider tells: `A.Li+promo@GoogleMail.com` and
 * `ali@gmail.com` reach the same inbox, so referral checks (self-referral, already enrolled) treat
 * them as one. Other providers keep their dots and tags: we only strip what the provider ignores.
 */
export function identityKey(email: string): string {
  const key = emailKey(email);
  const at = key.lastIndexOf('@');
  if (at < 1) return key;
  let local = key.slice(0, at);
  let domain = key.slice(at + 1);
  if (PLUS_TAG_DOMAINS.has(domain)) local = local.split('+')[0] || local;
  const dotless = DOTLESS_DOMAINS.get(domain);
  if (dotless) {
    local = local.replace(/\./g, '');
    domain = dotless;
  }
  return `${local}@${domain}`;
}

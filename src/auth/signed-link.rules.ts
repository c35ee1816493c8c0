import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a student link asserts: who, for what, until when (seconds since epoch). */
export interface LinkClaims {
  sub: string;
  scope: string;
  exp: number;
}

export type LinkVerification =
  { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** `base64url(json).base64url(hmac)`: compact, URL-safe, verifiable without a database read. */
export function signLink(claims: LinkClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

function parseClaims(payload: string): LinkClaims | null {
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<LinkClaims>;
    if (typeof value.sub === 'string' && typeof value.scope === 'string' && Number.isInteger(value.exp)) {
      return { sub: value.sub, scope: value.scope, exp: value.exp as number };
    }
  } catch {
    // fall through: not JSON
  }
  return null;
}

export function verifyLink(token: string, secret: string, now: Date): LinkVerification {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [payload, signature] = parts as [string, string];
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'cf_';

/** A fresh bearer token: 256 random bits, prefixed so leaked tokens are easy to recognise and scan for. */
export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Tokens are stored as SHA-256 digests only. The token carries 256 bits of entropy, so a
 * fast hash is enough (no salt/KDF needed) and lets us look a token up by its digest.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeApiToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && value.length === TOKEN_PREFIX.length + 43;
}

/** The first characters shown in listings, so staff can tell tokens apart without the secret. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

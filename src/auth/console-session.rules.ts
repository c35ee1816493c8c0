import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a console session lasts from sign-in (absolute: a lost laptop is signed out by morning). */
export const CONSOLE_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** How long a one-time sign-in link from `npm run cli -- console-link` stays usable. */
export const CONSOLE_LINK_TTL_MS = 15 * 60 * 1000;

/** The session cookie, and the pre-session cookie that guards the sign-in forms (double submit). */
export const CONSOLE_SESSION_COOKIE = 'cf_console';
export const CONSOLE_SIGN_IN_COOKIE = 'cf_console_signin';

/** The form field (and header, for htmx requests) that carries the CSRF token. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** A fresh secret for a session cookie or a sign-in link: 256 random bits. */
export function newConsoleSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF token of a session: an HMAC of the session's digest under the app secret. Derived,
 * not stored, so every form of the session carries the same token and nothing else is kept.
 */
export function csrfTokenFor(appSecret: string, sessionDigest: string): string {
  return createHmac('sha256', appSecret).update(`console-csrf:${sessionDigest}`).digest('base64url');
}

/** Constant-time comparison of two tokens given by a browser (either may be missing). */
export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/** Where to go after signing in: only a path inside the console, never another site. */
export function safeConsoleReturn(next: unknown, consoleRoot: string): string {
  if (typeof next !== 'string') return consoleRoot;
  const inside = next === consoleRoot || next.startsWith(`${consoleRoot}/`) || next.startsWith(`${consoleRoot}?`);
  return inside && !next.startsWith('//') && !/[\\\r\n]/.test(next) ? next : consoleRoot;
}

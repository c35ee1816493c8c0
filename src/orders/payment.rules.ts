import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a payment provider signs its webhook calls with: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-course-funnel-signature';

/** What is signed: the timestamp and the raw body, so neither can be changed or replayed later. */
export function webhookSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, rawBody)}`;
}

export type WebhookRefusal = 'missing' | 'malformed' | 'stale' | 'mismatch';

/**
 * Checks a webhook call's signature. Refused: no header, a header that does not parse, a timestamp
 * further than `toleranceSeconds` from now (a replay of an old call), or a signature that does not
 * match this body (tampered). Compared in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  rawBody: string | Buffer,
  now: Date,
  toleranceSeconds: number,
): { ok: true } | { ok: false; reason: WebhookRefusal } {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** A short, unambiguous order reference for receipts and bank transfers, from the order id. */
export function orderReference(orderId: string): string {
  return `CF-${orderId.slice(-8).toUpperCase()}`;
}

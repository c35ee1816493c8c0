import { isIP } from 'node:net';
import { ChatPost } from '../chat-post';
import {
  ChatAnswer,
  ChatPlatform,
  classifyStatus,
  hmacSha256Base64,
  JSON_HEADERS,
  parseUrl,
  plainLine,
} from './chat-platform';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The key bytes of a `whsec_<base64>` secret; null when it is not one. */
export function webhookSecretKey(secret: string): Buffer | null {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return null;
  const base64 = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const key = Buffer.from(base64, 'base64');
  return key.length >= 16 ? key : null;
}

/** Standard Webhooks: `v1,` + base64(HMAC-SHA256(key bytes, `${id}.${timestamp}.${body}`)). */
export function standardWebhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = webhookSecretKey(secret);
  if (!key) throw new Error('a webhook secret is "whsec_" and base64 key bytes');
  return `v1,${hmacSha256Base64(key, `${id}.${timestampSeconds}.${body}`)}`;
}

/** The JSON a generic receiver gets: the post itself, its lines both as plain text and as runs. */
export function webhookPayload(post: ChatPost, now: Date): Record<string, unknown> {
  return {
    type: `course-funnel.${post.kind}`,
    timestamp: now.toISOString(),
    data: {
      kind: post.kind,
      locale: post.locale,
      title: post.title,
      lines: post.lines.map(plainLine),
      runs: post.lines,
      action: post.action ?? null,
    },
  };
}

/** Loopback, private, link-local and unspecified addresses: not "somewhere on the internet". */
function isPrivateAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const version = isIP(bare);
  if (version === 4) {
    const [a, b] = bare.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (version === 6)
    return (
      bare === '::' || bare === '::1' || /^f[cd]/.test(bare) || /^fe[89ab]/.test(bare) || bare.startsWith('::ffff:')
    );
  return false;
}

/**
 * A generic signed JSON webhook, per the Standard Webhooks spec (https://www.standardwebhooks.com,
 * spec/standard-webhooks.md in github.com/standard-webhooks/standard-webhooks): headers webhook-id,
 * webhook-timestamp (seconds) and webhook-signature; the secret is required. The spec sets no rate;
 * 60 a minute is our own choice, gentle on a receiver someone runs themselves.
 */
export const webhook: ChatPlatform = {
  name: 'webhook',
  label: { en: 'Signed JSON webhook', 'zh-CN': '签名 JSON Webhook' },
  rateLimit: { limit: 60, windowMs: 60_000 },
  secret: 'required',
  checkUrl(raw, extraHosts) {
    const url = parseUrl(raw);
    if (!url) return 'not a valid URL';
    if (url.username || url.password) return 'the URL must not carry a user name or password';
    if (extraHosts.includes(url.host))
      return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'the URL must use https';
    if (url.protocol !== 'https:') return 'the URL must use https';
    // A first line against pointing us at our own network; DNS can still lead there, the sender's
    // network policy is the real guard.
    if (isPrivateAddress(url.hostname)) return 'the host must be a public address';
    return null;
  },
  request(post, target, now, deliveryId) {
    if (!target.secret) throw new Error('a signed webhook needs its secret');
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = JSON.stringify(webhookPayload(post, now));
    return {
      url: target.url,
      headers: {
        ...JSON_HEADERS,
        'webhook-id': deliveryId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': standardWebhookSignature(target.secret, deliveryId, timestamp, body),
      },
      body,
    };
  },
  answer(status, body, headers): ChatAnswer {
    // 2xx delivered; 408, 429, 5xx later; 410 (the spec's "stop sending") and any other 4xx never.
    return classifyStatus(status, body, headers) ?? { outcome: 'delivered' };
  },
};

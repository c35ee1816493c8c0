import { createHmac } from 'node:crypto';
import { ChatInline, ChatPlatformName, ChatPost } from '../chat-post';

/** Where a channel posts: the webhook URL staff pasted, and the signing secret when the platform has one. */
export interface ChatTarget {
  url: string;
  secret?: string;
}

/** One HTTP POST, ready for fetch: the adapters build it, the outbox worker sends it. */
export interface ChatRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * What the receiver's answer means for the outbox: sent; try again later (the receiver is down, busy
 * or throttling us); or never (a bad key, token or signature, an archived channel, an invalid payload:
 * dead-letter at once, retrying cannot help).
 */
export type ChatAnswer =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; reason: string; retryAfterMs?: number }
  | { outcome: 'rejected'; reason: string };

/** A platform's dialect: pure (no I/O, no clock of its own), so every rule here is unit-tested. */
export interface ChatPlatform {
  name: ChatPlatformName;
  label: { en: string; 'zh-CN': string };
  /** At most `limit` posts in any `windowMs`, per webhook (each adapter cites the public doc). */
  rateLimit: { limit: number; windowMs: number };
  secret: 'none' | 'optional' | 'required';
  /**
   * null when the URL is acceptable for this platform, else a short reason naming what is wrong.
   * `extraHosts` (host or host:port) are accepted for any platform over http too, keeping the path
   * rules: tests and local receivers.
   */
  checkUrl(url: string, extraHosts: readonly string[]): string | null;
  /** The HTTP POST for one post. `now` is the injected clock's time; `deliveryId` is stable per post. */
  request(post: ChatPost, target: ChatTarget, now: Date, deliveryId: string): ChatRequest;
  /** Classifies the receiver's answer (HTTP status, body text, headers lower-cased). */
  answer(status: number, body: string, headers: Record<string, string>): ChatAnswer;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json; charset=utf-8' };

/** What a webhook URL must look like on one platform (its official host, path and credential). */
export interface WebhookUrlRule {
  /** Official hosts, reached over https only. */
  hosts: readonly string[];
  path: RegExp;
  /** What `path` describes, for the reason shown to staff. */
  pathHint: string;
  /** A query parameter that must be present and non-empty (WeCom's key, DingTalk's access_token). */
  requiredQuery?: string;
}

/** Applies a WebhookUrlRule; the reason names the first thing wrong. */
export function checkWebhookUrl(raw: string, rule: WebhookUrlRule, extraHosts: readonly string[]): string | null {
  const url = parseUrl(raw);
  if (!url) return 'not a valid URL';
  if (url.username || url.password) return 'the URL must not carry a user name or password';
  const local = extraHosts.includes(url.host);
  if (local ? url.protocol !== 'http:' && url.protocol !== 'https:' : url.protocol !== 'https:') {
    return 'the URL must use https';
  }
  if (!local && !rule.hosts.includes(url.host)) return `the host must be ${rule.hosts.join(' or ')}`;
  if (!rule.path.test(url.pathname)) return `the path must be ${rule.pathHint}`;
  if (rule.requiredQuery && !url.searchParams.get(rule.requiredQuery)) {
    return `the URL must carry its ${rule.requiredQuery}`;
  }
  return null;
}

export function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * A webhook URL safe to show and log: scheme, host and path, with every secret part (each query
 * value, and each path segment that looks like a token) replaced by "…" and its last 4 characters.
 * A value shorter than 12 characters shows only "…": its last 4 would give away too much of it.
 */
export function maskWebhookUrl(raw: string): string {
  const url = parseUrl(raw);
  if (!url) return '…';
  const path = url.pathname
    .split('/')
    .map((segment) => (looksLikeToken(decodeURIComponent(segment)) ? maskValue(segment) : segment))
    .join('/');
  const query = [...url.searchParams].map(([key, value]) => `${key}=${maskValue(value)}`).join('&');
  return `${url.protocol}//${url.host}${path}${query ? `?${query}` : ''}`;
}

/** Path words like "hook", "v2", "open-apis" stay; ids and tokens (long, or with digits) are masked. */
function looksLikeToken(segment: string): boolean {
  return segment.length >= 20 || (segment.length >= 8 && /\d/.test(segment));
}

function maskValue(value: string): string {
  return value.length >= 12 ? `…${value.slice(-4)}` : '…';
}

/** `Retry-After` in seconds (what Slack and most receivers send); an HTTP date is left to the backoff. */
export function retryAfterMs(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after'];
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

/**
 * The HTTP status alone: null for 2xx (the body decides), retry for 408, 429 and 5xx, rejected for
 * any other status (a 4xx will not get better by itself, a 3xx means the URL is not the webhook).
 */
export function classifyStatus(status: number, body: string, headers: Record<string, string>): ChatAnswer | null {
  if (status >= 200 && status < 300) return null;
  const reason = `HTTP ${status}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    const after = retryAfterMs(headers);
    return after === undefined ? { outcome: 'retry', reason } : { outcome: 'retry', reason, retryAfterMs: after };
  }
  return { outcome: 'rejected', reason };
}

export function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** base64(HMAC-SHA256(key, message)). */
export function hmacSha256Base64(key: string | Buffer, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64');
}

/** A line's text without its formatting (notification previews, plain-text payloads). */
export function plainLine(line: readonly ChatInline[]): string {
  return line.map((run) => run.text).join('');
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

const ELLIPSIS = '…';

/**
 * The post with as much of its body as fits in `maxBytes` by `measure` (the platform's own limit,
 * e.g. WeCom's 4096 bytes of Markdown): whole lines are dropped from the end first, then the last
 * line's text is cut, by characters, never inside a character or an escape (runs are cut before
 * they are escaped), and an ellipsis marks the cut. Title and action are kept: the button is the point.
 */
export function fitPost(post: ChatPost, measure: (post: ChatPost) => number, maxBytes: number): ChatPost {
  if (measure(post) <= maxBytes) return post;
  let lines = post.lines.map((line) => [...line]);
  const withLines = (next: ChatInline[][]): ChatPost => ({ ...post, lines: next });
  while (lines.length > 1 && measure(withLines([...lines, [{ text: ELLIPSIS }]])) > maxBytes) {
    lines = lines.slice(0, -1);
  }
  let candidate = withLines([...lines, [{ text: ELLIPSIS }]]);
  if (lines.length < post.lines.length && measure(candidate) <= maxBytes) return candidate;
  // One line left that is still too long: cut its runs from the end.
  const last = [...(lines[lines.length - 1] ?? [])];
  const head = lines.slice(0, -1);
  let chars = last.reduce((sum, run) => sum + Array.from(run.text).length, 0);
  do {
    chars = Math.max(0, chars - Math.max(1, Math.ceil(chars / 8)));
    candidate = withLines([...head, cutRuns(last, chars)]);
  } while (chars > 0 && measure(candidate) > maxBytes);
  return candidate;
}

/** The first `chars` characters of a line's runs, and an ellipsis. */
function cutRuns(line: readonly ChatInline[], chars: number): ChatInline[] {
  const out: ChatInline[] = [];
  let left = chars;
  for (const run of line) {
    if (left <= 0) break;
    const text = Array.from(run.text);
    out.push({ ...run, text: text.slice(0, left).join('') });
    left -= text.length;
  }
  out.push({ text: ELLIPSIS });
  return out;
}

/**
 * Text for a CommonMark-like dialect (WeCom and DingTalk Markdown): a backslash before every
 * character that can open markup, `<` `>` `&` as entities (so `<font>` or `<@userid>` stays text),
 * and a line break becomes a space (a value cannot start a heading, quote or list on its own line).
 * `atLineStart` also escapes the characters that only mean something there (`#`, `>`, `-`, `+`, `1.`).
 */
export function escapeMarkdownText(text: string, atLineStart = false): string {
  let out = text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]()~|!]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  if (atLineStart) out = out.replace(/^(\s*)([#+-]|\d+\.)/, (_m, space: string, mark: string) => `${space}\\${mark}`);
  return out;
}

/** A URL inside Markdown's `(...)`: spaces and parentheses percent-encoded so the link cannot end early. */
export function markdownUrl(url: string): string {
  return url.replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** A line in CommonMark-like Markdown: `**bold**` and `[label](url)`, every text escaped. */
export function markdownLine(line: readonly ChatInline[]): string {
  return line
    .map((run, index) => {
      const text = escapeMarkdownText(run.text, index === 0);
      if ('url' in run) return `[${text}](${markdownUrl(run.url)})`;
      return run.bold && text.trim() ? `**${text}**` : text;
    })
    .join('');
}

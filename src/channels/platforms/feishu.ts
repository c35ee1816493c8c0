import { ChatInline, ChatPost } from '../chat-post';
import {
  ChatAnswer,
  ChatPlatform,
  checkWebhookUrl,
  classifyStatus,
  fitPost,
  hmacSha256Base64,
  JSON_HEADERS,
  parseJsonObject,
  utf8Bytes,
} from './chat-platform';

/** Feishu's limit on a custom bot's request body (docs: "请求体大小不能超过 20 KB"). */
export const FEISHU_MAX_BODY_BYTES = 20 * 1024;

/**
 * Feishu's 签名校验: the HMAC key is `${timestamp}\n${secret}` and the message is EMPTY (unlike
 * DingTalk, where the secret is the key); base64 of the digest; timestamp in seconds.
 */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return hmacSha256Base64(`${timestampSeconds}\n${secret}`, '');
}

/** One run as a post element: text runs are literal (no Markdown, no `<at>`), links are `a` tags. */
function postElement(run: ChatInline): Record<string, unknown> {
  if ('url' in run) return { tag: 'a', text: run.text, href: run.url };
  return run.bold ? { tag: 'text', text: run.text, style: ['bold'] } : { tag: 'text', text: run.text };
}

/**
 * The post as Feishu `post` rich text rather than a card's lark_md: every run is a typed element,
 * so people's text needs no escaping to stay text, and mentions exist only as `at` elements we never
 * write. The action is the last paragraph, a link.
 */
export function feishuContent(post: ChatPost): Record<string, unknown> {
  const paragraphs = post.lines.map((line) => line.map(postElement));
  if (post.action) paragraphs.push([{ tag: 'a', text: post.action.label, href: post.action.url }]);
  const language = post.locale === 'zh-CN' ? 'zh_cn' : 'en_us';
  return { post: { [language]: { title: post.title, content: paragraphs } } };
}

/** 11232 "frequency limited"; 9499 is also Feishu's generic "Bad Request", so only its throttling message retries. */
function isFeishuThrottle(code: number, message: string): boolean {
  return code === 11232 || (code === 9499 && /too many|frequen|limit/i.test(message));
}

/**
 * Feishu / Lark custom bot (自定义机器人). Public doc:
 * https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot (Lark: open.larksuite.com, same
 * path): POST to /open-apis/bot/v2/hook/<token>, optional 签名校验 (timestamp within an hour, see
 * feishuSign), body up to 20 KB, and a frequency of "100 次/分钟，5 次/秒" per bot. One window that
 * honours both: 5 in any 3 s (so at most 5 in a second and 100 in a minute).
 */
export const feishu: ChatPlatform = {
  name: 'feishu',
  label: { en: 'Feishu / Lark custom bot', 'zh-CN': '飞书自定义机器人' },
  rateLimit: { limit: 5, windowMs: 3_000 },
  secret: 'optional',
  checkUrl: (url, extraHosts) =>
    checkWebhookUrl(
      url,
      {
        hosts: ['open.feishu.cn', 'open.larksuite.com'],
        path: /^\/open-apis\/bot\/v2\/hook\/[A-Za-z0-9_-]+$/,
        pathHint: '/open-apis/bot/v2/hook/<token>',
      },
      extraHosts,
    ),
  request(post, target, now) {
    const timestamp = Math.floor(now.getTime() / 1000);
    const signing = target.secret ? { timestamp: String(timestamp), sign: feishuSign(timestamp, target.secret) } : {};
    const bodyOf = (p: ChatPost) => JSON.stringify({ ...signing, msg_type: 'post', content: feishuContent(p) });
    const fitted = fitPost(post, (p) => utf8Bytes(bodyOf(p)), FEISHU_MAX_BODY_BYTES);
    return { url: target.url, headers: { ...JSON_HEADERS }, body: bodyOf(fitted) };
  },
  answer(status, body, headers): ChatAnswer {
    const json = parseJsonObject(body);
    // Current answers carry `code`; older ones only `StatusCode`.
    const raw = json?.['code'] ?? json?.['StatusCode'];
    const code = typeof raw === 'number' ? raw : null;
    if (code === null)
      return classifyStatus(status, body, headers) ?? { outcome: 'retry', reason: 'unreadable answer' };
    if (code === 0) return { outcome: 'delivered' };
    const rawMessage = json?.['msg'] ?? json?.['StatusMessage'];
    const message = typeof rawMessage === 'string' ? rawMessage : '';
    const reason = `Feishu code ${code}: ${message}`.trim();
    if (isFeishuThrottle(code, message)) return { outcome: 'retry', reason, ...retryAfter(headers) };
    if (status >= 500) return { outcome: 'retry', reason };
    // 19001 (token invalid), 19002 (params), 19007 (bot not enabled), 19021 (sign match fail or
    // timestamp not within an hour), 19022 (IP not allowed), 19024 (key words not found): settings.
    return { outcome: 'rejected', reason };
  },
};

function retryAfter(headers: Record<string, string>): { retryAfterMs?: number } {
  const value = headers['retry-after'];
  return value && /^\d+$/.test(value) ? { retryAfterMs: Number(value) * 1000 } : {};
}

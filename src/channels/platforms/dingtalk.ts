import { ChatPost } from '../chat-post';
import {
  ChatAnswer,
  ChatPlatform,
  checkWebhookUrl,
  classifyStatus,
  escapeMarkdownText,
  hmacSha256Base64,
  JSON_HEADERS,
  markdownLine,
  parseJsonObject,
} from './chat-platform';

/** 130101 "send too fast, exceed 20 times per minute", 130102 (also throttled), -1 system busy. */
const DINGTALK_RETRY_CODES: ReadonlySet<number> = new Set([-1, 130101, 130102]);

/**
 * DingTalk's 加签: sign = base64(HMAC-SHA256(key = secret, message = `${timestamp}\n${secret}`)),
 * timestamp in milliseconds, both sent in the query (URLSearchParams does the documented urlEncode).
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return hmacSha256Base64(secret, `${timestampMs}\n${secret}`);
}

/** The post as DingTalk Markdown: a heading, then paragraphs (DingTalk needs a blank line between them). */
export function dingtalkMarkdown(post: ChatPost): string {
  return [`### ${escapeMarkdownText(post.title)}`, ...post.lines.map((line) => markdownLine(line))].join('\n\n');
}

/**
 * DingTalk (钉钉) custom robot. Public doc: https://open.dingtalk.com/document/orgapp/custom-robot-access
 * (自定义机器人接入 / 发送群消息): markdown (`title` + `text`) or actionCard with one button; optional
 * 加签 (see dingtalkSign) with a timestamp within an hour; "每个机器人每分钟最多发送20条".
 * Mentions only happen through the payload's `at` field, which we never send.
 */
export const dingtalk: ChatPlatform = {
  name: 'dingtalk',
  label: { en: 'DingTalk custom robot', 'zh-CN': '钉钉自定义机器人' },
  rateLimit: { limit: 20, windowMs: 60_000 },
  secret: 'optional',
  checkUrl: (url, extraHosts) =>
    checkWebhookUrl(
      url,
      {
        hosts: ['oapi.dingtalk.com'],
        path: /^\/robot\/send$/,
        pathHint: '/robot/send',
        requiredQuery: 'access_token',
      },
      extraHosts,
    ),
  request(post, target, now) {
    const url = new URL(target.url);
    if (target.secret) {
      const timestamp = now.getTime();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', dingtalkSign(timestamp, target.secret));
    }
    const text = dingtalkMarkdown(post);
    const message = post.action
      ? {
          msgtype: 'actionCard',
          actionCard: {
            title: post.title,
            text,
            btnOrient: '0',
            singleTitle: post.action.label,
            singleURL: post.action.url,
          },
        }
      : { msgtype: 'markdown', markdown: { title: post.title, text } };
    return { url: url.toString(), headers: { ...JSON_HEADERS }, body: JSON.stringify(message) };
  },
  answer(status, body, headers): ChatAnswer {
    const json = parseJsonObject(body);
    const code = typeof json?.['errcode'] === 'number' ? json['errcode'] : null;
    if (code === null)
      return classifyStatus(status, body, headers) ?? { outcome: 'retry', reason: 'unreadable answer' };
    if (code === 0) return { outcome: 'delivered' };
    const reason = `DingTalk errcode ${code}: ${typeof json?.['errmsg'] === 'string' ? json['errmsg'] : ''}`.trim();
    // 310000 (sign not match, keywords not in content, ip not in whitelist), 300001 / 300005 (token
    // is not exist), 400013 (group dissolved)...: the robot's settings, not a passing fault.
    return DINGTALK_RETRY_CODES.has(code) ? { outcome: 'retry', reason } : { outcome: 'rejected', reason };
  },
};

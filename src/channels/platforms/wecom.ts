import { ChatPost } from '../chat-post';
import {
  ChatAnswer,
  ChatPlatform,
  checkWebhookUrl,
  classifyStatus,
  escapeMarkdownText,
  fitPost,
  JSON_HEADERS,
  markdownLine,
  markdownUrl,
  parseJsonObject,
  utf8Bytes,
} from './chat-platform';

/** WeCom's limit on a markdown message's content, in UTF-8 bytes (docs: "最长不超过4096个字节"). */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

/** errcodes that mean "later": system busy (-1), "api freq out of limit" (45009), concurrency (45033). */
const WECOM_RETRY_CODES: ReadonlySet<number> = new Set([-1, 45009, 45033]);

/** The post as WeCom robot Markdown: a bold heading, one paragraph per line, the action as a link. */
export function wecomMarkdown(post: ChatPost): string {
  const parts = [`**${escapeMarkdownText(post.title)}**`, ...post.lines.map((line) => markdownLine(line))];
  if (post.action) parts.push(`[${escapeMarkdownText(post.action.label)}](${markdownUrl(post.action.url)})`);
  return parts.join('\n');
}

/**
 * WeCom (企业微信) group robot. Public doc: https://developer.work.weixin.qq.com/document/path/91770
 * ("群机器人配置说明"): POST JSON to the robot's webhook URL (key in the query), markdown content at
 * most 4096 bytes, and "每个机器人发送的消息不能超过20条/分钟". No signing: the key is the credential.
 */
export const wecom: ChatPlatform = {
  name: 'wecom',
  label: { en: 'WeCom group robot', 'zh-CN': '企业微信群机器人' },
  rateLimit: { limit: 20, windowMs: 60_000 },
  secret: 'none',
  checkUrl: (url, extraHosts) =>
    checkWebhookUrl(
      url,
      {
        hosts: ['qyapi.weixin.qq.com'],
        path: /^\/cgi-bin\/webhook\/send$/,
        pathHint: '/cgi-bin/webhook/send',
        requiredQuery: 'key',
      },
      extraHosts,
    ),
  request(post, target) {
    const fitted = fitPost(post, (p) => utf8Bytes(wecomMarkdown(p)), WECOM_MARKDOWN_MAX_BYTES);
    return {
      url: target.url,
      headers: { ...JSON_HEADERS },
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content: wecomMarkdown(fitted) } }),
    };
  },
  answer(status, body, headers): ChatAnswer {
    const json = parseJsonObject(body);
    const code = typeof json?.['errcode'] === 'number' ? json['errcode'] : null;
    if (code === null)
      return classifyStatus(status, body, headers) ?? { outcome: 'retry', reason: 'unreadable answer' };
    if (code === 0) return { outcome: 'delivered' };
    const reason = `WeCom errcode ${code}: ${typeof json?.['errmsg'] === 'string' ? json['errmsg'] : ''}`.trim();
    // 93000 (invalid webhook url: a wrong or deleted key), 40008 (msgtype), 40058 (param), 44004
    // (empty content), 45002 (too long)... any other code is the request's or the key's fault.
    return WECOM_RETRY_CODES.has(code) ? { outcome: 'retry', reason } : { outcome: 'rejected', reason };
  },
};

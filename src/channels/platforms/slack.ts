import { ChatInline, ChatPost } from '../chat-post';
import { ChatAnswer, ChatPlatform, checkWebhookUrl, classifyStatus, JSON_HEADERS, plainLine } from './chat-platform';

/** Block Kit limits: a header's text and a button's label (characters). */
const HEADER_MAX = 150;
const BUTTON_MAX = 75;

/**
 * Slack mrkdwn's escaping, which is all Slack defines: `&`, `<`, `>` as entities, so `<@U123>`,
 * `<!channel>` or `<http://x|y>` typed by someone stays text. Used for the notification fallback.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function richTextElement(run: ChatInline): Record<string, unknown> {
  if ('url' in run) return { type: 'link', url: run.url, text: run.text };
  return run.bold ? { type: 'text', text: run.text, style: { bold: true } } : { type: 'text', text: run.text };
}

/**
 * The body as a `rich_text` block, not a mrkdwn section: mrkdwn has no escape for `*`, `_` or `~`,
 * so a title like `**x**` would turn bold there; a rich_text `text` element is literal (no mrkdwn, no
 * mentions, no emoji codes) and bold and links are typed elements.
 */
export function slackBlocks(post: ChatPost): Record<string, unknown>[] {
  const elements: Record<string, unknown>[] = [];
  post.lines.forEach((line, index) => {
    if (index > 0) elements.push({ type: 'text', text: '\n' });
    elements.push(...line.map(richTextElement));
  });
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(post.title, HEADER_MAX), emoji: false } },
  ];
  if (elements.length) blocks.push({ type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] });
  if (post.action) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: clip(post.action.label, BUTTON_MAX), emoji: false },
          url: post.action.url,
        },
      ],
    });
  }
  return blocks;
}

/**
 * Slack incoming webhook. Public docs: https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
 * (JSON `text` + `blocks`; the URL is the credential), errors as in
 * https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks (400
 * invalid_payload, 403 action_prohibited / invalid_token, 404 channel_not_found / no_service, 410
 * channel_is_archived), and https://docs.slack.dev/apis/web-api/rate-limits: incoming webhooks "1
 * per second", short bursts allowed, 429 with Retry-After beyond.
 */
export const slack: ChatPlatform = {
  name: 'slack',
  label: { en: 'Slack incoming webhook', 'zh-CN': 'Slack 传入 Webhook' },
  rateLimit: { limit: 1, windowMs: 1_000 },
  secret: 'none',
  checkUrl: (url, extraHosts) =>
    checkWebhookUrl(
      url,
      {
        hosts: ['hooks.slack.com'],
        path: /^\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/,
        pathHint: '/services/T…/B…/…',
      },
      extraHosts,
    ),
  request(post, target) {
    // The fallback is what notifications show; it is mrkdwn, hence escaped.
    const fallback = [post.title, ...post.lines.map(plainLine)].map(escapeSlackText).join('\n');
    return {
      url: target.url,
      headers: { ...JSON_HEADERS },
      body: JSON.stringify({ text: fallback, blocks: slackBlocks(post) }),
    };
  },
  answer(status, body, headers): ChatAnswer {
    // 200 "ok"; 400 invalid_payload, 403, 404 and 410 (archived) are rejected; 429 and 5xx retried.
    return classifyStatus(status, body, headers) ?? { outcome: 'delivered' };
  },
};

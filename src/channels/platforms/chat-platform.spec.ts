import { createHmac } from 'node:crypto';
import { CHAT_PLATFORMS, ChatPost } from '../chat-post';
import {
  CHAT_PLATFORM_ADAPTERS,
  classifyStatus,
  escapeMarkdownText,
  fitPost,
  markdownLine,
  maskWebhookUrl,
  utf8Bytes,
} from './index';

describe('CHAT_PLATFORM_ADAPTERS', () => {
  it('has one adapter per platform, under its own name, with a label in both locales', () => {
    expect(Object.keys(CHAT_PLATFORM_ADAPTERS).sort()).toEqual([...CHAT_PLATFORMS].sort());
    for (const name of CHAT_PLATFORMS) {
      const adapter = CHAT_PLATFORM_ADAPTERS[name];
      expect(adapter.name).toBe(name);
      expect(adapter.label.en).toBeTruthy();
      expect(adapter.label['zh-CN']).toBeTruthy();
      expect(adapter.rateLimit.limit).toBeGreaterThan(0);
    }
    expect(CHAT_PLATFORM_ADAPTERS.wecom.label['zh-CN']).toBe('企业微信群机器人');
  });
});

describe('maskWebhookUrl', () => {
  it('keeps scheme, host and path words, and masks every query value and token', () => {
    expect(
      maskWebhookUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa3f9a'),
    ).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…3f9a');
    expect(maskWebhookUrl('https://open.feishu.cn/open-apis/bot/v2/hook/0c1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/…e7f8',
    );
    expect(
      maskWebhookUrl(
        'https://oapi.dingtalk.com/robot/send?access_token=4f1e2d3c4b5a69788796a5b4c3d2e1f0aabbccdd&timestamp=1',
      ),
    ).toBe('https://oapi.dingtalk.com/robot/send?access_token=…ccdd&timestamp=…');
    expect(maskWebhookUrl('https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx')).toBe(
      'https://hooks.slack.com/services/…/…/…uvwx',
    );
    expect(maskWebhookUrl('https://user:pw@example.com/hooks/in?sig=abc#frag')).toBe(
      'https://example.com/hooks/in?sig=…',
    );
    expect(maskWebhookUrl('not a url')).toBe('…');
  });
});

describe('classifyStatus', () => {
  it('leaves 2xx to the body, retries 408, 429 and 5xx (with Retry-After), rejects other statuses', () => {
    expect(classifyStatus(200, '', {})).toBeNull();
    expect(classifyStatus(429, 'slow', { 'retry-after': '7' })).toEqual({
      outcome: 'retry',
      reason: 'HTTP 429: slow',
      retryAfterMs: 7000,
    });
    expect(classifyStatus(503, '', {})).toEqual({ outcome: 'retry', reason: 'HTTP 503' });
    expect(classifyStatus(408, '', { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' })).toEqual({
      outcome: 'retry',
      reason: 'HTTP 408',
    });
    expect(classifyStatus(404, 'gone', {})).toEqual({ outcome: 'rejected', reason: 'HTTP 404: gone' });
    expect(classifyStatus(301, '', {})?.outcome).toBe('rejected');
  });
});

describe('CommonMark-like escaping (WeCom, DingTalk)', () => {
  it('keeps markup, tags and mentions people typed as text', () => {
    expect(escapeMarkdownText('**x** [click](http://evil.example) <font color="warning">hi</font> @all')).toBe(
      '\\*\\*x\\*\\* \\[click\\]\\(http://evil.example\\) &lt;font color="warning"&gt;hi&lt;/font&gt; @all',
    );
    expect(escapeMarkdownText('# one\n> two', true)).toBe('\\# one &gt; two');
    expect(escapeMarkdownText('1. first', true)).toBe('\\1. first');
    expect(
      markdownLine([{ text: 'Go ' }, { text: 'now', bold: true }, { text: 'a)b', url: 'https://x.example/(p)' }]),
    ).toBe('Go **now**[a\\)b](https://x.example/%28p%29)');
  });
});

describe('fitPost', () => {
  const post: ChatPost = {
    kind: 'released',
    locale: 'zh-CN',
    title: '标题',
    lines: Array.from({ length: 50 }, (_, i) => [{ text: `第 ${i} 行：${'很长的中文内容'.repeat(10)}` }]),
    action: { label: '打开', url: 'https://x.example/' },
  };
  const measure = (p: ChatPost) => utf8Bytes(JSON.stringify(p));

  it('returns the post itself when it fits', () => {
    expect(fitPost(post, measure, 1_000_000)).toBe(post);
  });

  it('drops lines from the end, then cuts the last one by characters, and marks the cut', () => {
    const fitted = fitPost(post, measure, 2000);
    expect(measure(fitted)).toBeLessThanOrEqual(2000);
    expect(fitted.lines.length).toBeLessThan(post.lines.length);
    expect(fitted.lines[fitted.lines.length - 1]).toEqual([{ text: '…' }]);
    expect(fitted.action).toEqual(post.action);
    const one = fitPost({ ...post, lines: [post.lines[0]] }, measure, 300);
    expect(measure(one)).toBeLessThanOrEqual(300);
    expect(one.lines[0][one.lines[0].length - 1]).toEqual({ text: '…' });
    // Cut by code points: no broken characters.
    expect(Buffer.from(JSON.stringify(one), 'utf8').toString('utf8')).not.toContain('\uFFFD');
  });
});

describe('signatures computed independently (node:crypto, the documented steps)', () => {
  it('agrees with a Feishu value published by another implementation for the same inputs', () => {
    // "HMAC-SHA256(key = timestamp\nsecret, data = '') then base64": the same inputs and value appear
    // in a third-party Feishu bot's test suite; no official vector is published by Feishu.
    expect(createHmac('sha256', '1756800000\norbit-test-secret').update('').digest('base64')).toBe(
      'sN+9ZKa5w6BQmKyxCaxNA1DWEgtEnZaOcfEOCqZ26fg=',
    );
  });
});

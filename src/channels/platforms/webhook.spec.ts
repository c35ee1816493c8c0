import { createHmac } from 'node:crypto';
import { ChatPost } from '../chat-post';
import { FakeChatReceivers, startFakeChatReceivers } from '../../../test/support/fake-chat-receivers';
import { standardWebhookSignature, webhook, webhookSecretKey } from './webhook';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const post: ChatPost = {
  kind: 'milestone',
  locale: 'zh-CN',
  title: '已有 30 位同学打卡第 2 课',
  lines: [[{ text: '太棒了！已有 ' }, { text: '30', bold: true }, { text: ' 位同学打卡 **x** <b>' }]],
};

describe('signed JSON webhook (Standard Webhooks)', () => {
  it('reproduces the specification’s published test vector', () => {
    // From the Standard Webhooks reference libraries' tests (github.com/standard-webhooks/standard-webhooks,
    // libraries/javascript/src/webhook.test.ts and the other languages').
    expect(standardWebhookSignature(SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('posts the post as JSON with id, timestamp and signature headers', () => {
    const request = webhook.request(post, { url: 'https://hooks.example.org/in', secret: SECRET }, NOW, 'msg_123');
    expect(request.headers).toMatchObject({ 'webhook-id': 'msg_123', 'webhook-timestamp': '1772452800' });
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const expected = createHmac('sha256', key).update(`msg_123.1772452800.${request.body}`).digest('base64');
    expect(request.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(JSON.parse(request.body)).toEqual({
      type: 'course-funnel.milestone',
      timestamp: '2026-03-02T12:00:00.000Z',
      data: {
        kind: 'milestone',
        locale: 'zh-CN',
        title: '已有 30 位同学打卡第 2 课',
        lines: ['太棒了！已有 30 位同学打卡 **x** <b>'],
        runs: post.lines,
        action: null,
      },
    });
  });

  it('needs its secret, as whsec_ and base64', () => {
    expect(() => webhook.request(post, { url: 'https://hooks.example.org/in' }, NOW, 'm')).toThrow();
    expect(webhookSecretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeNull();
    expect(webhookSecretKey('whsec_not base64!')).toBeNull();
    expect(webhookSecretKey(SECRET)?.length).toBe(24);
  });

  it('classifies the answers', () => {
    expect(webhook.answer(204, '', {})).toEqual({ outcome: 'delivered' });
    expect(webhook.answer(202, 'queued', {})).toEqual({ outcome: 'delivered' });
    expect(webhook.answer(410, 'gone', {})).toEqual({ outcome: 'rejected', reason: 'HTTP 410: gone' });
    expect(webhook.answer(401, '', {}).outcome).toBe('rejected');
    expect(webhook.answer(408, '', {}).outcome).toBe('retry');
    expect(webhook.answer(429, '', { 'retry-after': '5' })).toEqual({
      outcome: 'retry',
      reason: 'HTTP 429',
      retryAfterMs: 5000,
    });
    expect(webhook.answer(502, '', {}).outcome).toBe('retry');
  });

  it('accepts any public https URL', () => {
    expect(webhook.checkUrl('https://hooks.example.org/in?x=1', [])).toBeNull();
    expect(webhook.checkUrl('http://hooks.example.org/in', [])).toBe('the URL must use https');
    expect(webhook.checkUrl('https://127.0.0.1/in', [])).toBe('the host must be a public address');
    expect(webhook.checkUrl('https://10.1.2.3/in', [])).toBe('the host must be a public address');
    expect(webhook.checkUrl('https://[::1]/in', [])).toBe('the host must be a public address');
    expect(webhook.checkUrl('https://localhost/in', [])).toBe('the host must be a public address');
    expect(webhook.checkUrl('http://127.0.0.1:4000/hooks/generic/a', ['127.0.0.1:4000'])).toBeNull();
  });

  describe('against the fake receiver', () => {
    let receivers: FakeChatReceivers;
    let now = NOW;
    beforeAll(async () => {
      receivers = await startFakeChatReceivers({ now: () => now });
    });
    afterAll(() => receivers.close());

    it('is accepted and verified with the secret; refused with a wrong secret or outside 5 minutes', async () => {
      const url = receivers.url('webhook', 'crm');
      const secret = receivers.secret('webhook', 'crm');
      expect(webhook.checkUrl(url, [receivers.host])).toBeNull();
      expect(await send(webhook.request(post, { url, secret }, NOW, 'msg_1'))).toEqual({ outcome: 'delivered' });
      expect(receivers.received('webhook')[0]).toMatchObject({
        name: 'crm',
        verified: true,
        headers: { 'webhook-id': 'msg_1' },
        json: { type: 'course-funnel.milestone' },
      });
      expect(await send(webhook.request(post, { url, secret: SECRET }, NOW, 'msg_2'))).toEqual({
        outcome: 'rejected',
        reason: 'HTTP 401: invalid signature',
      });
      now = new Date(NOW.getTime() + 6 * 60 * 1000);
      expect((await send(webhook.request(post, { url, secret }, NOW, 'msg_3'))).outcome).toBe('rejected');
      now = NOW;
      receivers.down('webhook', '503');
      expect((await send(webhook.request(post, { url, secret }, NOW, 'msg_4'))).outcome).toBe('retry');
      receivers.up();
    });
  });
});

async function send(request: { url: string; headers: Record<string, string>; body: string }) {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return webhook.answer(response.status, await response.text(), Object.fromEntries(response.headers));
}

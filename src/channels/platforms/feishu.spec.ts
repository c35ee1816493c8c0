import { createHmac } from 'node:crypto';
import { ChatPost } from '../chat-post';
import { FakeChatReceivers, startFakeChatReceivers } from '../../../test/support/fake-chat-receivers';
import { feishu, feishuSign } from './feishu';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const HOSTILE = '**x** [click](http://evil.example) <at user_id="all">所有人</at> @all';
const post: ChatPost = {
  kind: 'released',
  locale: 'zh-CN',
  title: `《${HOSTILE}》已上线`,
  lines: [
    [{ text: '第 2 课 ' }, { text: HOSTILE, bold: true }],
    [{ text: '回看', url: 'https://course.example.com/r' }],
  ],
  action: { label: '开始学习', url: 'https://course.example.com/g/lesson/2' },
};
const URL_ = 'https://open.feishu.cn/open-apis/bot/v2/hook/0c1a2b3c-4d5e';

describe('Feishu / Lark custom bot', () => {
  it('posts rich text whose runs are typed elements, so people’s text needs no escaping', () => {
    const body = JSON.parse(feishu.request(post, { url: URL_ }, NOW, 'd1').body);
    expect(body).toEqual({
      msg_type: 'post',
      content: {
        post: {
          zh_cn: {
            title: `《${HOSTILE}》已上线`,
            content: [
              [
                { tag: 'text', text: '第 2 课 ' },
                { tag: 'text', text: HOSTILE, style: ['bold'] },
              ],
              [{ tag: 'a', text: '回看', href: 'https://course.example.com/r' }],
              [{ tag: 'a', text: '开始学习', href: 'https://course.example.com/g/lesson/2' }],
            ],
          },
        },
      },
    });
    const en = JSON.parse(feishu.request({ ...post, locale: 'en' }, { url: URL_ }, NOW, 'd1').body);
    expect(Object.keys(en.content.post)).toEqual(['en_us']);
  });

  it('signs with key = `${timestamp}\\n${secret}` over an empty message, timestamp in seconds', () => {
    const body = JSON.parse(feishu.request(post, { url: URL_, secret: 'demo-secret' }, NOW, 'd1').body);
    expect(body.timestamp).toBe('1772452800');
    // Computed here with node:crypto from the documented steps (Feishu publishes no sample value).
    const expected = createHmac('sha256', '1772452800\ndemo-secret').update(Buffer.alloc(0)).digest('base64');
    expect(body.sign).toBe(expected);
    expect(feishuSign(1772452800, 'demo-secret')).toBe(expected);
  });

  it('classifies the answers', () => {
    expect(
      feishu.answer(200, '{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}', {}),
    ).toEqual({
      outcome: 'delivered',
    });
    expect(feishu.answer(200, '{"StatusCode":0}', {})).toEqual({ outcome: 'delivered' });
    expect(
      feishu.answer(
        200,
        '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
        {},
      ),
    ).toEqual({
      outcome: 'rejected',
      reason: 'Feishu code 19021: sign match fail or timestamp is not within one hour from current time',
    });
    expect(
      feishu.answer(200, '{"code":19001,"msg":"param invalid: incoming webhook access token invalid"}', {}).outcome,
    ).toBe('rejected');
    expect(feishu.answer(200, '{"code":19024,"msg":"Key Words Not Found"}', {}).outcome).toBe('rejected');
    expect(feishu.answer(200, '{"code":11232,"msg":"frequency limited"}', {}).outcome).toBe('retry');
    expect(feishu.answer(429, '{"code":9499,"msg":"too many request"}', { 'retry-after': '3' })).toEqual({
      outcome: 'retry',
      reason: 'Feishu code 9499: too many request',
      retryAfterMs: 3000,
    });
    expect(feishu.answer(400, '{"code":9499,"msg":"Bad Request"}', {}).outcome).toBe('rejected');
    expect(feishu.answer(503, 'unavailable', {}).outcome).toBe('retry');
  });

  it('accepts Feishu and Lark hook URLs only', () => {
    expect(feishu.checkUrl(URL_, [])).toBeNull();
    expect(feishu.checkUrl('https://open.larksuite.com/open-apis/bot/v2/hook/abc', [])).toBeNull();
    expect(feishu.checkUrl('https://open.feishu.cn/open-apis/bot/v2/hook/', [])).toBe(
      'the path must be /open-apis/bot/v2/hook/<token>',
    );
    expect(feishu.checkUrl('https://evil.example/open-apis/bot/v2/hook/abc', [])).toBe(
      'the host must be open.feishu.cn or open.larksuite.com',
    );
    expect(feishu.checkUrl('http://open.feishu.cn/open-apis/bot/v2/hook/abc', [])).toBe('the URL must use https');
  });

  describe('against the fake receiver', () => {
    let receivers: FakeChatReceivers;
    let now = NOW;
    beforeAll(async () => {
      receivers = await startFakeChatReceivers({ now: () => now });
    });
    afterAll(() => receivers.close());

    it('is accepted and verified with the secret, refused with a wrong one or an old timestamp', async () => {
      const url = receivers.url('feishu', 'group');
      const secret = receivers.secret('feishu', 'group');
      expect(feishu.checkUrl(url, [receivers.host])).toBeNull();
      expect(await send(feishu.request(post, { url, secret }, NOW, 'd1'))).toEqual({ outcome: 'delivered' });
      expect(receivers.received('feishu')[0]).toMatchObject({ name: 'group', verified: true });

      expect(await send(feishu.request(post, { url, secret: 'wrong' }, NOW, 'd2'))).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringContaining('19021'),
      });
      now = new Date(NOW.getTime() + 61 * 60 * 1000);
      expect((await send(feishu.request(post, { url, secret }, NOW, 'd3'))).outcome).toBe('rejected');
      expect(receivers.received('feishu').map((r) => r.verified)).toEqual([true, false, false]);
      now = NOW;
      const unknown = `${receivers.origin}/open-apis/bot/v2/hook/unknown`;
      expect((await send(feishu.request(post, { url: unknown }, NOW, 'd4'))).outcome).toBe('rejected');
    });
  });
});

async function send(request: { url: string; headers: Record<string, string>; body: string }) {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return feishu.answer(response.status, await response.text(), Object.fromEntries(response.headers));
}

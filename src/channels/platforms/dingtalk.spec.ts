import { createHmac } from 'node:crypto';
import { ChatPost } from '../chat-post';
import { FakeChatReceivers, startFakeChatReceivers } from '../../../test/support/fake-chat-receivers';
import { dingtalk, dingtalkSign } from './dingtalk';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const HOSTILE = '**x** [click](http://evil.example) <font color=red>hi</font> @13800001111 @all';
const post: ChatPost = {
  kind: 'homework',
  locale: 'zh-CN',
  title: `《${HOSTILE}》作业提醒`,
  lines: [[{ text: '作业将于 ' }, { text: '2026-03-04 22:00', bold: true }, { text: ` 截止：${HOSTILE}` }]],
  action: { label: '去交作业', url: 'https://course.example.com/g/lesson/2' },
};
const URL_ = 'https://oapi.dingtalk.com/robot/send?access_token=4f1e2d3c';

describe('DingTalk custom robot', () => {
  it('posts an actionCard with one button when the post has an action, markdown otherwise; text escaped', () => {
    const request = dingtalk.request(post, { url: URL_ }, NOW, 'd1');
    expect(request.url).toBe(URL_);
    const body = JSON.parse(request.body);
    const escaped =
      '\\*\\*x\\*\\* \\[click\\]\\(http://evil.example\\) &lt;font color=red&gt;hi&lt;/font&gt; @13800001111 @all';
    expect(body).toEqual({
      msgtype: 'actionCard',
      actionCard: {
        title: `《${HOSTILE}》作业提醒`,
        text: `### 《${escaped}》作业提醒\n\n作业将于 **2026-03-04 22:00** 截止：${escaped}`,
        btnOrient: '0',
        singleTitle: '去交作业',
        singleURL: 'https://course.example.com/g/lesson/2',
      },
    });
    // No `at` field: nobody is mentioned, whatever the text says.
    expect(request.body).not.toContain('"at"');
    const plain = JSON.parse(dingtalk.request({ ...post, action: undefined }, { url: URL_ }, NOW, 'd1').body);
    expect(plain.msgtype).toBe('markdown');
    expect(plain.markdown.title).toBe(post.title);
  });

  it('signs in the query: timestamp in ms, sign = base64(HMAC-SHA256(secret, `${timestamp}\\n${secret}`))', () => {
    const secret = 'SEC0123456789abcdef';
    const url = new URL(dingtalk.request(post, { url: URL_, secret }, NOW, 'd1').url);
    expect(url.searchParams.get('access_token')).toBe('4f1e2d3c');
    expect(url.searchParams.get('timestamp')).toBe('1772452800000');
    // Computed here with node:crypto from the documented steps (DingTalk's samples print no value).
    const expected = createHmac('sha256', secret).update(`1772452800000\n${secret}`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(dingtalkSign(1772452800000, secret)).toBe(expected);
    // urlEncode'd on the wire, like the documented quote_plus: no raw + / = left.
    expect(url.search.split('sign=')[1]).not.toMatch(/[+/=]/);
  });

  it('classifies the answers', () => {
    expect(dingtalk.answer(200, '{"errcode":0,"errmsg":"ok"}', {})).toEqual({ outcome: 'delivered' });
    expect(dingtalk.answer(200, '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}', {})).toEqual(
      {
        outcome: 'retry',
        reason: 'DingTalk errcode 130101: send too fast, exceed 20 times per minute',
      },
    );
    expect(dingtalk.answer(200, '{"errcode":310000,"errmsg":"sign not match"}', {}).outcome).toBe('rejected');
    expect(dingtalk.answer(200, '{"errcode":310000,"errmsg":"keywords not in content"}', {}).outcome).toBe('rejected');
    expect(dingtalk.answer(200, '{"errcode":300001,"errmsg":"token is not exist"}', {}).outcome).toBe('rejected');
    expect(dingtalk.answer(500, '', {}).outcome).toBe('retry');
  });

  it('accepts only its official webhook URL with an access token', () => {
    expect(dingtalk.checkUrl(URL_, [])).toBeNull();
    expect(dingtalk.checkUrl('https://oapi.dingtalk.com/robot/send', [])).toBe('the URL must carry its access_token');
    expect(dingtalk.checkUrl('https://api.dingtalk.com/robot/send?access_token=1', [])).toBe(
      'the host must be oapi.dingtalk.com',
    );
  });

  describe('against the fake receiver', () => {
    let receivers: FakeChatReceivers;
    beforeAll(async () => {
      receivers = await startFakeChatReceivers({ now: () => NOW });
    });
    afterAll(() => receivers.close());

    it('is accepted and verified with the secret, refused with a wrong one; unsigned robots take unsigned posts', async () => {
      const url = receivers.url('dingtalk', 'signed');
      const secret = receivers.secret('dingtalk', 'signed');
      expect(dingtalk.checkUrl(url, [receivers.host])).toBeNull();
      expect(await send(dingtalk.request(post, { url, secret }, NOW, 'd1'))).toEqual({ outcome: 'delivered' });
      expect(receivers.received('dingtalk')[0]).toMatchObject({ name: 'signed', verified: true });
      expect(await send(dingtalk.request(post, { url, secret: `${secret}x` }, NOW, 'd2'))).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringContaining('310000'),
      });
      const open = receivers.url('dingtalk', 'open');
      expect(await send(dingtalk.request(post, { url: open }, NOW, 'd3'))).toEqual({ outcome: 'delivered' });
      receivers.down('dingtalk', 'rate-limited');
      expect((await send(dingtalk.request(post, { url: open }, NOW, 'd4'))).outcome).toBe('retry');
      receivers.up();
    });
  });
});

async function send(request: { url: string; headers: Record<string, string>; body: string }) {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return dingtalk.answer(response.status, await response.text(), Object.fromEntries(response.headers));
}

import { ChatPost } from '../chat-post';
import { ChatPostRenderer } from '../chat-post.renderer';
import { FakeChatReceivers, startFakeChatReceivers } from '../../../test/support/fake-chat-receivers';
import { utf8Bytes } from './chat-platform';
import { WECOM_MARKDOWN_MAX_BYTES, wecom, wecomMarkdown } from './wecom';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const HOSTILE = '**x** [click](http://evil.example) <font color="warning">hi</font> <@zhangsan> @all';
const post: ChatPost = {
  kind: 'released',
  locale: 'zh-CN',
  title: `第 2 课《${HOSTILE}》已上线`,
  lines: [[{ text: '第 2 课 ' }, { text: `《${HOSTILE}》`, bold: true }, { text: ' 已经上线啦' }]],
  action: { label: '开始学习', url: 'https://course.example.com/g/lesson/2' },
};

describe('WeCom group robot', () => {
  it('posts one markdown message, people’s text escaped', () => {
    const request = wecom.request(post, { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K' }, NOW, 'd1');
    expect(request.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(request.body);
    expect(body.msgtype).toBe('markdown');
    const escaped =
      '\\*\\*x\\*\\* \\[click\\]\\(http://evil.example\\) &lt;font color="warning"&gt;hi&lt;/font&gt; &lt;@zhangsan&gt; @all';
    expect(body.markdown.content).toBe(
      `**第 2 课《${escaped}》已上线**\n第 2 课 **《${escaped}》** 已经上线啦\n[开始学习](https://course.example.com/g/lesson/2)`,
    );
    expect(body.markdown.content).not.toContain('<font');
  });

  it('keeps the content within 4096 bytes, cutting whole characters, keeping the button', () => {
    const long: ChatPost = {
      ...post,
      lines: Array.from({ length: 200 }, () => [{ text: '家长们好，这是一段很长的说明。' }]),
    };
    const body = JSON.parse(
      wecom.request(long, { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K' }, NOW, 'd').body,
    );
    expect(utf8Bytes(body.markdown.content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(body.markdown.content).toMatch(/…\n\[开始学习\]\(https:\/\/course\.example\.com\/g\/lesson\/2\)$/);
    expect(utf8Bytes(wecomMarkdown(long))).toBeGreaterThan(WECOM_MARKDOWN_MAX_BYTES);
  });

  it('classifies the answers', () => {
    expect(wecom.answer(200, '{"errcode":0,"errmsg":"ok"}', {})).toEqual({ outcome: 'delivered' });
    expect(wecom.answer(200, '{"errcode":45009,"errmsg":"api freq out of limit"}', {})).toEqual({
      outcome: 'retry',
      reason: 'WeCom errcode 45009: api freq out of limit',
    });
    expect(wecom.answer(200, '{"errcode":-1,"errmsg":"system busy"}', {}).outcome).toBe('retry');
    expect(wecom.answer(200, '{"errcode":93000,"errmsg":"invalid webhook url"}', {})).toEqual({
      outcome: 'rejected',
      reason: 'WeCom errcode 93000: invalid webhook url',
    });
    expect(wecom.answer(200, '{"errcode":40058,"errmsg":"invalid parameter"}', {}).outcome).toBe('rejected');
    expect(wecom.answer(502, 'Bad Gateway', {}).outcome).toBe('retry');
    expect(wecom.answer(200, '<html>', {}).outcome).toBe('retry');
  });

  it('accepts only its official webhook URL, or a listed local host', () => {
    const ok = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6';
    expect(wecom.checkUrl(ok, [])).toBeNull();
    expect(wecom.checkUrl(ok.replace('https', 'http'), [])).toBe('the URL must use https');
    expect(wecom.checkUrl('https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=1', [])).toBe(
      'the host must be qyapi.weixin.qq.com',
    );
    expect(wecom.checkUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send', [])).toBe('the URL must carry its key');
    expect(wecom.checkUrl('https://qyapi.weixin.qq.com/cgi-bin/message/send?key=1', [])).toBe(
      'the path must be /cgi-bin/webhook/send',
    );
    expect(wecom.checkUrl('http://127.0.0.1:4000/cgi-bin/webhook/send?key=1', ['127.0.0.1:4000'])).toBeNull();
    expect(wecom.checkUrl('http://127.0.0.1:4000/other?key=1', ['127.0.0.1:4000'])).toBe(
      'the path must be /cgi-bin/webhook/send',
    );
    expect(wecom.checkUrl('nope', [])).toBe('not a valid URL');
  });

  describe('against the fake receiver', () => {
    let receivers: FakeChatReceivers;
    beforeAll(async () => {
      receivers = await startFakeChatReceivers({ now: () => NOW });
    });
    afterAll(() => receivers.close());

    it('is accepted with a registered key, refused with another, throttled when the robot is', async () => {
      const renderer = new ChatPostRenderer();
      const real = renderer.render(renderer.sample('opening', 'zh-CN'), 'zh-CN');
      const url = receivers.url('wecom', 'group');
      expect(wecom.checkUrl(url, [receivers.host])).toBeNull();
      expect(await send(wecom.request(real, { url }, NOW, 'd1'))).toEqual({ outcome: 'delivered' });
      expect(receivers.received('wecom')[0]).toMatchObject({ name: 'group', json: { msgtype: 'markdown' } });

      const unknown = `${receivers.origin}/cgi-bin/webhook/send?key=not-registered`;
      expect((await send(wecom.request(real, { url: unknown }, NOW, 'd2'))).outcome).toBe('rejected');

      receivers.down('wecom', 'rate-limited');
      expect((await send(wecom.request(real, { url }, NOW, 'd3'))).outcome).toBe('retry');
      receivers.up();
    });
  });
});

async function send(request: { url: string; headers: Record<string, string>; body: string }) {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return wecom.answer(response.status, await response.text(), Object.fromEntries(response.headers));
}

import { ChatPost } from '../chat-post';
import { FakeChatReceivers, startFakeChatReceivers } from '../../../test/support/fake-chat-receivers';
import { escapeSlackText, slack } from './slack';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const HOSTILE = '**x** *y* [click](http://evil.example) <http://evil.example|click> <@U123> <!channel> @all & :tada:';
const post: ChatPost = {
  kind: 'released',
  locale: 'en',
  title: `Class 2 is out: ${HOSTILE}`,
  lines: [
    [{ text: 'Class 2, ' }, { text: HOSTILE, bold: true }, { text: ', is ready.' }],
    [{ text: 'Replay', url: 'https://course.example.com/r' }],
  ],
  action: { label: 'Open the class', url: 'https://course.example.com/g/lesson/2' },
};
const URL_ = 'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx';

describe('Slack incoming webhook', () => {
  it('posts a header, a rich_text body of literal runs and a button; the fallback escaped', () => {
    const body = JSON.parse(slack.request(post, { url: URL_ }, NOW, 'd1').body);
    const escaped =
      '**x** *y* [click](http://evil.example) &lt;http://evil.example|click&gt; &lt;@U123&gt; &lt;!channel&gt; @all &amp; :tada:';
    expect(body.text).toBe(`Class 2 is out: ${escaped}\nClass 2, ${escaped}, is ready.\nReplay`);
    expect(body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: `Class 2 is out: ${HOSTILE}`, emoji: false } },
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'Class 2, ' },
              { type: 'text', text: HOSTILE, style: { bold: true } },
              { type: 'text', text: ', is ready.' },
              { type: 'text', text: '\n' },
              { type: 'link', url: 'https://course.example.com/r', text: 'Replay' },
            ],
          },
        ],
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open the class', emoji: false },
            url: 'https://course.example.com/g/lesson/2',
          },
        ],
      },
    ]);
  });

  it('clips the header to Block Kit’s 150 characters', () => {
    const body = JSON.parse(slack.request({ ...post, title: 'x'.repeat(400) }, { url: URL_ }, NOW, 'd1').body);
    expect(Array.from(body.blocks[0].text.text as string)).toHaveLength(150);
  });

  it('escapes &, < and > for mrkdwn', () => {
    expect(escapeSlackText('a & <b> <@U1>')).toBe('a &amp; &lt;b&gt; &lt;@U1&gt;');
  });

  it('classifies the answers', () => {
    expect(slack.answer(200, 'ok', {})).toEqual({ outcome: 'delivered' });
    expect(slack.answer(429, 'rate_limited', { 'retry-after': '30' })).toEqual({
      outcome: 'retry',
      reason: 'HTTP 429: rate_limited',
      retryAfterMs: 30_000,
    });
    expect(slack.answer(400, 'invalid_payload', {})).toEqual({
      outcome: 'rejected',
      reason: 'HTTP 400: invalid_payload',
    });
    expect(slack.answer(403, 'invalid_token', {}).outcome).toBe('rejected');
    expect(slack.answer(404, 'no_service', {}).outcome).toBe('rejected');
    expect(slack.answer(410, 'channel_is_archived', {}).outcome).toBe('rejected');
    expect(slack.answer(500, 'rollup_error', {}).outcome).toBe('retry');
  });

  it('accepts only hooks.slack.com/services/…', () => {
    expect(slack.checkUrl(URL_, [])).toBeNull();
    expect(slack.checkUrl('https://hooks.slack.com/workflows/T1/A1/1', [])).toBe('the path must be /services/T…/B…/…');
    expect(slack.checkUrl('https://hooks.slack.com.evil.example/services/T1/B1/X1', [])).toBe(
      'the host must be hooks.slack.com',
    );
  });

  describe('against the fake receiver', () => {
    let receivers: FakeChatReceivers;
    beforeAll(async () => {
      receivers = await startFakeChatReceivers({ now: () => NOW });
    });
    afterAll(() => receivers.close());

    it('is accepted at a registered path, refused at another, retried when throttled or down', async () => {
      const url = receivers.url('slack', 'parents');
      expect(slack.checkUrl(url, [receivers.host])).toBeNull();
      expect(await send(slack.request(post, { url }, NOW, 'd1'))).toEqual({ outcome: 'delivered' });
      expect(receivers.received('slack')[0]).toMatchObject({ name: 'parents', status: 200 });
      expect(await send(slack.request(post, { url: `${receivers.origin}/services/T1/B1/nope` }, NOW, 'd2'))).toEqual({
        outcome: 'rejected',
        reason: 'HTTP 404: no_service',
      });
      receivers.down('slack', 'rate-limited');
      expect(await send(slack.request(post, { url }, NOW, 'd3'))).toEqual({
        outcome: 'retry',
        reason: 'HTTP 429: rate_limited',
        retryAfterMs: 1000,
      });
      receivers.down(undefined, 'refuse');
      await expect(send(slack.request(post, { url }, NOW, 'd4'))).rejects.toThrow();
      receivers.up();
    });
  });
});

async function send(request: { url: string; headers: Record<string, string>; body: string }) {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  return slack.answer(response.status, await response.text(), Object.fromEntries(response.headers));
}

import { getModelToken } from '@nestjs/mongoose';
import { trusted } from 'mongoose';
import type { Model } from 'mongoose';
import { Channel } from '../src/channels/channel.schema';
import { COURSE_FUNNEL_CONNECTION } from '../src/database/database.constants';
import { OutboxMessage } from '../src/outbox/outbox-message.schema';
import { OutboxService } from '../src/outbox/outbox.service';
import { OutboxWorker } from '../src/outbox/outbox.worker';
import { FanoutScheduler } from '../src/fanout/fanout.scheduler';
import { funnelInput } from './factories/funnel.factory';
import { StaffClient, TestApp } from './support/create-test-app';
import { FakeChatPlatform, FakeChatReceivers, startFakeChatReceivers } from './support/fake-chat-receivers';
import { createFunnelTestApp, FunnelStudents } from './support/funnel-students';

const MINUTE = 60_000;

describe('group channels: a cohort posts to its group chats through the outbox', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  let staff: StaffClient;
  let students: FunnelStudents;
  let receivers: FakeChatReceivers;
  let funnelId: string;

  beforeAll(async () => {
    // The receivers read the test's clock, so signatures are timed as the app sees time.
    let clock: () => Date = () => new Date();
    receivers = await startFakeChatReceivers({ now: () => clock() });
    ({ t, close, staff, students } = await createFunnelTestApp({
      channels: { extraHosts: [receivers.host] },
      outbox: { backoffBaseMs: 30_000, backoffMaxMs: 10 * MINUTE, maxAttempts: 8 },
    }));
    clock = () => t.clock.now();
    t.clock.set('2027-03-01T10:00:00Z');
    const funnel = await staff
      .post('/api/funnels', {
        ...funnelInput(),
        lessons: funnelInput().lessons.map((l) =>
          l.key === 'v1'
            ? { ...l, body: 'Hello {{student.name}}\n\nTonight: **how children learn** through play.' }
            : l,
        ),
      })
      .expect(201);
    funnelId = funnel.body.id as string;
  });
  afterAll(async () => {
    await close();
    await receivers.close();
  });
  beforeEach(() => receivers.up());

  const outbox = () => t.app.get<Model<OutboxMessage>>(getModelToken(OutboxMessage.name, COURSE_FUNNEL_CONNECTION));
  const stored = () => t.app.get<Model<Channel>>(getModelToken(Channel.name, COURSE_FUNNEL_CONNECTION));
  const tick = async () => {
    await t.app.get(FanoutScheduler).tick();
    return t.app.get(OutboxWorker).drainAll();
  };
  /**
   * Lets posts that came due together go out in their turns, a few seconds apart as a rate limit
   * spaces them, without new posts coming due: until no post waits (or a minute has passed).
   */
  const settle = async () => {
    for (let i = 0; i < 15 && (await outbox().countDocuments({ kind: 'chat', status: 'pending' })) > 0; i++) {
      t.clock.advance(4000);
      await t.app.get(OutboxWorker).drainAll();
    }
  };

  /** A cohort starting `inMinutes` from now (classes 10 minutes apart), open, on the test clock. */
  async function cohort(name: string, inMinutes = 90, extra: object = {}): Promise<string> {
    const created = await staff
      .post('/api/cohorts', {
        funnelId,
        name,
        startAt: new Date(t.clock.now().getTime() + inMinutes * MINUTE).toISOString(),
        timezone: 'Asia/Shanghai',
        capacity: 100,
        reminderMinutesBefore: 30,
        ...extra,
      })
      .expect(201);
    await staff.post(`/api/cohorts/${created.body.id}/open`).expect(200);
    return created.body.id as string;
  }

  async function channel(cohortId: string, platform: FakeChatPlatform, name: string, body: object = {}) {
    const secret =
      platform === 'feishu' || platform === 'dingtalk' || platform === 'webhook'
        ? receivers.secret(platform, name)
        : undefined;
    const res = await staff
      .post(`/api/cohorts/${cohortId}/channels`, {
        platform,
        name,
        webhookUrl: receivers.url(platform, name),
        ...(secret ? { secret } : {}),
        ...body,
      })
      .expect(201);
    return res.body as { id: string; webhook: string; signingSecret?: string };
  }

  const postsTo = (platform: FakeChatPlatform, name: string) =>
    receivers.received(platform).filter((r) => r.name === name);

  it('adds a channel of each platform, keeps its URL and secret sealed, and each test message arrives signed', async () => {
    const id = await cohort('Spring group');
    const platforms: FakeChatPlatform[] = ['wecom', 'feishu', 'dingtalk', 'slack', 'webhook'];
    const added = [];
    for (const platform of platforms) added.push(await channel(id, platform, `test-${platform}`));

    // A generic webhook without a secret gets one, shown once; no listing shows a URL or secret in full.
    const made = await staff
      .post(`/api/cohorts/${id}/channels`, {
        platform: 'webhook',
        name: 'made',
        webhookUrl: receivers.url('webhook', 'made'),
      })
      .expect(201);
    expect(made.body.signingSecret).toMatch(/^whsec_/);
    await staff.delete(`/api/cohorts/${id}/channels/${made.body.id}`).expect(204);
    const listing = await staff.get(`/api/cohorts/${id}/channels`).expect(200);
    expect(listing.body.posting).toBe('own');
    expect(listing.body.own).toHaveLength(5);
    const wecomUrl = receivers.url('wecom', 'test-wecom');
    const wecomKey = new URL(wecomUrl).searchParams.get('key')!;
    expect(JSON.stringify(listing.body)).not.toContain(wecomKey);
    expect(listing.body.own[0].webhook).toContain('…');
    const doc = await stored().findById(added[0].id).lean();
    expect(JSON.stringify(doc)).not.toContain(wecomKey);

    for (const [i, platform] of platforms.entries()) {
      const res = await staff.post(`/api/cohorts/${id}/channels/${added[i].id}/test`).expect(200);
      expect({ platform, ...res.body }).toEqual({ platform, delivered: true, detail: 'delivered' });
    }
    const [wecom] = postsTo('wecom', 'test-wecom');
    expect(wecom.json).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('Spring group') },
    });
    const [feishu] = postsTo('feishu', 'test-feishu');
    expect(feishu.verified).toBe(true);
    expect(feishu.json).toMatchObject({ msg_type: 'post', timestamp: expect.any(String), sign: expect.any(String) });
    const [dingtalk] = postsTo('dingtalk', 'test-dingtalk');
    expect(dingtalk.verified).toBe(true);
    expect(dingtalk.query).toMatchObject({ timestamp: expect.any(String), sign: expect.any(String) });
    expect(dingtalk.json).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.any(String) } });
    const [slack] = postsTo('slack', 'test-slack');
    expect(slack.json).toMatchObject({ text: expect.any(String), blocks: expect.any(Array) });
    const [hook] = postsTo('webhook', 'test-webhook');
    expect(hook.verified).toBe(true);
    expect(hook.headers).toMatchObject({
      'webhook-id': expect.any(String),
      'webhook-signature': expect.stringMatching(/^v1,/),
    });
    expect(hook.json).toMatchObject({ type: 'course-funnel.test', data: { kind: 'test', locale: 'en' } });

    // The last test's answer is kept for staff.
    const after = await staff.get(`/api/cohorts/${id}/channels`).expect(200);
    expect(after.body.own[0].lastTest).toMatchObject({ delivered: true });
  });

  it('refuses a URL off the platform, a secret the platform has no use for, and names the field', async () => {
    const id = await cohort('Refusals');
    const wrongHost = await staff
      .post(`/api/cohorts/${id}/channels`, {
        platform: 'wecom',
        name: 'x',
        webhookUrl: 'https://evil.example/cgi-bin/webhook/send?key=abc',
      })
      .expect(400);
    expect(wrongHost.body.details.fields[0].field).toBe('webhookUrl');
    const slackSecret = await staff
      .post(`/api/cohorts/${id}/channels`, {
        platform: 'slack',
        name: 'x',
        webhookUrl: receivers.url('slack', 'refused'),
        secret: 'nope',
      })
      .expect(400);
    expect(slackSecret.body.details.fields[0].field).toBe('secret');
    const badKind = await staff
      .post(`/api/cohorts/${id}/channels`, {
        platform: 'teams',
        name: 'x',
        webhookUrl: 'https://example.com',
        kinds: ['gossip'],
      })
      .expect(400);
    expect(badKind.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['kinds', 'platform']);
    expect((await staff.get(`/api/cohorts/${id}/channels`).expect(200)).body.own).toEqual([]);
  });

  it('posts each class before it starts and when it is out, with a class link that carries no token', async () => {
    const id = await cohort('March group', 90);
    await channel(id, 'wecom', 'march');
    await tick();
    expect(postsTo('wecom', 'march')).toHaveLength(0);

    t.clock.advance(60 * MINUTE); // 30 minutes before class 1
    await tick();
    const [opening] = postsTo('wecom', 'march');
    const content = (opening.json as { markdown: { content: string } }).markdown.content;
    expect(content).toContain('Value 1');
    expect(content).toContain('Asia/Shanghai');

    t.clock.advance(30 * MINUTE); // class 1 is out, and classes 2 to 4 start within 30 minutes
    await tick();
    await settle();
    const contents = postsTo('wecom', 'march').map(
      (r) => (r.json as { markdown: { content: string } }).markdown.content,
    );
    // Class 1 starts soon, then (in their turns) class 1 is out and classes 2, 3 and 4 start soon.
    expect(contents).toHaveLength(5);
    const released = contents.find((c) => c.includes('how children learn'));
    expect(released).toBeDefined();
    const link = /\((http[^)\s]+\/c\/[0-9a-f]{24}\/v1)\)/.exec(released!)?.[1];
    expect(link).toBeDefined();
    expect(link).not.toContain('token');
    const page = await t.http.get(new URL(link!).pathname).set('Accept-Language', 'en').expect(200);
    expect(page.text).toContain('Class 1: Value 1');
    expect(page.text).toContain('your own link to this class');
    for (const title of ['Value 2', 'Closing 1', 'Closing 2']) {
      expect(contents.filter((c) => c.includes(title) && c.includes('starts at'))).toHaveLength(1);
    }

    // The same tick again posts nothing twice.
    await tick();
    await settle();
    expect(postsTo('wecom', 'march')).toHaveLength(5);
  });

  it('posts a check-in milestone once, for the highest count reached', async () => {
    const id = await cohort('Milestones', 20, { reminderMinutesBefore: null });
    await channel(id, 'slack', 'milestones', { kinds: ['milestone'] });
    const people = Array.from({ length: 6 }, (_, i) => ({ email: `m${i}.milestone@example.test`, name: `M ${i}` }));
    const joined = await students.joinMany(id, people);
    for (const student of joined) await students.confirm(student);
    t.clock.advance(20 * MINUTE); // class 1 starts
    for (const student of joined) {
      const token = students.token(student, 'lesson', `/l/${student.enrollmentId}/v1`);
      await t.http
        .post(`/api/me/enrollments/${student.enrollmentId}/lessons/v1/check-in`)
        .set('X-Student-Token', token)
        .send({})
        .expect(200);
    }
    await tick();
    await tick();
    const posts = postsTo('slack', 'milestones');
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0].json)).toContain('5 of you');
  });

  it('respects a WeCom robot’s 20 posts a minute: a burst waits its turn and every post arrives once', async () => {
    const id = await cohort('Burst');
    const { id: channelId } = await channel(id, 'wecom', 'burst');
    const run = t.clock.now().getTime();
    await t.app.get(OutboxWorker).drainAll();
    await t.app.get(OutboxService).enqueue(
      Array.from({ length: 25 }, (_, i) => ({
        key: `chat:${channelId}:burst:${run}:${i}`,
        kind: 'chat' as const,
        locale: 'en' as const,
        to: channelId,
        data: {
          post: {
            kind: 'milestone',
            data: { cohort: { name: 'Burst' }, lesson: { number: 1, title: `T${i}` }, milestone: { checkedIn: i } },
          },
        },
        cohortId: id,
        nextAttemptAt: t.clock.now(),
      })),
    );
    const sentAt: number[] = [];
    for (let second = 0; second < 120 && sentAt.length < 25; second++) {
      const before = postsTo('wecom', 'burst').length;
      await t.app.get(OutboxWorker).drainAll();
      for (let i = before; i < postsTo('wecom', 'burst').length; i++) sentAt.push(t.clock.now().getTime());
      t.clock.advance(1000);
    }
    expect(sentAt).toHaveLength(25);
    for (const start of sentAt)
      expect(sentAt.filter((at) => at >= start && at < start + MINUTE).length).toBeLessThanOrEqual(20);
    const titles = postsTo('wecom', 'burst').map((r) => /T(\d+)/.exec(JSON.stringify(r.json))?.[1]);
    expect(new Set(titles).size).toBe(25);
    expect(await outbox().countDocuments({ to: channelId, status: 'sent' })).toBe(25);
  });

  it('dead-letters at once when the platform says the key is bad, and never stores the key', async () => {
    const id = await cohort('Bad key');
    const url = `${receivers.origin}/cgi-bin/webhook/send?key=0f8e6a9c-unknown-robot-key`;
    const res = await staff
      .post(`/api/cohorts/${id}/channels`, { platform: 'wecom', name: 'bad', webhookUrl: url })
      .expect(201);
    t.clock.advance(60 * MINUTE);
    await tick();
    const [post] = await outbox().find({ to: res.body.id }).lean();
    expect(post).toMatchObject({ status: 'dead', attempts: 1 });
    expect(post.lastError).toMatch(/93000|invalid webhook url/i);
    expect(post.lastError).not.toContain('unknown-robot-key');
  });

  it('delivers every post exactly once to a receiver that was down for a while', async () => {
    const id = await cohort('Outage', 40);
    const outage = await channel(id, 'dingtalk', 'outage');
    receivers.down('dingtalk', 'refuse');
    t.clock.advance(10 * MINUTE); // 30 minutes before class 1: "starts soon"
    await tick();
    t.clock.advance(2 * MINUTE);
    await tick();
    receivers.down('dingtalk', '503');
    t.clock.advance(28 * MINUTE); // class 1 is out, the receiver still answers 503
    await tick();
    t.clock.advance(5 * MINUTE);
    await tick();
    expect(postsTo('dingtalk', 'outage').every((r) => r.status === 503)).toBe(true);
    receivers.up();
    for (let i = 0; i < 6; i++) {
      t.clock.advance(10 * MINUTE);
      await tick();
    }
    // Posts due together wait their turn under the robot's rate limit.
    await settle();
    const delivered = postsTo('dingtalk', 'outage').filter((r) => r.status === 200);
    const kinds = delivered.map((r) => JSON.stringify(r.json));
    expect(delivered.every((r) => r.verified)).toBe(true);
    // Class 1 (opening, released), class 2 (opening, released), class 3's opening: once each.
    expect(kinds.length).toBe(new Set(kinds).size);
    expect(kinds.some((k) => /Value 1/.test(k))).toBe(true);
    const posts = await outbox().find({ to: outage.id }).lean();
    expect(posts.map((p) => p.status)).toEqual(delivered.map(() => 'sent'));
    expect(posts.some((p) => p.attempts > 1)).toBe(true);
  });

  it('posts nothing more for a cancelled cohort, nor to a removed channel', async () => {
    const cancelled = await cohort('Cancelled', 40);
    await channel(cancelled, 'slack', 'cancelled');
    const removed = await cohort('Removed', 40);
    const gone = await channel(removed, 'slack', 'removed');
    const kept = (await staff.get(`/api/cohorts/${cancelled}/channels`).expect(200)).body.own[0].id as string;
    receivers.down('slack', '503');
    t.clock.advance(10 * MINUTE);
    await tick();
    await staff.post(`/api/cohorts/${cancelled}/cancel`).expect(200);
    await staff.delete(`/api/cohorts/${removed}/channels/${gone.id}`).expect(204);
    receivers.up();
    for (let i = 0; i < 4; i++) {
      t.clock.advance(10 * MINUTE);
      await tick();
    }
    expect(postsTo('slack', 'cancelled').filter((r) => r.status === 200)).toEqual([]);
    expect(postsTo('slack', 'removed').filter((r) => r.status === 200)).toEqual([]);
    // The posts that were waiting are cancelled: at once with the cohort, at their turn for the removed channel.
    const posts = await outbox()
      .find({ to: trusted({ $in: [kept, gone.id] }) })
      .lean();
    expect(posts.filter((p) => p.to === kept).map((p) => p.status)).toEqual(['cancelled']);
    expect(posts.filter((p) => p.to === gone.id).map((p) => [p.status, p.lastError])).toEqual([
      ['cancelled', 'the channel was removed'],
    ]);
  });

  it("posts for a cohort through its funnel's channel until the cohort has its own", async () => {
    const res = await staff
      .post(`/api/funnels/${funnelId}/channels`, {
        platform: 'webhook',
        name: 'funnel-default',
        webhookUrl: receivers.url('webhook', 'funnel-default'),
        secret: receivers.secret('webhook', 'funnel-default'),
        kinds: ['opening'],
      })
      .expect(201);
    expect(res.body.signingSecret).toBeUndefined();
    const id = await cohort('Default', 40);
    expect((await staff.get(`/api/cohorts/${id}/channels`).expect(200)).body.posting).toBe('funnel');
    t.clock.advance(10 * MINUTE);
    await tick();
    await settle();
    const hooked = receivers
      .received('webhook')
      .filter((r) => r.name === 'funnel-default' && JSON.stringify(r.json).includes('Default'));
    expect(hooked.length).toBeGreaterThanOrEqual(1);
    expect(hooked.every((r) => r.verified)).toBe(true);
    await staff.delete(`/api/funnels/${funnelId}/channels/${res.body.id}`).expect(204);
  });

  it('previews each kind on each platform with sample data', async () => {
    const res = await staff.get('/api/channels/preview?platform=feishu&kind=released&locale=zh-CN').expect(200);
    expect(res.body.post).toMatchObject({ kind: 'released', locale: 'zh-CN', title: expect.any(String) });
    expect(res.body.payload).toMatchObject({ msg_type: 'post' });
    await staff.get('/api/channels/preview?platform=msn&kind=released').expect(400);
  });
});

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Fake group-chat receivers for tests: one node:http server on 127.0.0.1 standing in for WeCom,
 * Feishu, DingTalk, Slack and a Standard Webhooks receiver, routed by path like the real ones. It
 * checks requests as each platform documents (key or token registered, signature, timestamp
 * window against the test's clock) and answers in the platform's own words. The signatures are
 * verified here from the published algorithms, independently of src/, so a mistake in an adapter
 * shows up as a refusal instead of being repeated on both sides.
 */
export type FakeChatPlatform = 'wecom' | 'feishu' | 'dingtalk' | 'slack' | 'webhook';

export type FakeDownMode = 'refuse' | '503' | 'rate-limited';

export interface ReceivedChatRequest {
  platform: FakeChatPlatform;
  /** The registration's name, or null when the key or token matched none. */
  name: string | null;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  json: unknown;
  /** true or false when the registration signs; null when it does not (or was not found). */
  verified: boolean | null;
  /** The status and body this fake answered with. */
  status: number;
  answer: string;
}

export interface FakeChatReceivers {
  /** http://127.0.0.1:port: its host is what checkUrl's `extraHosts` must accept. */
  readonly origin: string;
  readonly host: string;
  /** The webhook URL of a registration, made (with a fresh key or token) on first use. */
  url(platform: FakeChatPlatform, name?: string): string;
  /** The signing secret to give our channel (Feishu, DingTalk: from now on the registration checks it). */
  secret(platform: 'feishu' | 'dingtalk' | 'webhook', name?: string): string;
  received(platform?: FakeChatPlatform): ReceivedChatRequest[];
  /**
   * Fails every request (of one platform, or of all when `platform` is undefined): dropped
   * connections, 503s, or the platform's own throttling answer. Requests dropped are not recorded.
   */
  down(platform: FakeChatPlatform | undefined, mode: FakeDownMode): void;
  up(): void;
  close(): Promise<void>;
}

interface Registration {
  name: string;
  /** WeCom key, Feishu or DingTalk token, Slack path, or the generic webhook's name. */
  credential: string;
  secret: string | null;
}

const HOUR_MS = 60 * 60 * 1000;
const STANDARD_WEBHOOKS_TOLERANCE_MS = 5 * 60 * 1000;

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
  verified: boolean | null;
}

const json = (value: unknown, status = 200): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json' },
  verified: null,
});

/** What each platform answers when it throttles. */
const RATE_LIMITED: Record<FakeChatPlatform, () => Answer> = {
  wecom: () => json({ errcode: 45009, errmsg: 'api freq out of limit' }),
  feishu: () => json({ code: 11232, msg: 'frequency limited', data: {} }),
  dingtalk: () => json({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }),
  slack: () => ({ status: 429, body: 'rate_limited', headers: { 'retry-after': '1' }, verified: null }),
  webhook: () => ({ status: 429, body: 'slow down', headers: { 'retry-after': '2' }, verified: null }),
};

function hmacBase64(key: string | Buffer, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

export async function startFakeChatReceivers(opts: { now: () => Date }): Promise<FakeChatReceivers> {
  const registrations = new Map<FakeChatPlatform, Map<string, Registration>>();
  const received: ReceivedChatRequest[] = [];
  const outages = new Map<FakeChatPlatform | 'all', FakeDownMode>();

  const registration = (platform: FakeChatPlatform, name: string): Registration => {
    let byName = registrations.get(platform);
    if (!byName) registrations.set(platform, (byName = new Map()));
    let found = byName.get(name);
    if (!found) {
      const credential =
        platform === 'slack'
          ? `T${hex(4)}/B${hex(4)}/${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`
          : platform === 'webhook'
            ? name
            : randomUUID();
      found = {
        name,
        credential,
        secret: platform === 'webhook' ? `whsec_${randomBytes(24).toString('base64')}` : null,
      };
      byName.set(name, found);
    }
    return found;
  };
  const byCredential = (platform: FakeChatPlatform, credential: string | null): Registration | null =>
    [...(registrations.get(platform)?.values() ?? [])].find((r) => r.credential === credential) ?? null;

  const route = (
    platform: FakeChatPlatform,
    url: URL,
    headers: Record<string, string>,
    body: string,
  ): { reg: Registration | null; answer: Answer } => {
    const query = Object.fromEntries(url.searchParams);
    const now = opts.now().getTime();
    switch (platform) {
      case 'wecom': {
        const reg = byCredential('wecom', query['key'] ?? null);
        if (!reg) return { reg, answer: json({ errcode: 93000, errmsg: 'invalid webhook url, hint: [fake]' }) };
        const message = parseJson(body) as { msgtype?: string; markdown?: { content?: string } } | undefined;
        if (message?.msgtype !== 'markdown' || typeof message.markdown?.content !== 'string') {
          return { reg, answer: json({ errcode: 40008, errmsg: 'invalid message type' }) };
        }
        if (Buffer.byteLength(message.markdown.content, 'utf8') > 4096) {
          return { reg, answer: json({ errcode: 40058, errmsg: 'markdown.content exceed max length 4096' }) };
        }
        return { reg, answer: json({ errcode: 0, errmsg: 'ok' }) };
      }
      case 'feishu': {
        const reg = byCredential('feishu', url.pathname.slice('/open-apis/bot/v2/hook/'.length));
        if (!reg) {
          return {
            reg,
            answer: json({ code: 19001, msg: 'param invalid: incoming webhook access token invalid', data: {} }),
          };
        }
        const message = parseJson(body) as { timestamp?: string; sign?: string; msg_type?: string } | undefined;
        if (!message?.msg_type)
          return { reg, answer: json({ code: 19002, msg: 'params error, msg_type need', data: {} }) };
        let verified: boolean | null = null;
        if (reg.secret) {
          // Feishu: key = `${timestamp}\n${secret}`, message empty, base64; within an hour.
          const timestamp = Number(message.timestamp);
          const expected = hmacBase64(`${message.timestamp}\n${reg.secret}`, '');
          verified =
            Number.isFinite(timestamp) &&
            Math.abs(now - timestamp * 1000) <= HOUR_MS &&
            sameText(expected, message.sign ?? '');
          if (!verified) {
            const fail = json({
              code: 19021,
              msg: 'sign match fail or timestamp is not within one hour from current time',
              data: {},
            });
            return { reg, answer: { ...fail, verified } };
          }
        }
        const ok = json({ StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' });
        return { reg, answer: { ...ok, verified } };
      }
      case 'dingtalk': {
        const reg = byCredential('dingtalk', query['access_token'] ?? null);
        if (!reg) return { reg, answer: json({ errcode: 300001, errmsg: 'token is not exist' }) };
        let verified: boolean | null = null;
        if (reg.secret) {
          // DingTalk: HMAC-SHA256 keyed by the secret over `${timestamp}\n${secret}`, base64 (the
          // query's urlEncode is undone by URLSearchParams); timestamp in ms, within an hour.
          const timestamp = Number(query['timestamp']);
          const expected = hmacBase64(reg.secret, `${query['timestamp']}\n${reg.secret}`);
          verified =
            Number.isFinite(timestamp) &&
            Math.abs(now - timestamp) <= HOUR_MS &&
            sameText(expected, query['sign'] ?? '');
          if (!verified) {
            const fail = json({
              errcode: 310000,
              errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]',
            });
            return { reg, answer: { ...fail, verified } };
          }
        }
        const message = parseJson(body) as { msgtype?: string } | undefined;
        if (!message?.msgtype)
          return { reg, answer: { ...json({ errcode: 40035, errmsg: '缺少参数 json' }), verified } };
        return { reg, answer: { ...json({ errcode: 0, errmsg: 'ok' }), verified } };
      }
      case 'slack': {
        const reg = byCredential('slack', url.pathname.slice('/services/'.length));
        if (!reg) return { reg, answer: { status: 404, body: 'no_service', verified: null } };
        const message = parseJson(body) as { text?: unknown; blocks?: unknown } | undefined;
        if (!message || (typeof message.text !== 'string' && !Array.isArray(message.blocks))) {
          return { reg, answer: { status: 400, body: 'invalid_payload', verified: null } };
        }
        return { reg, answer: { status: 200, body: 'ok', verified: null } };
      }
      case 'webhook': {
        const reg = byCredential('webhook', decodeURIComponent(url.pathname.slice('/hooks/generic/'.length)));
        if (!reg?.secret) return { reg, answer: { status: 404, body: 'no such hook', verified: null } };
        // Standard Webhooks: base64(HMAC-SHA256(secret bytes, `${id}.${timestamp}.${body}`)), "v1,"
        // prefixed, any of the space-separated signatures; timestamp (s) within 5 minutes.
        const key = Buffer.from(reg.secret.slice('whsec_'.length), 'base64');
        const id = headers['webhook-id'] ?? '';
        const timestamp = headers['webhook-timestamp'] ?? '';
        const expected = `v1,${hmacBase64(key, `${id}.${timestamp}.${body}`)}`;
        const signatures = (headers['webhook-signature'] ?? '').split(' ');
        const verified =
          id !== '' &&
          /^\d+$/.test(timestamp) &&
          Math.abs(now - Number(timestamp) * 1000) <= STANDARD_WEBHOOKS_TOLERANCE_MS &&
          signatures.some((signature) => sameText(signature, expected));
        if (!verified) return { reg, answer: { status: 401, body: 'invalid signature', verified } };
        return { reg, answer: { status: 204, body: '', verified } };
      }
    }
  };

  const platformOf = (path: string): FakeChatPlatform | null => {
    if (path === '/cgi-bin/webhook/send') return 'wecom';
    if (path.startsWith('/open-apis/bot/v2/hook/')) return 'feishu';
    if (path === '/robot/send') return 'dingtalk';
    if (path.startsWith('/services/')) return 'slack';
    if (path.startsWith('/hooks/generic/')) return 'webhook';
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const platform = platformOf(url.pathname);
    if (!platform || req.method !== 'POST') {
      res.writeHead(404).end('not found');
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
    );
    const outage = outages.get(platform) ?? outages.get('all');
    if (outage === 'refuse') {
      req.socket.destroy();
      return;
    }
    const routed: { reg: Registration | null; answer: Answer } =
      outage === '503'
        ? { reg: null, answer: { status: 503, body: 'Service Unavailable', verified: null } }
        : outage === 'rate-limited'
          ? { reg: null, answer: RATE_LIMITED[platform]() }
          : route(platform, url, headers, body);
    const { answer } = routed;
    received.push({
      platform,
      name: routed.reg?.name ?? null,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      json: parseJson(body),
      verified: answer.verified,
      status: answer.status,
      answer: answer.body,
    });
    res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' }).end(answer.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    host: `127.0.0.1:${port}`,
    url(platform, name = 'default') {
      const reg = registration(platform, name);
      switch (platform) {
        case 'wecom':
          return `${origin}/cgi-bin/webhook/send?key=${reg.credential}`;
        case 'feishu':
          return `${origin}/open-apis/bot/v2/hook/${reg.credential}`;
        case 'dingtalk':
          return `${origin}/robot/send?access_token=${reg.credential}`;
        case 'slack':
          return `${origin}/services/${reg.credential}`;
        case 'webhook':
          return `${origin}/hooks/generic/${encodeURIComponent(reg.credential)}`;
      }
    },
    secret(platform, name = 'default') {
      const reg = registration(platform, name);
      if (!reg.secret) reg.secret = platform === 'dingtalk' ? `SEC${hex(32)}` : randomBytes(16).toString('base64url');
      return reg.secret;
    },
    received: (platform) => received.filter((r) => !platform || r.platform === platform),
    down(platform, mode) {
      // Everything down replaces any one platform's outage.
      if (!platform) outages.clear();
      outages.set(platform ?? 'all', mode);
    },
    up() {
      outages.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}

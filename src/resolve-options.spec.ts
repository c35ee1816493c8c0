import { resolveOptions } from './resolve-options';

const valid = {
  mongodbUri: 'mongodb://localhost:27017/x',
  appSecret: 'x'.repeat(32),
  publicBaseUrl: 'https://school.example/funnel/',
  mail: { from: 'School <a@b.c>', mailDir: '/tmp/mail' },
};

describe('module options', () => {
  it('fills defaults and trims the trailing slash of the base URL', () => {
    expect(resolveOptions(valid)).toMatchObject({
      publicBaseUrl: 'https://school.example/funnel',
      publicRateLimitPerMinute: 120,
      studentLinkTtlSeconds: 30 * 24 * 3600,
      bootstrapAdminToken: true,
    });
  });

  it('names every problem at once', () => {
    expect(() => resolveOptions({ ...valid, appSecret: 'short', mail: { from: '' } })).toThrow(
      'CourseFunnelModule: invalid options: appSecret must be at least 32 characters; mail.from is required; mail.smtpUrl or mail.mailDir is required',
    );
  });

  it('keeps commissions to the direct referrer unless one override level is asked for, and never deeper', () => {
    expect(resolveOptions(valid).commissions.override.enabled).toBe(false);
    expect(resolveOptions({ ...valid, commissions: { depth: 2 } }).commissions.override.enabled).toBe(true);
    expect(() => resolveOptions({ ...valid, commissions: { depth: 3 as 2 } })).toThrow(
      'commissions.depth must be 1 or 2: deeper commission chains are multi-level marketing',
    );
  });

  it('pays through the webhook provider only with a long enough shared secret', () => {
    expect(resolveOptions(valid).payments).toMatchObject({ provider: 'manual', webhookSecret: null });
    expect(resolveOptions({ ...valid, payments: { webhookSecret: 's'.repeat(32) } }).payments.provider).toBe('webhook');
    expect(() => resolveOptions({ ...valid, payments: { provider: 'webhook' } })).toThrow(
      'payments.webhookSecret is required with the webhook payment provider',
    );
    expect(() => resolveOptions({ ...valid, payments: { webhookSecret: 'short' } })).toThrow(
      'payments.webhookSecret must be at least 32 characters',
    );
  });
});

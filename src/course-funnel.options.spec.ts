import { resolveOptions } from './course-funnel.options';

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
});

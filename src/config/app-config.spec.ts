import { listenHost, ConfigError, loadConfig } from './app-config';

const PRODUCTION = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://db.internal:27017/funnel',
  SMTP_URL: 'smtp://user:pass@mail.internal:587',
  PUBLIC_BASE_URL: 'https://course.example.com',
  APP_SECRET: 's'.repeat(40),
};

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('runs with no environment at all on development defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATA_DIR: './var',
      LOG_FORMAT: 'pretty',
      RATE_LIMIT_PER_MINUTE: 120,
    });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('reads and converts values', () => {
    const config = loadConfig({ ...PRODUCTION, PORT: '8080', STUDENT_LINK_TTL_DAYS: '7' });
    expect(config.PORT).toBe(8080);
    expect(config.STUDENT_LINK_TTL_DAYS).toBe(7);
    expect(config.LOG_FORMAT).toBe('json');
  });

  it('names a malformed variable and the value given, in one line', () => {
    const message = errorOf({ PORT: 'eighty' });
    expect(message).toBe('invalid configuration: PORT: PORT must be an integer (got "eighty")');
    expect(message).not.toContain('\n');
    expect(errorOf({ PORT: '70000' })).toMatch(/^invalid configuration: PORT: /);
    expect(errorOf({ MONGODB_URI: 'postgres://x' })).toMatch(/^invalid configuration: MONGODB_URI: /);
    expect(errorOf({ PUBLIC_BASE_URL: 'ftp://x' })).toMatch(/^invalid configuration: PUBLIC_BASE_URL: /);
    expect(errorOf({ MAIL_FROM: 'not an address' })).toMatch(/^invalid configuration: MAIL_FROM: /);
  });

  it('never echoes secret values', () => {
    const message = errorOf({ APP_SECRET: 'short-secret' });
    expect(message).toBe('invalid configuration: APP_SECRET: APP_SECRET must be at least 32 characters');
    expect(errorOf({ MONGODB_URI: 'mysql://user:hunter2@x' })).not.toContain('hunter2');
  });

  it.each(['MONGODB_URI', 'SMTP_URL', 'PUBLIC_BASE_URL', 'APP_SECRET'])(
    'requires %s in production and says so',
    (variable) => {
      const env: Record<string, string> = { ...PRODUCTION };
      delete env[variable];
      expect(errorOf(env)).toMatch(
        new RegExp(`^invalid configuration: ${variable}: .*\\(required when NODE_ENV=production\\)$`),
      );
    },
  );

  it('treats an empty value as unset', () => {
    expect(loadConfig({ MONGODB_URI: '' }).MONGODB_URI).toBeUndefined();
  });
});

describe('listenHost', () => {
  it('listens on loopback only while mail is written to files, unless HOST says otherwise', () => {
    expect(listenHost(undefined, true)).toBe('127.0.0.1');
    expect(listenHost(undefined, false)).toBe('0.0.0.0');
    expect(listenHost('0.0.0.0', true)).toBe('0.0.0.0');
    expect(listenHost('192.0.2.7', false)).toBe('192.0.2.7');
  });
});

import { openSecret, sealSecret } from './secret-box';

const SECRET = 'a-test-app-secret-of-at-least-32-characters';
const URL_WITH_KEY = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';

describe('sealed secrets', () => {
  it('opens what it sealed, and the stored form does not contain the secret', () => {
    const sealed = sealSecret(SECRET, 'channel', URL_WITH_KEY);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('693a91f6');
    expect(openSecret(SECRET, 'channel', sealed)).toBe(URL_WITH_KEY);
  });

  it('seals the same value differently each time (a fresh IV)', () => {
    expect(sealSecret(SECRET, 'channel', 'x')).not.toBe(sealSecret(SECRET, 'channel', 'x'));
  });

  it('refuses another APP_SECRET, another purpose, and a tampered value', () => {
    const sealed = sealSecret(SECRET, 'channel', URL_WITH_KEY);
    expect(openSecret(`${SECRET}-rotated`, 'channel', sealed)).toBeNull();
    expect(openSecret(SECRET, 'payments', sealed)).toBeNull();
    const [v, iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(openSecret(SECRET, 'channel', [v, iv, tag, flipped.toString('base64url')].join('.'))).toBeNull();
    expect(openSecret(SECRET, 'channel', 'not sealed')).toBeNull();
  });
});

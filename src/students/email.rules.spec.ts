import { emailKey } from './email.rules';

describe('student email key', () => {
  it('ignores case and surrounding spaces', () => {
    expect(emailKey('  Wang.Fang@Example.COM ')).toBe('wang.fang@example.com');
  });
  it('keeps dots and plus tags (mail servers may deliver those differently)', () => {
    expect(emailKey('a.b+c@example.com')).toBe('a.b+c@example.com');
  });
});

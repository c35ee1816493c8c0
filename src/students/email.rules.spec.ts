import { emailKey, identityKey } from './email.rules';

describe('student email key', () => {
  it('ignores case and surrounding spaces', () => {
    expect(emailKey('  Wang.Fang@Example.COM ')).toBe('wang.fang@example.com');
  });
  it('keeps dots and plus tags (mail servers may deliver those differently)', () => {
    expect(emailKey('a.b+c@example.com')).toBe('a.b+c@example.com');
  });
});

describe('identity key (referral checks)', () => {
  it('drops dots and plus tags where Gmail ignores them, and its googlemail alias', () => {
    expect(identityKey(' A.Li+promo@GoogleMail.com')).toBe('ali@gmail.com');
    expect(identityKey('a.l.i@gmail.com')).toBe('ali@gmail.com');
  });
  it('drops only plus tags at providers that ignore tags but not dots', () => {
    expect(identityKey('wang.fang+x@outlook.com')).toBe('wang.fang@outlook.com');
    expect(identityKey('12345+a@QQ.com')).toBe('12345@qq.com');
  });
  it('keeps dots and tags elsewhere, where they may be different people', () => {
    expect(identityKey('a.b+c@school.example')).toBe('a.b+c@school.example');
  });
  it('keeps a local part made only of a tag', () => {
    expect(identityKey('+x@gmail.com')).toBe('+x@gmail.com');
  });
});

import { generateApiToken, hashApiToken, looksLikeApiToken, tokenDisplayPrefix } from './api-token.rules';

describe('API tokens', () => {
  it('generates distinct, recognisable 256-bit tokens', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^cf_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeApiToken(a)).toBe(true);
  });

  it('hashes deterministically to a hex SHA-256 digest that does not contain the token', () => {
    const token = generateApiToken();
    expect(hashApiToken(token)).toBe(hashApiToken(token));
    expect(hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken(token)).not.toContain(token.slice(3));
  });

  it('does not take other strings for tokens', () => {
    expect(looksLikeApiToken('cf_short')).toBe(false);
    expect(looksLikeApiToken('x'.repeat(46))).toBe(false);
  });

  it('shows only a short prefix', () => {
    const token = generateApiToken();
    expect(tokenDisplayPrefix(token)).toBe(token.slice(0, 9));
  });
});

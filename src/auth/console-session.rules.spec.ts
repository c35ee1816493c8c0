import { csrfTokenFor, newConsoleSecret, safeConsoleReturn, sameToken } from './console-session.rules';

describe('console session rules', () => {
  it('derives one CSRF token per session, different for another session or another secret', () => {
    const a = csrfTokenFor('secret-one', 'digest-a');
    expect(csrfTokenFor('secret-one', 'digest-a')).toBe(a);
    expect(csrfTokenFor('secret-one', 'digest-b')).not.toBe(a);
    expect(csrfTokenFor('secret-two', 'digest-a')).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('compares tokens only when both are strings of the same length', () => {
    const token = newConsoleSecret();
    expect(sameToken(token, token)).toBe(true);
    expect(sameToken(token, `${token}x`)).toBe(false);
    expect(sameToken(token, undefined)).toBe(false);
    expect(sameToken(token, [token])).toBe(false);
    expect(sameToken(token, newConsoleSecret())).toBe(false);
  });

  it('returns to a console path only, never to another site', () => {
    expect(safeConsoleReturn('/console/cohorts/1?status=open', '/console')).toBe('/console/cohorts/1?status=open');
    expect(safeConsoleReturn('/console', '/console')).toBe('/console');
    expect(safeConsoleReturn('https://evil.example/console', '/console')).toBe('/console');
    expect(safeConsoleReturn('//evil.example/console', '/console')).toBe('/console');
    expect(safeConsoleReturn('/consoleevil', '/console')).toBe('/console');
    expect(safeConsoleReturn('/console/\r\nSet-Cookie: x', '/console')).toBe('/console');
    expect(safeConsoleReturn(undefined, '/console')).toBe('/console');
  });
});

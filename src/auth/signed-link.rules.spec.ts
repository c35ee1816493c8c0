import { signLink, verifyLink } from './signed-link.rules';

const SECRET = 'a-secret-of-at-least-thirty-two-chars!!';
const now = new Date('2026-03-01T12:00:00Z');
const inOneHour = Math.floor(now.getTime() / 1000) + 3600;

describe('signed student links', () => {
  it('verifies a link it signed and returns its claims', () => {
    const token = signLink({ sub: 'student-1', scope: 'student', exp: inOneHour }, SECRET);
    expect(verifyLink(token, SECRET, now)).toEqual({
      ok: true,
      claims: { sub: 'student-1', scope: 'student', exp: inOneHour },
    });
  });

  it('refuses a link signed with another secret', () => {
    const token = signLink({ sub: 'student-1', scope: 'student', exp: inOneHour }, SECRET);
    expect(verifyLink(token, SECRET.replace('a', 'b'), now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses changed claims under the original signature', () => {
    const token = signLink({ sub: 'student-1', scope: 'student', exp: inOneHour }, SECRET);
    const signature = token.split('.')[1];
    const forged = Buffer.from(JSON.stringify({ sub: 'student-2', scope: 'student', exp: inOneHour })).toString(
      'base64url',
    );
    expect(verifyLink(`${forged}.${signature}`, SECRET, now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a link at and after its expiry second', () => {
    const token = signLink({ sub: 's', scope: 'student', exp: inOneHour }, SECRET);
    expect(verifyLink(token, SECRET, new Date(inOneHour * 1000 - 1)).ok).toBe(true);
    expect(verifyLink(token, SECRET, new Date(inOneHour * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each(['', 'abc', 'a.b.c', '.sig', 'payload.'])('refuses the malformed token %p', (token) => {
    expect(verifyLink(token, SECRET, now).ok).toBe(false);
  });

  it('refuses a correctly signed payload that is not a claims object', () => {
    const payload = Buffer.from('"just a string"').toString('base64url');
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const signature = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(verifyLink(`${payload}.${signature}`, SECRET, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});

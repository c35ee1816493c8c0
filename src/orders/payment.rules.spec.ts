import { orderReference, signatureHeader, verifyWebhookSignature } from './payment.rules';

const secret = 'webhook-secret-that-is-long-enough-0123';
const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', orderId: 'o1' });
const now = new Date('2026-03-08T12:00:00Z');
const t = now.getTime() / 1000;

describe('webhook signatures', () => {
  it('accepts a call signed with the shared secret within the tolerance', () => {
    expect(verifyWebhookSignature(secret, signatureHeader(secret, t, body), body, now, 300)).toEqual({ ok: true });
    expect(verifyWebhookSignature(secret, signatureHeader(secret, t - 299, body), body, now, 300)).toEqual({
      ok: true,
    });
  });

  it('refuses a changed body, another secret, an old call and a missing or garbled header', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body.replace('o1', 'o2'), now, 300)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(`${secret}x`, header, body, now, 300)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(secret, signatureHeader(secret, t - 301, body), body, now, 300)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWebhookSignature(secret, undefined, body, now, 300)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyWebhookSignature(secret, 't=abc,v1=zz', body, now, 300)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('order reference', () => {
  it('is short and derived from the order id', () => {
    expect(orderReference('665f1c2e9b1e8a00a2b4c6d8')).toBe('CF-A2B4C6D8');
  });
});

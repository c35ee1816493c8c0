import { idempotencyKey, messageIdFor, retryDelayMs } from './outbox.rules';

describe('outbox rules', () => {
  it('doubles the retry delay up to a cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 30_000, 200_000))).toEqual([
      30_000, 60_000, 120_000, 200_000, 200_000,
    ]);
  });

  it('keys a message by enrolment, kind and subject', () => {
    expect(idempotencyKey('e1', 'lesson', 'v2')).toBe('e1:lesson:v2');
    expect(idempotencyKey('e1', 'confirm')).toBe('e1:confirm:-');
  });

  it('derives the same Message-ID for the same key, on the sender domain', () => {
    const a = messageIdFor('e1:lesson:v2', 'School <hello@school.example>');
    expect(a).toMatch(/^[0-9a-f]{32}@school\.example$/);
    expect(messageIdFor('e1:lesson:v2', 'hello@school.example')).toBe(a);
    expect(messageIdFor('e1:lesson:v3', 'hello@school.example')).not.toBe(a);
  });
});

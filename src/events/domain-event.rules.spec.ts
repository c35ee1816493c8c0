import { afterDelivery, DEFAULT_DELIVERY_RULES, OWNER_HANDLER } from './domain-event.rules';

const NOW = new Date('2026-03-01T00:00:00Z');
const rules = { ...DEFAULT_DELIVERY_RULES, backoffBaseMs: 1000, backoffMaxMs: 8000, maxAttempts: 5 };
const pending = [OWNER_HANDLER, 'commissions.credit', 'licenses.share'];

describe('afterDelivery', () => {
  it('is done when every handler recorded the event', () => {
    const outcomes = pending.map((handler) => ({ handler }));
    expect(afterDelivery(pending, outcomes, 0, NOW, rules)).toEqual({
      pending: [],
      state: 'done',
      attempts: 0,
      dueAt: NOW,
      errors: [],
    });
  });

  it('keeps only the failed subscriber, and backs off', () => {
    const outcomes = [
      { handler: OWNER_HANDLER },
      { handler: 'commissions.credit', error: 'down' },
      { handler: 'licenses.share' },
    ];
    expect(afterDelivery(pending, outcomes, 0, NOW, rules)).toEqual({
      pending: ['commissions.credit'],
      state: 'pending',
      attempts: 1,
      dueAt: new Date(NOW.getTime() + 1000),
      errors: ['commissions.credit: down'],
    });
  });

  it('keeps everything when the owner failed, since nothing after it ran', () => {
    const result = afterDelivery(pending, [{ handler: OWNER_HANDLER, error: 'write refused' }], 2, NOW, rules);
    expect(result.pending).toEqual(pending);
    expect(result).toMatchObject({ state: 'pending', attempts: 3, dueAt: new Date(NOW.getTime() + 4000) });
  });

  it('caps the backoff and parks the event after the last attempt', () => {
    const failed = [{ handler: 'licenses.share', error: 'x' }];
    expect(afterDelivery(['licenses.share'], failed, 3, NOW, rules)).toMatchObject({
      state: 'pending',
      attempts: 4,
      dueAt: new Date(NOW.getTime() + 8000),
    });
    expect(afterDelivery(['licenses.share'], failed, 4, NOW, rules)).toMatchObject({ state: 'failed', attempts: 5 });
  });

  it('crosses off handlers that ran and leaves those that did not run pending', () => {
    const result = afterDelivery(
      pending,
      [{ handler: OWNER_HANDLER }, { handler: 'commissions.credit', error: 'x' }],
      0,
      NOW,
      rules,
    );
    expect(result.pending).toEqual(['commissions.credit', 'licenses.share']);
  });
});

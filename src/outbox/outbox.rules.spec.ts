import { idempotencyKey } from '../messages/outgoing-message';
import {
  abandonedClaims,
  chunksForBatch,
  chunkState,
  heartbeatDue,
  mayStartSend,
  messageIdFor,
  retryDelayMs,
  statusWriteRetryMs,
  tallyOutbox,
} from './outbox.rules';

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

  describe('leases', () => {
    const lease = 60_000;

    it('beats every third of the lease', () => {
      expect(heartbeatDue(19_999, 0, lease)).toBe(false);
      expect(heartbeatDue(20_000, 0, lease)).toBe(true);
      expect(heartbeatDue(0, -Infinity, lease)).toBe(true);
    });

    it('starts no send in the last third of the lease the last heartbeat proved', () => {
      const heldUntil = 100_000;
      expect(mayStartSend(79_999, heldUntil, lease)).toBe(true);
      expect(mayStartSend(80_000, heldUntil, lease)).toBe(false);
      expect(mayStartSend(120_000, heldUntil, lease)).toBe(false);
      // Never beaten: nothing is held.
      expect(mayStartSend(0, 0, lease)).toBe(false);
    });

    it('takes over claims of dead workers and its own forgotten claims, never a live worker’s', () => {
      const expired = [
        { id: 'm1:0', workerId: 'dead' },
        { id: 'm2:0', workerId: 'alive' },
        { id: 'm3:0', workerId: 'me' },
        { id: 'm4:0', workerId: 'me' },
      ];
      const taken = abandonedClaims(expired, new Set(['alive', 'me']), { workerId: 'me', holding: new Set(['m4:0']) });
      expect(taken.map((c) => c.id)).toEqual(['m1:0', 'm3:0']);
    });

    it('retries a failed status write soon, then every 5 s', () => {
      expect([1, 2, 3, 4, 5, 6, 7, 20].map(statusWriteRetryMs)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    });
  });

  it('orders counted rows by cohort and kind, and adds them up', () => {
    const row = (cohortId: string | null, kind: string, counts: Partial<Record<string, number>>) => ({
      cohortId,
      kind,
      pending: 0,
      sent: 0,
      dead: 0,
      cancelled: 0,
      ...counts,
    });
    const counts = tallyOutbox([
      row('c2', 'lesson', { sent: 5 }),
      row('c1', 'lesson', { pending: 3, dead: 1 }),
      row(null, 'confirm', { sent: 2 }),
    ]);
    expect(counts.totals).toEqual({ pending: 3, sent: 7, dead: 1, cancelled: 0 });
    expect(counts.rows).toEqual([
      row(null, 'confirm', { sent: 2 }),
      row('c1', 'lesson', { pending: 3, dead: 1 }),
      row('c2', 'lesson', { sent: 5 }),
    ]);
  });
});

describe('chunkState', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const at = (offsetMs: number) => ({ nextAttemptAt: new Date(now.getTime() + offsetMs) });

  it('is gone with no pending message left', () => {
    expect(chunkState([], now)).toEqual({ state: 'gone' });
  });

  it('is due again at its earliest pending attempt when none is due now', () => {
    expect(chunkState([at(90_000), at(30_000), at(60_000)], now)).toEqual({
      state: 'later',
      dueAt: new Date(now.getTime() + 30_000),
    });
  });

  it('is held while a due message remains (one the poll left out)', () => {
    expect(chunkState([at(60_000), at(0)], now)).toEqual({ state: 'held' });
    expect(chunkState([at(-5_000)], now)).toEqual({ state: 'held' });
  });
});

describe('chunksForBatch', () => {
  const sized = (...sizes: number[]) => sizes.map((size, i) => ({ id: `c${i}`, size }));

  it('takes chunks oldest first until they could fill the batch', () => {
    expect(chunksForBatch(sized(1, 1, 150, 100, 5), 200).map((c) => c.id)).toEqual(['c0', 'c1', 'c2', 'c3']);
  });

  it('passes over chunks that may give nothing', () => {
    expect(chunksForBatch(sized(0, 150, 0, 100), 200).map((c) => c.id)).toEqual(['c1', 'c3']);
    expect(chunksForBatch(sized(0, 0), 200)).toEqual([]);
  });

  it('takes one chunk bigger than the batch alone, and all of them when they are fewer', () => {
    expect(chunksForBatch(sized(1000, 3), 200).map((c) => c.id)).toEqual(['c0']);
    expect(chunksForBatch(sized(2, 3), 200).map((c) => c.id)).toEqual(['c0', 'c1']);
    expect(chunksForBatch([], 200)).toEqual([]);
  });
});

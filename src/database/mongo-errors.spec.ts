import { mongo } from 'mongoose';
import { isDuplicateKeyError, isTransientWriteConflict, retryTransient, transientBackoffMs } from './mongo-errors';

const { MongoServerError } = mongo;

const deadlock = (): mongo.MongoServerError =>
  new MongoServerError({ ok: 0, code: 16908292, errmsg: 'deadlock detected', codeName: 'Location16908292' });
const duplicate = (): mongo.MongoServerError =>
  new MongoServerError({ ok: 0, code: 11000, errmsg: 'E11000 duplicate key error collection: cf.x' });
const noSleep = (): Promise<void> => Promise.resolve();

describe('isTransientWriteConflict', () => {
  it('accepts a PostgreSQL deadlock as FerretDB 2 reports it (SQLSTATE 40P01 packed as 16908292)', () => {
    expect(isTransientWriteConflict(deadlock())).toBe(true);
  });

  it('accepts a serialization failure (40001), MongoDB WriteConflict (112) and the transient label', () => {
    expect(isTransientWriteConflict({ code: 16777220 })).toBe(true);
    expect(isTransientWriteConflict(new MongoServerError({ ok: 0, code: 112, errmsg: 'WriteConflict' }))).toBe(true);
    expect(
      isTransientWriteConflict(
        new MongoServerError({ ok: 0, code: 251, errmsg: 'x', errorLabels: ['TransientTransactionError'] }),
      ),
    ).toBe(true);
    expect(isTransientWriteConflict({ code: 2, errorLabels: ['TransientTransactionError'] })).toBe(true);
  });

  it('refuses a duplicate key, other errors and non-errors', () => {
    expect(isTransientWriteConflict(duplicate())).toBe(false);
    expect(isTransientWriteConflict(new Error('deadlock detected'))).toBe(false);
    expect(isTransientWriteConflict({ code: '16908292' })).toBe(false);
    expect(isTransientWriteConflict(null)).toBe(false);
    expect(isTransientWriteConflict(undefined)).toBe(false);
    expect(isDuplicateKeyError(duplicate())).toBe(true);
    expect(isDuplicateKeyError(deadlock())).toBe(false);
  });
});

describe('transientBackoffMs', () => {
  it('grows with the retry and is jittered from zero', () => {
    expect(transientBackoffMs(1, () => 0)).toBe(0);
    expect(transientBackoffMs(1, () => 0.999)).toBe(9);
    expect(transientBackoffMs(4, () => 0.999)).toBe(79);
  });
});

describe('retryTransient', () => {
  it('runs again after a transient conflict and returns the first success', async () => {
    const results: Array<() => Promise<string>> = [
      () => Promise.reject(deadlock()),
      () => Promise.reject(deadlock()),
      () => Promise.resolve('inserted'),
    ];
    const fn = jest.fn(() => results.shift()!());
    await expect(retryTransient(fn, 5, noSleep)).resolves.toBe('inserted');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('passes a duplicate key (the answer, not a conflict) through at once', async () => {
    const fn = jest.fn(() => Promise.reject(duplicate()));
    await expect(retryTransient(fn, 5, noSleep)).rejects.toMatchObject({ code: 11000 });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('gives up after `attempts` runs with the last conflict', async () => {
    const fn = jest.fn(() => Promise.reject(deadlock()));
    await expect(retryTransient(fn, 3, noSleep)).rejects.toMatchObject({ code: 16908292 });
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('waits between runs', async () => {
    const waits: number[] = [];
    const fn = jest.fn().mockRejectedValueOnce(deadlock()).mockResolvedValueOnce(1);
    await retryTransient(fn, 5, (ms) => (waits.push(ms), Promise.resolve()));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThan(10);
  });
});

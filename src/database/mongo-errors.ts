/** MongoDB (and FerretDB) report unique-index violations with code 11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}

/**
 * PostgreSQL SQLSTATEs as FerretDB 2 + DocumentDB pass them on: the five characters packed six bits
 * each (PostgreSQL's MAKE_SQLSTATE), so 40P01 arrives as code 16908292.
 */
function sqlState(code: string): number {
  return [...code].reduce((packed, char, i) => packed + (((char.charCodeAt(0) - 48) & 0x3f) << (6 * i)), 0);
}

const TRANSIENT_CODES = new Set([
  sqlState('40P01'), // deadlock_detected: concurrent inserts on one unique key (FerretDB 2 + DocumentDB)
  sqlState('40001'), // serialization_failure
  112, // MongoDB WriteConflict
]);

/**
 * A write the server refused because it raced another one, and that changed nothing: run it again
 * and it succeeds or meets the winner's document (11000). A duplicate key is not one of these: it
 * is the answer.
 */
export function isTransientWriteConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errorLabels, hasErrorLabel } = error as {
    code?: unknown;
    errorLabels?: unknown;
    hasErrorLabel?: unknown;
  };
  if (typeof code === 'number' && TRANSIENT_CODES.has(code)) return true;
  if (typeof hasErrorLabel === 'function' && hasErrorLabel.call(error, 'TransientTransactionError') === true) {
    return true;
  }
  return Array.isArray(errorLabels) && errorLabels.includes('TransientTransactionError');
}

/** Before retry n (1-based): a random wait up to 5 ms x 2^n (full jitter), so racers spread out. */
export function transientBackoffMs(retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * 5 * 2 ** retry);
}

/**
 * Runs `fn` until it stops failing with a transient write conflict, at most `attempts` times in
 * all; any other error, or the last conflict, is thrown. Only for writes that are safe to repeat:
 * an insert decided by a unique key, an upsert, a `$set`.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  attempts = 5,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransientWriteConflict(error)) throw error;
      await sleep(transientBackoffMs(attempt));
    }
  }
}

/**
 * Runs `task` over `items` with at most `limit` in flight. Resolves when all have settled; if a
 * task throws, the items not yet started are skipped, the ones in flight still finish, and then
 * the first error is thrown, so nothing keeps running after the caller has moved on.
 */
export async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const rejected = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * Iterates `source` one item ahead: the next item is being produced (e.g. read from the database)
 * while the caller works on this one (e.g. writes it elsewhere).
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = iterator.next();
      yield current.value;
    }
  } finally {
    // The caller stopped early: let the read in flight settle, then close the source.
    await next.catch(() => undefined);
    await iterator.return?.();
  }
}

/** Groups what `source` yields into arrays of `size` (the last may be shorter). */
export async function* inBatches<T>(source: AsyncIterable<T> | Iterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

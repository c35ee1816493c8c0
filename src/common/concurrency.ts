/** Runs `task` over `items` with at most `limit` in flight; resolves when all have settled. */
export async function forEachConcurrently<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
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

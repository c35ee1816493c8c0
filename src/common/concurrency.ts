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

import { inBatches, readAhead } from './concurrency';

describe('readAhead', () => {
  /** A source that records when each item was asked for and when it was closed. */
  function source(items: number[], log: string[]): AsyncIterable<number> {
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for (const item of items) {
            log.push(`read ${item}`);
            await Promise.resolve();
            yield item;
          }
        } finally {
          log.push('closed');
        }
      },
    };
  }

  it('yields every item in order and reads the next one before this one is used', async () => {
    const log: string[] = [];
    for await (const item of readAhead(source([1, 2, 3], log))) log.push(`use ${item}`);
    expect(log).toEqual(['read 1', 'read 2', 'use 1', 'read 3', 'use 2', 'closed', 'use 3']);
  });

  it('closes the source when the caller stops early', async () => {
    const log: string[] = [];
    for await (const item of readAhead(source([1, 2, 3], log))) {
      if (item === 1) break;
    }
    expect(log).toEqual(['read 1', 'read 2', 'closed']);
  });
});

describe('inBatches', () => {
  it('groups items into batches of the size given, the last one shorter', async () => {
    const batches: number[][] = [];
    for await (const batch of inBatches([1, 2, 3, 4, 5], 2)) batches.push(batch);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase, startEmbeddedDatabase } from '../../src/database/embedded-database';

declare global {
  var __courseFunnelTestDatabase: EmbeddedDatabase | undefined;
}

/**
 * Uses MONGODB_URI when set (CI starts FerretDB itself); otherwise starts a throwaway server: a real
 * mongod through mongodb-memory-server when one is cached or can be downloaded now, else FerretDB
 * 1.24 built with Go (see startEmbeddedDatabase). The line printed says which, and why. Test files
 * each get their own database on it (see createTestApp).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['MONGODB_URI']) {
    process.env['CF_TEST_MONGODB_URI'] = process.env['MONGODB_URI'];
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'course-funnel-test-db-'));
  const database = await startEmbeddedDatabase(dir, false);
  globalThis.__courseFunnelTestDatabase = database;
  process.env['CF_TEST_MONGODB_URI'] = database.uri;
  process.stderr.write(`\ntest database: ${database.description}\n`);
}

import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';

/** A fresh database name per test file (and per call), on the server global set-up started. */
export function testDatabaseUri(label?: string): string {
  const base = process.env['CF_TEST_MONGODB_URI'];
  if (!base) throw new Error('CF_TEST_MONGODB_URI is not set: run the tests through jest (global set-up)');
  const file = basename(expect.getState().testPath ?? 'test').replace(/\.e2e-spec\.ts$|\.spec\.ts$/, '');
  const slug = (label ?? file).replace(/[^A-Za-z0-9]/g, '_').slice(0, 30);
  const url = new URL(base);
  url.pathname = `/t_${slug}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

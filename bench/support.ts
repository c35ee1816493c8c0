import { fork } from 'node:child_process';
import { getHeapStatistics } from 'node:v8';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase, startEmbeddedDatabase } from '../src/database/embedded-database';

/**
 * Peak resident memory, sampled while `fn` runs. The scripts run with --expose-gc so that each
 * phase starts from a collected heap: the peak is what this phase needs, not the garbage an earlier
 * phase (seeding, raw inserts) left for V8 to collect later.
 */
export async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number; ms: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  // memoryUsage.rss() only: the full memoryUsage() walks the heap, which costs the work measured.
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const result = await fn();
    return {
      result,
      peakMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576),
      ms: performance.now() - started,
    };
  } finally {
    clearInterval(timer);
  }
}

export const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);

/**
 * A fresh database for one run: at MONGODB_URI when set, else a throwaway embedded one (mongod through
 * mongodb-memory-server where one can be had, else FerretDB 1.24); the description says which and why.
 */
export async function benchDatabase(): Promise<{ uri: string; description: string; stop: () => Promise<void> }> {
  let database: EmbeddedDatabase | null = null;
  let dir: string | null = null;
  let baseUri = process.env['MONGODB_URI'];
  if (!baseUri) {
    dir = await mkdtemp(join(tmpdir(), 'course-funnel-bench-'));
    database = await startEmbeddedDatabase(dir, false);
    baseUri = database.uri;
  }
  const uri = new URL(baseUri);
  uri.pathname = `/bench_${Date.now()}`;
  return {
    uri: uri.toString(),
    description: database?.description ?? 'at MONGODB_URI',
    stop: async () => {
      await database?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Seeds N confirmed students into a cohort from a child process (bench/seed-cohort), so that the
 * seeding's own memory does not count in the module's RSS measured here.
 */
export async function seedInChild(
  uri: string,
  cohortId: string,
  students: number,
  options: { attendanceFor?: string; releasedAt?: Date } = {},
): Promise<void> {
  const args = ['--uri', uri, '--cohort', cohortId, '--students', String(students)];
  if (options.attendanceFor && options.releasedAt) {
    args.push('--attendance-for', options.attendanceFor, '--released-at', options.releasedAt.toISOString());
  }
  const child = fork(join(__dirname, 'seed-cohort.js'), args);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`seeding failed (exit ${code})`);
}

/**
 * What the server at `uri` is, from its buildInfo: "FerretDB v2.7.0", "FerretDB v1.24.2" or
 * "MongoDB 7.0.12", so every figure printed says which engine it was measured on.
 */
export async function engineName(uri: string): Promise<string> {
  const { mongo } = await import('mongoose');
  const client = await mongo.MongoClient.connect(uri);
  try {
    const info = await client.db().admin().command({ buildInfo: 1 });
    const ferret =
      (info['ferretdb'] as { version?: string } | undefined)?.version ??
      (info['ferretdbVersion'] as string | undefined);
    return ferret ? `FerretDB ${String(ferret)}` : `MongoDB ${String(info['version'])}`;
  } finally {
    await client.close();
  }
}

/**
 * The machine-readable last line of a benchmark: `bench: {"engine":...,...}`, with the V8 heap
 * limit it ran under (the npm scripts give the same budget as the server, --max-old-space-size=192).
 */
export function printBenchJson(figures: Record<string, string | number | boolean>): void {
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 1048576);
  console.log(`bench: ${JSON.stringify({ ...figures, heapLimitMb })}`);
}

import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** A MongoDB-compatible server this process started and will stop. */
export interface EmbeddedDatabase {
  uri: string;
  /** e.g. "FerretDB 1.24.2 (SQLite) in ./var/db" */
  description: string;
  stop(): Promise<void>;
}

const FERRETDB_SCRIPT = resolve(__dirname, '..', '..', 'scripts', 'ferretdb.sh');
const STATE_FILE = 'embedded.json';

function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not listen on port ${port} within 30 s: ${output()}`);
}

/** Builds (once, cached) and starts FerretDB with the SQLite handler, data in `dataDir`. */
export async function startFerretDb(dataDir: string): Promise<EmbeddedDatabase> {
  const { stdout } = await promisify(execFile)('bash', [FERRETDB_SCRIPT, 'build'], { maxBuffer: 1 << 20 });
  const binary = stdout.trim();
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${resolve(dataDir)}/`,
      `--state-dir=${resolve(dataDir)}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  await waitForPort(port, child, () => stderr);
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    description: `FerretDB 1.24.2 (SQLite) in ${dataDir}`,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** A real mongod downloaded on first use; for machines without Go but with internet access. */
export async function startMongoMemoryServer(dataDir: string | undefined): Promise<EmbeddedDatabase> {
  // Loaded lazily: a development dependency that production installs do not need.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: dataDir ? { dbPath: resolve(dataDir), storageEngine: 'wiredTiger' } : {},
  });
  return {
    uri: server.getUri(),
    description: dataDir ? `mongod (mongodb-memory-server) in ${dataDir}` : 'mongod (mongodb-memory-server), in memory',
    stop: async () => {
      await server.stop({ doCleanup: !dataDir });
    },
  };
}

/** FerretDB when Go is available, else mongodb-memory-server. */
export async function startEmbeddedDatabase(dataDir: string, persistent: boolean): Promise<EmbeddedDatabase> {
  return goAvailable() ? startFerretDb(dataDir) : startMongoMemoryServer(persistent ? dataDir : undefined);
}

/**
 * The development server records where its embedded database listens, so that the CLI can use
 * the running server's database instead of starting a second one on the same files.
 */
export async function recordEmbeddedDatabase(dataDir: string, uri: string): Promise<void> {
  await writeFile(join(dataDir, STATE_FILE), JSON.stringify({ uri, pid: process.pid }));
}

export async function findRunningEmbeddedDatabase(dataDir: string): Promise<string | null> {
  try {
    const state = JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8')) as { uri: string; pid: number };
    process.kill(state.pid, 0);
    return state.uri;
  } catch {
    return null;
  }
}

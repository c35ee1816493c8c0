import { ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';

/** A MongoDB-compatible server this process started and will stop. */
export interface EmbeddedDatabase {
  uri: string;
  engine: 'mongod' | 'ferretdb';
  /**
   * Which server runs, where, and why the ones before it were passed over, e.g. "FerretDB 1.24.2
   * (SQLite, development only) in ./var/db, as mongod (mongodb-memory-server) is unavailable: ..."
   */
  description: string;
  stop(): Promise<void>;
}

/*
 * Only the standalone runtime uses this, at start-up before the HTTP server listens: the plain
 * Errors in this file stop the process with their reason and never reach a request.
 */

/** A server that could not be started, and why, in words for the log. */
export class EngineUnavailableError extends Error {}

const FERRETDB_SCRIPT = resolve(__dirname, '..', '..', 'scripts', 'ferretdb.sh');
const STATE_FILE = 'embedded.json';
const FERRETDB = 'FerretDB 1.24.2 (SQLite, development only)';
const MONGOD = 'mongod (mongodb-memory-server)';
/** How long the download host of mongod may take to answer before we use FerretDB instead. */
const DOWNLOAD_PROBE_MS = 5_000;

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

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

/**
 * Builds FerretDB with Go once (cached in .cache/) and answers the binary's path. A first build
 * takes minutes: its progress lines (a step, then "still ..." every 10 s) are shown as they come.
 */
function buildFerretDb(): Promise<string> {
  return new Promise((resolveBinary, reject) => {
    const build = spawn('bash', [FERRETDB_SCRIPT, 'build'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let lastLine = '';
    build.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    build.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = chunk
        .replace(/ferretdb\.sh: /g, '')
        .split('\n')
        .filter((line) => line.trim() !== '');
      for (const line of lines) process.stderr.write(`course-funnel: ${line}\n`);
      lastLine = lines.pop() ?? lastLine;
    });
    build.on('error', (error) => reject(new EngineUnavailableError(firstLine(error), { cause: error })));
    build.on('close', (code) => {
      if (code === 0) resolveBinary(stdout.trim());
      else reject(new EngineUnavailableError(lastLine || `the FerretDB build exited with code ${code}`));
    });
  });
}

/** Builds with Go (once, cached in .cache/) and starts FerretDB 1.24 with the SQLite handler. */
export async function startFerretDb(dataDir: string, where = ` in ${dataDir}`): Promise<EmbeddedDatabase> {
  const binary = await buildFerretDb();
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
    engine: 'ferretdb',
    description: `${FERRETDB}${where}`,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Whether `url` answers at all within `timeoutMs`; the reason when it does not. */
async function probe(url: string, timeoutMs: number): Promise<string | null> {
  return new Promise((done) => {
    const send = url.startsWith('http:') ? httpRequest : httpsRequest;
    const req = send(url, { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      done(status < 400 ? null : `${url} answered ${status}`);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer from ${new URL(url).host} within ${timeoutMs} ms`)));
    req.once('error', (error) => done(firstLine(error)));
    req.end();
  });
}

/** Loaded lazily: a development dependency that production installs and host applications lack. */
async function loadMongoMemoryServer() {
  try {
    return {
      mms: await import('mongodb-memory-server-core'),
      config: await import('mongodb-memory-server-core/lib/util/resolveConfig.js'),
      urls: await import('mongodb-memory-server-core/lib/util/MongoBinaryDownloadUrl.js'),
    };
  } catch (error) {
    throw new EngineUnavailableError('the mongodb-memory-server-core package is not installed', { cause: error });
  }
}

/**
 * A real mongod through mongodb-memory-server: a cached or system binary (MONGOMS_SYSTEM_BINARY),
 * else downloaded on first use. Fails within seconds, with the reason, when the package is not
 * installed (it is a development dependency), downloads are off (MONGOMS_RUNTIME_DOWNLOAD=false)
 * or the download host does not answer, so the caller can move on to FerretDB.
 */
export async function startMongoMemoryServer(
  dataDir: string | undefined,
  where = dataDir ? ` in ${dataDir}` : ', in memory',
): Promise<EmbeddedDatabase> {
  const { mms, config, urls } = await loadMongoMemoryServer();
  let version: string;
  try {
    const options = await mms.DryMongoBinary.generateOptions();
    version = options.version;
    if (!(await mms.DryMongoBinary.locateBinary(options))) {
      const { resolveConfig, envToBool, ResolveConfigVariables } = config;
      if (!envToBool(resolveConfig(ResolveConfigVariables.RUNTIME_DOWNLOAD))) {
        throw new EngineUnavailableError(`no mongod ${version} cached and MONGOMS_RUNTIME_DOWNLOAD is off`);
      }
      // Ask the download host first, briefly: the download itself retries for a long while.
      const url = await new urls.MongoBinaryDownloadUrl(options).getDownloadUrl();
      const unreachable = await probe(url, DOWNLOAD_PROBE_MS);
      if (unreachable) {
        throw new EngineUnavailableError(
          `no mongod ${version} cached and the download host does not answer (${unreachable})`,
        );
      }
      await mms.MongoBinary.getPath(options); // downloads into the cache, once
    }
  } catch (error) {
    if (error instanceof EngineUnavailableError) throw error;
    throw new EngineUnavailableError(`no mongod binary (${firstLine(error)})`, { cause: error });
  }
  if (dataDir) await mkdir(dataDir, { recursive: true });
  let server: InstanceType<typeof mms.MongoMemoryServer>;
  try {
    server = await mms.MongoMemoryServer.create({
      instance: dataDir ? { dbPath: resolve(dataDir), storageEngine: 'wiredTiger' } : {},
    });
  } catch (error) {
    throw new EngineUnavailableError(`mongod did not start (${firstLine(error)})`, { cause: error });
  }
  return {
    uri: server.getUri(),
    engine: 'mongod',
    description: `mongod ${version} (mongodb-memory-server)${where}`,
    stop: async () => {
      await server.stop({ doCleanup: !dataDir });
    },
  };
}

/** Which engine wrote the files in `dataDir`, if any: its data can only be read by the same one. */
export async function engineOfData(dataDir: string): Promise<'mongod' | 'ferretdb' | null> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch {
    return null;
  }
  if (names.some((name) => name === 'WiredTiger' || name === 'storage.bson')) return 'mongod';
  if (names.some((name) => name.endsWith('.sqlite'))) return 'ferretdb';
  return null;
}

export interface EngineCandidate {
  name: string;
  start(): Promise<EmbeddedDatabase>;
}

/**
 * Starts the first candidate that can be had. Its description says why the ones before it were
 * passed over; when none can, the error names every reason.
 */
export async function startFirstAvailable(candidates: EngineCandidate[]): Promise<EmbeddedDatabase> {
  const skipped: string[] = [];
  for (const candidate of candidates) {
    try {
      const database = await candidate.start();
      return skipped.length === 0
        ? database
        : { ...database, description: `${database.description}, as ${skipped.join(' and ')}` };
    } catch (error) {
      if (!(error instanceof EngineUnavailableError)) throw error;
      skipped.push(`${candidate.name} is unavailable: ${error.message}`);
    }
  }
  throw new Error(`no embedded database could be started (set MONGODB_URI to use your own): ${skipped.join('; ')}`);
}

/**
 * A real mongod through mongodb-memory-server where one can be had (cached, or downloadable now),
 * else FerretDB 1.24 built with Go. A persistent `dataDir` that already holds one engine's files
 * keeps that engine, so switching never hides earlier data.
 */
export async function startEmbeddedDatabase(dataDir: string, persistent: boolean): Promise<EmbeddedDatabase> {
  const mongod: EngineCandidate = {
    name: MONGOD,
    start: () => (persistent ? startMongoMemoryServer(dataDir) : startMongoMemoryServer(undefined, ', in memory')),
  };
  const ferretDb: EngineCandidate = {
    name: FERRETDB,
    start: () => startFerretDb(dataDir, persistent ? ` in ${dataDir}` : ', throwaway'),
  };
  const existing = persistent ? await engineOfData(dataDir) : null;
  if (existing === null) return startFirstAvailable([mongod, ferretDb]);
  const [candidate, other] = existing === 'mongod' ? [mongod, 'FerretDB'] : [ferretDb, 'mongod'];
  try {
    const database = await candidate.start();
    return { ...database, description: `${database.description}, which holds its data (${other} not tried)` };
  } catch (error) {
    if (!(error instanceof EngineUnavailableError)) throw error;
    throw new Error(
      `${dataDir} holds ${candidate.name} data, but it is unavailable: ${error.message} ` +
        '(set MONGODB_URI, or move the directory away to start afresh)',
      { cause: error },
    );
  }
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

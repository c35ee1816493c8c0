import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedDatabase,
  EngineUnavailableError,
  engineOfData,
  startFirstAvailable,
  startMongoMemoryServer,
} from './embedded-database';

const running = (description: string): EmbeddedDatabase => ({
  uri: 'mongodb://127.0.0.1:1/',
  engine: 'ferretdb',
  description,
  stop: () => Promise.resolve(),
});
const unavailable = (reason: string) => () => Promise.reject(new EngineUnavailableError(reason));

describe('startFirstAvailable', () => {
  it('starts the first engine that can be had and says why the earlier ones were passed over', async () => {
    const database = await startFirstAvailable([
      { name: 'mongod (mongodb-memory-server)', start: unavailable('no mongod 8.2.6 cached') },
      {
        name: 'FerretDB',
        start: () => Promise.resolve(running('FerretDB 1.24.2 (SQLite, development only), throwaway')),
      },
    ]);
    expect(database.description).toBe(
      'FerretDB 1.24.2 (SQLite, development only), throwaway, as mongod (mongodb-memory-server) is unavailable: ' +
        'no mongod 8.2.6 cached',
    );
  });

  it('names every reason when none can be had', async () => {
    await expect(
      startFirstAvailable([
        { name: 'mongod', start: unavailable('no binary') },
        { name: 'FerretDB', start: unavailable('Go is not installed; cannot build FerretDB') },
      ]),
    ).rejects.toThrow(
      'no embedded database could be started (set MONGODB_URI to use your own): mongod is unavailable: no binary; ' +
        'FerretDB is unavailable: Go is not installed; cannot build FerretDB',
    );
  });

  it('does not hide a failure of an engine that was there', async () => {
    const later = jest.fn(() => Promise.resolve(running('later')));
    await expect(
      startFirstAvailable([
        { name: 'mongod', start: () => Promise.reject(new Error('disk full')) },
        { name: 'FerretDB', start: later },
      ]),
    ).rejects.toThrow('disk full');
    expect(later).not.toHaveBeenCalled();
  });
});

describe('engineOfData', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cf-engine-of-data-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('tells mongod files from FerretDB (SQLite) files, and nothing from an empty or missing directory', async () => {
    expect(await engineOfData(join(dir, 'missing'))).toBeNull();
    await writeFile(join(dir, 'embedded.json'), '{}');
    expect(await engineOfData(dir)).toBeNull();
    await writeFile(join(dir, 'course_funnel.sqlite'), '');
    expect(await engineOfData(dir)).toBe('ferretdb');
    await writeFile(join(dir, 'WiredTiger'), '');
    expect(await engineOfData(dir)).toBe('mongod');
  });
});

describe('startMongoMemoryServer without a cached mongod', () => {
  const saved = { ...process.env };
  let cacheDir: string;
  let closed: Server;

  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'cf-mongod-cache-'));
    // A version nobody has cached, downloaded from a port that refuses connections.
    closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((done) => closed.close(() => done()));
    delete process.env['MONGOMS_SYSTEM_BINARY'];
    process.env['MONGOMS_VERSION'] = '7.0.99';
    process.env['MONGOMS_DOWNLOAD_DIR'] = cacheDir;
    process.env['MONGOMS_PREFER_GLOBAL_PATH'] = 'false';
    process.env['MONGOMS_DOWNLOAD_URL'] = `http://127.0.0.1:${port}/mongodb-linux-x86_64-7.0.99.tgz`;
  });
  afterEach(async () => {
    process.env = { ...saved };
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('gives up at once, with the reason, when the download host does not answer', async () => {
    const started = Date.now();
    const error = (await startMongoMemoryServer(undefined).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect(error.message).toMatch(/^no mongod 7\.0\.99 cached and the download host does not answer \(.*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not download when MONGOMS_RUNTIME_DOWNLOAD is off', async () => {
    process.env['MONGOMS_RUNTIME_DOWNLOAD'] = 'false';
    await expect(startMongoMemoryServer(undefined)).rejects.toThrow(
      'no mongod 7.0.99 cached and MONGOMS_RUNTIME_DOWNLOAD is off',
    );
  });
});

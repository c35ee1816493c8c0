import { NestFactory } from '@nestjs/core';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadConfig } from './config/app-config';
import { CourseFunnelModule } from './course-funnel.module';
import { demoBlock, SeededDemo, seedDemo } from './standalone/demo-seed';
import { prepareStandaloneRuntime } from './standalone/standalone-runtime';

/** The first start may build the embedded database: give it time, and say so while waiting. */
const SERVER_START_TIMEOUT_MS = 15 * 60_000;
const PROGRESS_EVERY_MS = 10_000;

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

/** Starts the server (dist/main.js, compiled by run-dist) unless one answers on PORT already. */
async function ensureServer(port: number): Promise<ChildProcess | null> {
  if (await healthy(port)) return null;
  process.stdout.write(`course-funnel demo: no server on port ${port}, starting one (npm start)...\n`);
  const child = spawn(process.execPath, ['--enable-source-maps', join(__dirname, 'main.js')], { stdio: 'inherit' });
  const started = Date.now();
  let said = started;
  while (!(await healthy(port))) {
    if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before it was ready`);
    if (Date.now() - started > SERVER_START_TIMEOUT_MS)
      throw new Error('the server did not become ready in 15 minutes');
    if (Date.now() - said >= PROGRESS_EVERY_MS) {
      said = Date.now();
      process.stdout.write(
        `course-funnel demo: waiting for the server (${Math.round((said - started) / 1000)} s)...\n`,
      );
    }
    await sleep(500);
  }
  return child;
}

async function run(): Promise<void> {
  const config = loadConfig(process.env);
  const server = await ensureServer(config.PORT);
  const runtime = await prepareStandaloneRuntime(config, { reuseRunning: true });
  // A one-off command: the running server sends the mail and releases the classes.
  const options = { ...runtime.options, schedulerTickMs: 0, outbox: { ...runtime.options.outbox, tickMs: 0 } };
  const app = await NestFactory.createApplicationContext(CourseFunnelModule.forRoot(options), { logger: ['error'] });
  let demo: SeededDemo;
  try {
    demo = await seedDemo(app);
  } finally {
    await app.close();
    await runtime.stop();
  }
  process.stdout.write(`\n${demoBlock(demo, runtime.options.publicBaseUrl, runtime.mailDir, new Date())}`);
  if (!server) return;
  process.stdout.write('\nThe server runs on so the classes go out: Ctrl-C stops it.\n');
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => server.kill(signal));
  process.on('SIGINT', () => undefined);
  server.on('exit', (code) => process.exit(code ?? 0));
}

run().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`course-funnel demo: ${message}\n`);
  process.exit(1);
});

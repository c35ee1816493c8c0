#!/usr/bin/env node
// `npm start`, `npm run cli` and `npm run demo`: runs dist/<entry>.js, compiling src/ first with SWC (about a
// second) only when a source is newer than the last compile. Type-checking is `npm run typecheck`
// (CI runs it); the published build with declarations is `npm run build` (tsc).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-dist.mjs <entry: main | cli | demo> [args...]');
  process.exit(2);
}
const stamp = join(root, 'dist', '.swc-built');

/** The newest modification time among the files a compile reads. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name);
      if (item.isDirectory()) walk(path);
      else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json']) {
    if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  }
  return newest;
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (builtAt < newestSource() || !existsSync(join(root, 'dist', `${entry}.js`))) {
  const started = Date.now();
  process.stderr.write('course-funnel: compiling src/ with SWC (a few seconds)...\n');
  const nest = join(root, 'node_modules', '.bin', 'nest');
  const build = spawn(nest, ['build', '-b', 'swc'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  // A loaded machine can take longer than "a few seconds": say it is still at it.
  const progress = setInterval(
    () => process.stderr.write(`course-funnel: still compiling (${Math.round((Date.now() - started) / 1000)} s)...\n`),
    10_000,
  );
  const status = await new Promise((done) => build.on('exit', (code) => done(code ?? 1)));
  clearInterval(progress);
  if (status !== 0) {
    process.stderr.write('course-funnel: the SWC compile failed (see above)\n');
    process.exit(status);
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  process.stderr.write(`course-funnel: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist', `${entry}.js`), ...args], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
// `kill` reaches the server, which shuts down cleanly (and stops the embedded database); Ctrl-C
// reaches it from the terminal itself, so this process only waits for it.
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

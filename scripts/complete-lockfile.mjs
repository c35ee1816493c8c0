#!/usr/bin/env node
// The npm registry mirror on our build machines serves Linux x64 builds only, so `npm install`
// leaves the other platforms' optional native packages (@swc/core-darwin-arm64, ...) out of
// package-lock.json, and `npm ci` then refuses the lock file as out of sync. This adds the
// missing optional entries with the platform (os/cpu) their names declare, so `npm ci` skips them
// here and installs them on the platforms that need them. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  const libc =
    parts.includes('musl') || parts.includes('musleabihf')
      ? 'musl'
      : parts.includes('gnu') || parts.includes('gnueabihf')
        ? 'glibc'
        : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os && cpu !== 'wasm32') continue; // not a per-platform build: leave it to npm
    packages[hoisted] = {
      version: range.replace(/^[\^~=]/, ''),
      cpu: cpu ? [cpu] : undefined,
      os: os ? [os] : undefined,
      libc: libc ? [libc] : undefined,
      license: entry.license,
      optional: true,
      peer: entry.peer,
      dev: entry.dev,
    };
    added++;
  }
}
// Keep npm's key order (paths sorted) so the file diffs cleanly.
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} optional platform entries`);

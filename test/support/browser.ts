import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';

/**
 * Real-browser tests drive the system's Chromium (Debian's `chromium` package) through
 * playwright-core; nothing is downloaded. CHROMIUM_PATH points at another binary.
 * A missing Chromium fails the browser tests with install instructions; only SKIP_BROWSER_TESTS=1
 * skips them (see describeBrowser).
 */

/** Headless, and quiet on a closed network: without the background-networking flags Chromium hangs on refused connections. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output', 'screenshots');

export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

/** Whether the Chromium executable exists and can be run. */
export function hasBrowser(): boolean {
  try {
    accessSync(chromiumPath(), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True only when SKIP_BROWSER_TESTS=1 is set explicitly. */
export function browserTestsSkipped(): boolean {
  return process.env['SKIP_BROWSER_TESTS'] === '1';
}

/** `describe` for browser tests: skipped with SKIP_BROWSER_TESTS=1, run (and failing without Chromium) otherwise. */
export const describeBrowser: jest.Describe = browserTestsSkipped() ? describe.skip : describe;

/**
 * Starts headless Chromium in a fresh profile (playwright makes a new user-data-dir per launch).
 * Throws with install instructions when the executable is missing. Close it in afterAll.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!hasBrowser()) {
    throw new Error(
      `Chromium not found at ${executablePath}. Browser tests need it: install Debian's package with ` +
        '`apt-get install -y chromium` (sudo when not root), or set CHROMIUM_PATH to another Chromium. ' +
        'To skip browser tests on purpose, set SKIP_BROWSER_TESTS=1.',
    );
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 20_000 });
}

/** A PNG path under test-output/screenshots/ (created on demand) for `page.screenshot({ path })`. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = name.replace(/[^\w.-]+/g, '-').replace(/\.png$/i, '');
  return join(SCREENSHOT_DIR, `${file}.png`);
}

/** Serves a test app on a free loopback port for the browser; returns its origin. */
export async function serveForBrowser(app: {
  listen(port: number, host: string): Promise<unknown>;
  getHttpServer(): { address(): unknown };
}): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser, screenshotPath } from './support/browser';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

/** A plain form page and a POST handler that echoes the submitted name into a result page. */
function formServer(): Server {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        page(
          'Sign up',
          `<form method="post" action="/greet">
             <label>Name <input name="name" required></label>
             <button type="submit">Send</button>
           </form>`,
        ),
      );
      return;
    }
    if (req.method === 'POST' && req.url === '/greet') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const name = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('name') ?? '';
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(page('Welcome', `<p id="result">Hello, ${escapeHtml(name)}!</p>`));
      });
      return;
    }
    res.writeHead(404).end();
  });
}

describeBrowser('browser smoke: headless Chromium submits a plain HTML form', () => {
  let browser: Browser;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = formServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('fills an input, posts the form and shows the echoed value', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(`${baseUrl}/`);
      await tab.getByLabel('Name').fill('王芳 <b>&');
      await Promise.all([tab.waitForURL(`${baseUrl}/greet`), tab.getByRole('button', { name: 'Send' }).click()]);

      expect(await tab.title()).toBe('Welcome');
      expect(await tab.locator('#result').textContent()).toBe('Hello, 王芳 <b>&!');

      const file = screenshotPath('browser-smoke-result');
      await tab.screenshot({ path: file });
      expect(readFileSync(file).subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await context.close();
    }
  });
});

import { TestApp } from './create-test-app';

/** A browser's cookie jar, reduced to what the console sets. */
export class ConsoleBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly t: TestApp) {}

  take(setCookie: string[] | string | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair.split('=');
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value.join('='));
    }
  }

  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }

  async get(path: string) {
    const res = await this.t.http.get(path).set('Cookie', this.header()).set('Accept-Language', 'en');
    this.take(res.headers['set-cookie']);
    return res;
  }

  async post(path: string, form: Record<string, string>) {
    const res = await this.t.http
      .post(path)
      .set('Cookie', this.header())
      .set('Accept-Language', 'en')
      .type('form')
      .send(form);
    this.take(res.headers['set-cookie']);
    return res;
  }

  /** The CSRF token a page's forms carry. */
  static csrfOf(html: string): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!match) throw new Error('no CSRF field on the page');
    return match[1];
  }

  async signIn(token: string): Promise<string> {
    const page = await this.get('/console/sign-in');
    const res = await this.post('/console/sign-in', {
      _csrf: ConsoleBrowser.csrfOf(page.text),
      token,
      next: '/console',
    });
    expect(res.status).toBe(303);
    const home = await this.get('/console');
    expect(home.status).toBe(200);
    return ConsoleBrowser.csrfOf(home.text);
  }
}

/**
 * A small cookie jar for end-to-end tests that drive the browser login over HTTP: keeps cookies per
 * host (not per port, like browsers), honours Path and Max-Age=0, and treats the loopback address as a
 * secure context (as browsers do), so `Secure` and `__Host-` cookies of http://127.0.0.1 are kept.
 */
export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
  readonly attributes: readonly string[];
}

export class CookieJar {
  private readonly cookies = new Map<string, Map<string, StoredCookie>>();

  /** Stores the Set-Cookie headers of a response to `url`. */
  store(url: string, response: Response): void {
    const { hostname } = new URL(url);
    const byName = this.cookies.get(hostname) ?? new Map<string, StoredCookie>();
    this.cookies.set(hostname, byName);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...rest] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const attributes = rest;
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const maxAge = attributes.find((a) => a.toLowerCase().startsWith('max-age='));
      if ((maxAge !== undefined && Number(maxAge.slice(8)) <= 0) || value === '') byName.delete(name);
      else byName.set(name, { name, value, path, attributes });
    }
  }

  get(host: string, name: string): StoredCookie | undefined {
    return this.cookies.get(host)?.get(name);
  }

  set(host: string, name: string, value: string): void {
    const byName = this.cookies.get(host) ?? new Map<string, StoredCookie>();
    this.cookies.set(host, byName);
    byName.set(name, { name, value, path: '/', attributes: [] });
  }

  delete(host: string, name: string): void {
    this.cookies.get(host)?.delete(name);
  }

  /** The Cookie header a browser would send to `url`, or undefined. */
  header(url: string): string | undefined {
    const { hostname, pathname } = new URL(url);
    const matching = [...(this.cookies.get(hostname)?.values() ?? [])].filter(
      (cookie) =>
        pathname === cookie.path || pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`),
    );
    return matching.length === 0 ? undefined : matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }

  /** `fetch` with this jar, never following redirects (the test follows them, step by step). */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie !== undefined) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, response);
    return response;
  }
}

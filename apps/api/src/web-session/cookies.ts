/**
 * Just enough of RFC 6265 for our own cookies (no cookie-parser): read one name from a Cookie header,
 * write a Set-Cookie value.
 */

/** The first value of cookie `name` in a Cookie header, or undefined. Malformed pairs are skipped. */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const line of lines) {
    for (const pair of line.split(';')) {
      const separator = pair.indexOf('=');
      if (separator < 0) continue;
      if (pair.slice(0, separator).trim() !== name) continue;
      let value = pair.slice(separator + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      return value;
    }
  }
  return undefined;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. Without it: a browser-session cookie. */
  readonly maxAge?: number;
  readonly path?: string;
}

/** `__Host-` cookies must be Secure, Path=/ and carry no Domain: the browser enforces that they are ours alone. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!/^[\w!#$%&'*+.^`|~-]+$/.test(name)) throw new Error(`Invalid cookie name ${name}`);
  if (!/^[\w!#$%&'()*+./:<=>?@[\]^`{|}~-]*$/.test(value)) throw new Error(`Invalid cookie value for ${name}`);
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'Secure', 'SameSite=Strict'];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  return parts.join('; ');
}

/** Adds a Set-Cookie header without dropping those already set on the response. */
export function appendSetCookie(
  response: { getHeader(name: string): unknown; setHeader(name: string, value: string | readonly string[]): unknown },
  cookie: string,
): void {
  const existing = response.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing.map(String) : typeof existing === 'string' ? [existing] : [];
  // A later write of the same cookie replaces the earlier one of this response.
  const name = cookie.slice(0, cookie.indexOf('='));
  response.setHeader('set-cookie', [...list.filter((entry) => !entry.startsWith(`${name}=`)), cookie]);
}

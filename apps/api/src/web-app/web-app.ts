import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Serves the browser application (`apps/web`, built into `dist/web`) at `/`, same origin as the API:
 * hashed assets for a year (`immutable`), every other path that is not the API's the application's
 * `index.html` (client-side routes), never cached. A precompressed copy (`.br`, `.gz`, written by the
 * build) is sent to browsers that accept it. Paths outside the build directory are never served.
 */
export const WEB_DIRECTORY_DEFAULT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web');

/** The API's own paths: the application never answers them. */
const SERVICE_PATHS = /^\/(api|auth|health|ready|metrics)(\/|$)/;

/**
 * The browser application's policy: its own scripts only, no inline scripts, no framing, no plugins;
 * styles inline too (KoliBri's themes set style attributes); API calls to this origin only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
};

type Next = (error?: unknown) => void;
export type WebAppMiddleware = (request: IncomingMessage, response: ServerResponse, next: Next) => void;

export interface WebApp {
  /** Null when no build was found there: the API runs alone and says so once at start. */
  readonly directory: string | null;
  readonly middleware: WebAppMiddleware;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The file a URL path names inside `root`, or null (outside it, not a file, or not a valid path). */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  // Precompressed copies are sent in place of their file, never by their own name.
  if (decoded.includes('\0') || decoded.endsWith('.br') || decoded.endsWith('.gz')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (file !== root && !file.startsWith(`${root}${path.sep}`)) return null;
  return isFile(file) ? file : null;
}

function acceptedEncodings(request: IncomingMessage): readonly ('br' | 'gzip')[] {
  const header = String(request.headers['accept-encoding'] ?? '');
  const accepted: ('br' | 'gzip')[] = [];
  if (/\bbr\b/.test(header)) accepted.push('br');
  if (/\bgzip\b/.test(header)) accepted.push('gzip');
  return accepted;
}

function send(request: IncomingMessage, response: ServerResponse, file: string, cacheControl: string): void {
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  let chosen = file;
  for (const encoding of acceptedEncodings(request)) {
    const candidate = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
    if (isFile(candidate)) {
      chosen = candidate;
      response.setHeader('Content-Encoding', encoding);
      break;
    }
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', type);
  response.setHeader('Cache-Control', cacheControl);
  response.setHeader('Vary', 'Accept-Encoding');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Length', String(fs.statSync(chosen).size));
  if (type.startsWith('text/html')) {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Frame-Options', 'DENY');
  }
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  fs.createReadStream(chosen)
    .on('error', () => response.destroy())
    .pipe(response);
}

export function webApp(directory: string = WEB_DIRECTORY_DEFAULT): WebApp {
  const root = path.resolve(directory);
  const index = path.join(root, 'index.html');
  if (!isFile(index)) return { directory: null, middleware: (_request, _response, next) => next() };
  const middleware: WebAppMiddleware = (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const urlPath = (request.url ?? '/').split('?')[0]!;
    if (SERVICE_PATHS.test(urlPath)) return next();
    if (urlPath.startsWith('/assets/')) {
      const asset = resolveInside(root, urlPath);
      if (asset === null) return next();
      return send(request, response, asset, 'public, max-age=31536000, immutable');
    }
    const file = urlPath === '/' ? null : resolveInside(root, urlPath);
    // Any other path is a screen of the application: its index, which routes in the browser.
    send(request, response, file ?? index, 'no-cache');
  };
  return { directory: root, middleware };
}

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { CONTENT_SECURITY_POLICY, webApp } from './web-app.js';

/** The browser application's files, served by the API process (see web-app.ts), over real HTTP. */
describe('webApp', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-web-'));
  const outside = path.join(path.dirname(root), `${path.basename(root)}-secret.txt`);
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Prüfpfad</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app-abc123.js'), 'console.log("app");');
    fs.writeFileSync(path.join(root, 'assets', 'app-abc123.js.br'), zlib.brotliCompressSync('console.log("app");'));
    fs.writeFileSync(outside, 'not for the web');
    const { middleware } = webApp(root);
    server = http.createServer((request, response) =>
      middleware(request, response, () => {
        response.statusCode = 404;
        response.end('next');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { force: true });
  });

  /** Raw HTTP, so that paths reach the server exactly as written (fetch would normalise `..`). */
  const get = (urlPath: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const request = http.request(`${base}/`, { method, path: urlPath, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      });
      request.on('error', reject);
      request.end();
    });

  it('answers / and every screen path with the index, never cached, under the content security policy', async () => {
    for (const urlPath of ['/', '/teams/team-1/arbeitsliste?monat=2026-03', '/pruefungen/r-1']) {
      const response = await get(urlPath);
      expect({ urlPath, status: response.status, body: response.body.toString() }).toEqual({
        urlPath,
        status: 200,
        body: '<!doctype html><title>Prüfpfad</title>',
      });
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
  });

  it('sends hashed assets for a year, Brotli-compressed to browsers that accept it', async () => {
    const plain = await get('/assets/app-abc123.js');
    expect(plain.status).toBe(200);
    expect(plain.body.toString()).toBe('console.log("app");');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const compressed = await get('/assets/app-abc123.js', { 'Accept-Encoding': 'gzip, br' });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(compressed.body).toString()).toBe('console.log("app");');
    expect((await get('/assets/app-abc123.js', {}, 'HEAD')).body.length).toBe(0);
  });

  it('leaves the API’s paths, unknown assets and other methods to the API', async () => {
    for (const urlPath of ['/api/v1/session', '/auth/login', '/health', '/ready', '/metrics', '/assets/missing.js']) {
      expect({ urlPath, body: (await get(urlPath)).body.toString() }).toEqual({ urlPath, body: 'next' });
    }
    expect((await get('/', {}, 'POST')).body.toString()).toBe('next');
  });

  it('never serves a file outside its directory, nor a compressed copy by its own name', async () => {
    const name = path.basename(outside);
    for (const urlPath of [
      `/assets/../../${name}`,
      `/assets/%2e%2e/%2e%2e/${name}`,
      `/../${name}`,
      '/assets/app-abc123.js.br',
      '/assets/%00',
      '/assets/%E0%A4%A',
    ]) {
      const response = await get(urlPath);
      expect({ urlPath, leaked: response.body.toString().includes('not for the web') }).toEqual({
        urlPath,
        leaked: false,
      });
    }
    expect((await get('/assets/app-abc123.js.br')).body.toString()).toBe('next');
  });

  it('serves nothing and passes everything on when no build is there', () => {
    const missing = webApp(path.join(root, 'nothing-here'));
    expect(missing.directory).toBeNull();
    let passed = false;
    missing.middleware({ method: 'GET', url: '/' } as http.IncomingMessage, {} as http.ServerResponse, () => {
      passed = true;
    });
    expect(passed).toBe(true);
  });
});

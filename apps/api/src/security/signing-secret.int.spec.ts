import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SIGNING_SECRET_FILE, loadOrCreateSigningSecret } from './signing-secret.js';

const posix = process.platform !== 'win32';

describe('loadOrCreateSigningSecret', () => {
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates a 64-byte secret with mode 0600 on first start (data dir included) and reuses it', () => {
    const dataDir = path.join(root, 'fresh', 'data');
    const first = loadOrCreateSigningSecret(dataDir);
    expect(first.byteLength).toBe(64);
    const file = path.join(dataDir, SIGNING_SECRET_FILE);
    if (posix) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadOrCreateSigningSecret(dataDir)).equals(Buffer.from(first))).toBe(true);
    // Only the secret is left behind, no temporary files.
    expect(fs.readdirSync(dataDir)).toEqual([SIGNING_SECRET_FILE]);
  });

  it('gives different directories different secrets', () => {
    const a = loadOrCreateSigningSecret(path.join(root, 'a'));
    const b = loadOrCreateSigningSecret(path.join(root, 'b'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  (posix ? it : it.skip)('refuses a secret file that others can read (skipped on Windows: no POSIX modes)', () => {
    const dataDir = path.join(root, 'loose');
    loadOrCreateSigningSecret(dataDir);
    fs.chmodSync(path.join(dataDir, SIGNING_SECRET_FILE), 0o644);
    expect(() => loadOrCreateSigningSecret(dataDir)).toThrow(/chmod 600/);
  });

  it('refuses a secret that is too short', () => {
    const dataDir = path.join(root, 'short');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, SIGNING_SECRET_FILE), Buffer.alloc(16, 1), { mode: 0o600 });
    expect(() => loadOrCreateSigningSecret(dataDir)).toThrow(/at least 32/);
  });

  it('hands every process of a simultaneous first start the same secret', async () => {
    const dataDir = path.join(root, 'race');
    const moduleUrl = new URL('./signing-secret.ts', import.meta.url).href;
    // Child processes strip the types of the module under test (Node 24) and race for the first start; a
    // resolve hook maps its imports' `.js` suffixes back to the `.ts` sources and resolves the workspace
    // packages to their sources (the `pruefpfad-source` export condition).
    const script = `import { registerHooks } from 'node:module';
      registerHooks({ resolve: (specifier, context, next) =>
        !context.parentURL?.endsWith('.ts') ? next(specifier, context)
          : specifier.startsWith('.') && specifier.endsWith('.js') ? next(specifier.slice(0, -3) + '.ts', context)
          : next(specifier, { ...context, conditions: [...context.conditions, 'pruefpfad-source'] }) });
      const { loadOrCreateSigningSecret } = await import(${JSON.stringify(moduleUrl)});
      process.stdout.write(Buffer.from(loadOrCreateSigningSecret(${JSON.stringify(dataDir)})).toString('hex'));`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
      });
    const secrets = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toBe(Buffer.from(loadOrCreateSigningSecret(dataDir)).toString('hex'));
  });
});

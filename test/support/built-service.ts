/**
 * The built service as `npm run build` and `npm start` make it, in a directory of its own (so that a
 * suite never races another one writing `dist/`): tsc, the package links, the web application; then
 * `node <out>/apps/api/src/main.js` on a free port with fresh data directories.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const node = process.execPath;

function run(step: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(node, args, { cwd: root, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`${step} failed:\n${result.stdout}${result.stderr}`);
}

/** Builds the service and the web application into `outDir` (about 10 s on two cores). */
export function buildService(outDir: string): void {
  run('tsc', [
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.build.json',
    '--outDir',
    outDir,
    '--tsBuildInfoFile',
    path.join(outDir, '.tsbuildinfo'),
  ]);
  run('link', ['scripts/link-built-packages.mjs', outDir]);
  run('vite', [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'apps/web/vite.config.mjs',
    '--logLevel',
    'warn',
    '--outDir',
    path.join(outDir, 'web'),
    '--emptyOutDir',
  ]);
  run('compress', ['scripts/compress-web.mjs', path.join(outDir, 'web')]);
  // The compiled tree sits outside the repository: its own package.json makes its files ES modules,
  // and its node_modules reaches the repository's third-party packages.
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}');
  if (!fs.existsSync(path.join(outDir, 'catalogues')))
    fs.symlinkSync(path.join(root, 'catalogues'), path.join(outDir, 'catalogues'));
  for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
    const link = path.join(outDir, 'node_modules', entry);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(root, 'node_modules', entry), link);
  }
}

/**
 * The run's one build, shared by every suite that needs the built service: the first suite to get here
 * builds (an exclusive lock directory), the others wait for its completion mark; bounded, never a bare
 * sleep loop without a condition. Outside `npm test` (no run id) each caller builds its own.
 */
export async function sharedBuild(timeoutMs = 300_000): Promise<string> {
  const run = process.env['PRUEFPFAD_TEST_RUN'];
  if (!run) {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-build-'));
    buildService(outDir);
    return outDir;
  }
  const outDir = path.join(os.tmpdir(), `pruefpfad-build-${run}`);
  const complete = path.join(outDir, '.complete');
  const failed = path.join(outDir, '.failed');
  try {
    fs.mkdirSync(`${outDir}.lock`);
    try {
      fs.mkdirSync(outDir, { recursive: true });
      buildService(outDir);
      fs.writeFileSync(complete, '');
    } catch (error) {
      fs.writeFileSync(failed, String(error));
      throw error;
    }
    return outDir;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(complete)) {
    if (fs.existsSync(failed)) throw new Error(`the shared build failed:\n${fs.readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`the shared build did not complete within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return outDir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningService {
  readonly baseUrl: string;
  /** Holds `data/` and `keys/`; pass it to `startService` again to restart on the same stores. */
  readonly dirs: string;
  readonly dataDir: string;
  readonly output: () => string;
  /** Stops the service; its stores are removed unless kept for a restart. */
  stop(options?: { readonly keepStores?: boolean }): Promise<void>;
}

export async function startService(
  outDir: string,
  env: NodeJS.ProcessEnv = {},
  existingDirs?: string,
): Promise<RunningService> {
  const port = await freePort();
  const dirs = existingDirs ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-service-'));
  const dataDir = path.join(dirs, 'data');
  let output = '';
  const child: ChildProcess = spawn(node, [path.join(outDir, 'apps/api/src/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      PRUEFPFAD_DATA_DIR: dataDir,
      PRUEFPFAD_KEY_DIR: path.join(dirs, 'keys'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  // A condition, not a sleep: /health answers once the service listens.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited early:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    dirs,
    dataDir,
    output: () => output,
    stop: async (options = {}) => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (options.keepStores !== true) fs.rmSync(dirs, { recursive: true, force: true });
    },
  };
}

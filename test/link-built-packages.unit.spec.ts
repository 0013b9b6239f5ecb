import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run build` ends with `scripts/link-built-packages.mjs`: the compiled apps must resolve
 * `@pruefpfad/*` to the compiled libraries through Node's own package resolution (exports maps), without
 * the TypeScript sources. This runs the script on a stand-in compiled tree and imports through it.
 */
const repo = path.resolve(import.meta.dirname, '..');
const script = path.join(repo, 'scripts', 'link-built-packages.mjs');
const libs = fs
  .readdirSync(path.join(repo, 'libs'))
  .filter((lib) => fs.existsSync(path.join(repo, 'libs', lib, 'package.json')));
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function compiledTree(only: readonly string[] = libs): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-dist-'));
  temporary.push(outDir);
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}');
  for (const lib of only) {
    fs.mkdirSync(path.join(outDir, 'libs', lib, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(outDir, 'libs', lib, 'src', 'index.js'),
      `export const compiled = ${JSON.stringify(lib)};\n`,
    );
  }
  return outDir;
}

const link = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('scripts/link-built-packages.mjs', () => {
  it('lets compiled code import every library by name, from apps and from other libraries alike', () => {
    const outDir = compiledTree();
    expect(link(outDir)).toMatchObject({
      status: 0,
      stdout: expect.stringContaining(`linked ${libs.length} packages`),
    });
    const probe = (dir: string) => {
      fs.mkdirSync(path.join(outDir, dir), { recursive: true });
      const file = path.join(outDir, dir, 'probe.js');
      fs.writeFileSync(
        file,
        `const names = [];\nfor (const lib of ${JSON.stringify(libs)}) names.push((await import('@pruefpfad/' + lib)).compiled);\nconsole.log(names.join(','));\n`,
      );
      return spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: os.tmpdir() });
    };
    for (const dir of ['apps/api/src', 'libs/composition/src/reactors']) {
      expect(probe(dir)).toMatchObject({ status: 0, stdout: `${libs.join(',')}\n` });
    }
  });

  it('writes manifests with the compiled targets only, leaving out entries that were not compiled', () => {
    const outDir = compiledTree();
    expect(link(outDir).status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'libs', 'projections', 'package.json'), 'utf8')) as {
      name: string;
      type: string;
      exports: Record<string, unknown>;
    };
    // The testing entry exists in the source manifest, but the build does not compile test code.
    expect(manifest).toEqual(
      expect.objectContaining({ name: '@pruefpfad/projections', type: 'module', exports: { '.': './src/index.js' } }),
    );
    const testing = path.join(outDir, 'apps', 'testing-probe.js');
    fs.mkdirSync(path.dirname(testing), { recursive: true });
    fs.writeFileSync(testing, "await import('@pruefpfad/projections/testing');\n");
    const result = spawnSync(process.execPath, [testing], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('refuses a tree where a library was not compiled, unless asked for a partial tree', () => {
    const outDir = compiledTree(libs.filter((lib) => lib !== 'privacy'));
    const full = link(outDir);
    expect(full.status).not.toBe(0);
    expect(full.stderr).toMatch(/@pruefpfad\/privacy: no compiled output/);
    expect(link(outDir, '--partial', '--links', path.join(outDir, 'libs', 'node_modules')).status).toBe(0);
    expect(fs.existsSync(path.join(outDir, 'libs', 'node_modules', '@pruefpfad', 'domain'))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'libs', 'node_modules', '@pruefpfad', 'privacy'))).toBe(false);
  });
});

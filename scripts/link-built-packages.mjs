// Makes a compiled tree (`dist/` after `tsc -p tsconfig.build.json`) resolve the workspace packages
// (`@pruefpfad/*`) to their compiled code, as Node resolves any package: each library's package.json is
// written next to its output (`dist/libs/<name>/package.json`, exports pointing at the `.js` files) and
// `dist/node_modules/@pruefpfad/<name>` links to that directory. Node walks up from `dist/apps/...` and
// `dist/libs/...` and finds `dist/node_modules` before the repository's own `node_modules`, whose links
// point at the TypeScript sources. The Docker image copies `dist/` with these links.
//
//   node scripts/link-built-packages.mjs [outDir] [--links <dir>] [--partial]
//
// `--links` puts the links elsewhere and `--partial` links only the libraries that were compiled (a test
// that compiles one import graph into a temporary directory and reaches the repository's third-party
// packages through `<outDir>/node_modules`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_CONDITION = 'pruefpfad-source';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The package.json of a library as the compiled tree needs it: every export at its compiled target. An
 * entry the build does not compile (a testing entry: `tsconfig.build.json` leaves test code out) is left
 * out, so that importing it from compiled code fails as "not exported" rather than as a missing file.
 */
export function compiledManifest(manifest, { isBuilt = () => true, partial = false } = {}) {
  const exports = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const compiled = typeof target === 'string' ? target : target.default;
    if (typeof compiled !== 'string' || !compiled.endsWith('.js')) {
      throw new Error(`${manifest.name}: export "${subpath}" has no compiled (.js) default target`);
    }
    if (
      typeof target === 'object' &&
      Object.keys(target).some((key) => key !== SOURCE_CONDITION && key !== 'default')
    ) {
      throw new Error(`${manifest.name}: export "${subpath}" uses a condition other than ${SOURCE_CONDITION}/default`);
    }
    if (isBuilt(compiled)) exports[subpath] = compiled;
    else if (subpath === '.' && !partial)
      throw new Error(`${manifest.name}: its main entry ${compiled} was not compiled`);
  }
  const { name, version, license, type } = manifest;
  return { name, version, private: true, license, type, exports };
}

export function linkBuiltPackages(outDir, { linksDir = path.join(outDir, 'node_modules'), partial = false } = {}) {
  const libs = fs.readdirSync(path.join(repo, 'libs'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const linked = [];
  for (const lib of libs) {
    const manifestFile = path.join(repo, 'libs', lib.name, 'package.json');
    if (!fs.existsSync(manifestFile)) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const built = path.join(outDir, 'libs', lib.name);
    if (!fs.existsSync(built) && partial) continue;
    if (!fs.existsSync(built)) throw new Error(`${manifest.name}: no compiled output at ${built}; build first`);
    fs.writeFileSync(
      path.join(built, 'package.json'),
      `${JSON.stringify(compiledManifest(manifest, { isBuilt: (target) => fs.existsSync(path.join(built, target)), partial }), null, 2)}\n`,
    );
    const link = path.join(linksDir, ...manifest.name.split('/'));
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { recursive: true, force: true });
    // A relative link keeps the tree movable (the Docker image copies it); 'junction' lets Windows link
    // directories without administrator rights (it is ignored elsewhere).
    fs.symlinkSync(path.relative(path.dirname(link), built), link, 'junction');
    linked.push(manifest.name);
  }
  return linked;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const linksAt = args.indexOf('--links');
  const linksDir = linksAt >= 0 ? path.resolve(args[linksAt + 1]) : undefined;
  const partial = args.includes('--partial');
  const positional = args.filter(
    (arg, index) => arg !== '--partial' && (linksAt < 0 || (index !== linksAt && index !== linksAt + 1)),
  );
  const outDir = path.resolve(positional[0] ?? path.join(repo, 'dist'));
  const linked = linkBuiltPackages(outDir, { linksDir, partial });
  console.log(
    `linked ${linked.length} packages into ${path.relative(process.cwd(), linksDir ?? path.join(outDir, 'node_modules')) || '.'}`,
  );
}

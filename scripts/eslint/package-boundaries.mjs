// ESLint rule `pruefpfad/package-boundaries`: the libraries under `libs/` are npm workspace packages
// (`@pruefpfad/<name>`), and code reaches a library only through its package name and the entries its
// `exports` map names. The rule reports, for every static or dynamic import and re-export:
//   - a relative path into another library (`../../libs/domain/src/review/review.decider.js`), or from a
//     library into `apps/` or `bench/`;
//   - a package subpath that the package does not export (`@pruefpfad/domain/src/...`);
//   - a library importing itself by name (inside a library, imports are relative);
//   - an import against the layering: a library may import only libraries of a lower layer, and only
//     those its package.json declares as dependencies (so npm and the reader see the same graph);
//   - a testing entry (`@pruefpfad/<name>/testing`) imported by code that is not a test: the build does
//     not compile testing entries.
import fs from 'node:fs';
import path from 'node:path';

/** Lower layers first. A library imports only from layers below its own. */
export const LAYERS = [
  ['domain', 'runtime'],
  ['event-store', 'read-store', 'privacy'],
  ['application'],
  ['projections'],
  ['composition'],
];

const SCOPE = '@pruefpfad/';
const TEST_FILE = /(\.spec\.ts$|^test\/|\/src\/(testing|contract)\/)/;

const packagesByRoot = new Map();

/** The workspace packages under `<root>/libs`, read once per root. */
export function readPackages(root) {
  const cached = packagesByRoot.get(root);
  if (cached) return cached;
  const packages = new Map();
  const libs = path.join(root, 'libs');
  for (const entry of fs.readdirSync(libs, { withFileTypes: true })) {
    const file = path.join(libs, entry.name, 'package.json');
    if (!entry.isDirectory() || !fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    packages.set(entry.name, {
      name: manifest.name,
      entries: new Set(Object.keys(manifest.exports ?? {})),
      dependencies: new Set(Object.keys(manifest.dependencies ?? {})),
    });
  }
  packagesByRoot.set(root, packages);
  return packages;
}

function layerOf(lib) {
  const index = LAYERS.findIndex((layer) => layer.includes(lib));
  return index < 0 ? null : index;
}

/** `{ area: 'libs' | 'apps' | 'bench' | other, lib }` of a repository-relative path. */
function placeOf(relative) {
  const [area, name] = relative.split('/');
  return { area, lib: area === 'libs' ? name : null };
}

/** @type {import('eslint').Rule.RuleModule} */
export const packageBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Libraries are reached only by package name, through their exports, along the layering.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      relativeIntoLibrary: "Import '{{package}}' instead of a relative path into another library ({{specifier}}).",
      libraryIntoApp: 'A library must not import application code ({{specifier}}).',
      notExported: "'{{specifier}}' is not an entry of {{package}}; its exports are: {{entries}}.",
      unknownPackage: "'{{specifier}}': there is no workspace package {{package}}.",
      selfByName: 'Inside {{package}}, import its own modules by relative path, not by its package name.',
      againstLayering:
        '{{from}} (layer {{fromLayer}}) must not import {{package}} (layer {{toLayer}}): a library imports only lower layers.',
      undeclared: '{{package}} is not a dependency of {{from}}: declare it in libs/{{lib}}/package.json.',
      testingInProduction: "'{{specifier}}' is a testing entry: only tests may import it.",
    },
  },
  create(context) {
    const root = path.resolve(context.options[0]?.root ?? context.cwd);
    const packages = readPackages(root);
    const filename = path.resolve(context.filename);
    const relative = path.relative(root, filename).split(path.sep).join('/');
    if (relative.startsWith('..')) return {};
    const from = placeOf(relative);
    const fromPackage = from.lib ? packages.get(from.lib) : undefined;
    const isTest = TEST_FILE.test(relative);

    function checkRelative(node, specifier) {
      const target = path
        .relative(root, path.resolve(path.dirname(filename), specifier))
        .split(path.sep)
        .join('/');
      const to = placeOf(target);
      if (to.lib && to.lib !== from.lib && packages.has(to.lib)) {
        context.report({
          node,
          messageId: 'relativeIntoLibrary',
          data: { specifier, package: packages.get(to.lib).name },
        });
      } else if (from.lib && (to.area === 'apps' || to.area === 'bench')) {
        context.report({ node, messageId: 'libraryIntoApp', data: { specifier } });
      }
    }

    function checkPackage(node, specifier) {
      const [, name, ...rest] = specifier.split('/');
      const packageName = `${SCOPE}${name}`;
      const target = packages.get(name);
      if (!target) {
        context.report({ node, messageId: 'unknownPackage', data: { specifier, package: packageName } });
        return;
      }
      const entry = rest.length === 0 ? '.' : `./${rest.join('/')}`;
      if (!target.entries.has(entry)) {
        const entries = [...target.entries].map((e) => (e === '.' ? packageName : `${packageName}${e.slice(1)}`));
        context.report({
          node,
          messageId: 'notExported',
          data: { specifier, package: packageName, entries: entries.join(', ') },
        });
        return;
      }
      if (entry === './testing' && !isTest) {
        context.report({ node, messageId: 'testingInProduction', data: { specifier } });
      }
      if (!fromPackage) return;
      if (name === from.lib) {
        context.report({ node, messageId: 'selfByName', data: { package: packageName } });
        return;
      }
      const fromLayer = layerOf(from.lib);
      const toLayer = layerOf(name);
      if (fromLayer === null || toLayer === null || toLayer >= fromLayer) {
        context.report({
          node,
          messageId: 'againstLayering',
          data: {
            from: fromPackage.name,
            fromLayer: String(fromLayer),
            package: packageName,
            toLayer: String(toLayer),
          },
        });
      } else if (!fromPackage.dependencies.has(packageName)) {
        context.report({
          node,
          messageId: 'undeclared',
          data: { package: packageName, from: fromPackage.name, lib: from.lib },
        });
      }
    }

    function check(node, source) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const specifier = source.value;
      if (specifier.startsWith('.')) checkRelative(source, specifier);
      else if (specifier.startsWith(SCOPE)) checkPackage(source, specifier);
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { meta: { name: 'pruefpfad' }, rules: { 'package-boundaries': packageBoundaries } };

import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The browser application, built into `dist/web` beside the compiled service, which serves it at `/`
 * (same origin as `/api/v1`). No dev server is needed: `npm run build` builds it, `npm start` serves it.
 */
const here = import.meta.dirname;
const kolibri = path.resolve(here, '../../node_modules/@public-ui/components/dist/esm');

/**
 * The KoliBri components the application renders, with every component they render in turn. KoliBri's
 * loader fetches each component's module when its first element appears, which on a cold start means one
 * network round and one parse per nesting level (about ten waves before a table is on screen). The
 * components listed here go into one chunk instead; the others stay lazy and are never fetched. The list
 * is derived from the source (every `Kol…` component imported from the React adapter) so it cannot drift.
 */
function usedKolibriTags() {
  const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const entry = (tag) => path.join(kolibri, `${tag}.entry.js`);
  const sources = fs.readdirSync(path.join(here, 'src'), { recursive: true }).filter((file) => /\.tsx?$/.test(file));
  const queue = [];
  for (const file of sources) {
    const text = fs.readFileSync(path.join(here, 'src', file), 'utf8');
    for (const match of text.matchAll(/import\s*{([^}]*)}\s*from\s*'@public-ui\/react-v19'/g))
      for (const name of match[1].split(',')) if (/^\s*Kol\w+\s*$/.test(name)) queue.push(kebab(name.trim()));
  }
  const used = new Set();
  while (queue.length > 0) {
    const tag = queue.pop();
    if (used.has(tag) || !fs.existsSync(entry(tag))) continue;
    used.add(tag);
    const text = fs.readFileSync(entry(tag), 'utf8');
    for (const match of text.matchAll(/\b(Kol[A-Za-z]+)Tag\b/g)) queue.push(kebab(match[1]));
  }
  if (used.size === 0) throw new Error('no KoliBri component found in apps/web/src');
  return used;
}

/**
 * KoliBri's lazy loader imports each component's module when its first element connects: on a cold start
 * one network round and one parse per nesting level, about ten waves before a table is on screen. This
 * rewrites the loader's switch so that the components the application uses are imported statically and
 * handed over at once (the loader's own cache-hit path, which returns the constructor synchronously); the
 * components it never renders stay lazy and are never fetched.
 */
function eagerKolibriComponents() {
  const used = usedKolibriTags();
  const lazyImport = /import\("\.\/(kol-[a-z-]+)\.entry\.js"\)\.then\((\w+),\s*\w+\)/g;
  return {
    name: 'pruefpfad:eager-kolibri-components',
    transform(code, id) {
      if (!id.startsWith(kolibri) || !code.includes('$lazyBundleId$')) return null;
      const imports = [];
      const rewritten = code.replace(lazyImport, (whole, tag, cache) => {
        if (!used.has(tag)) return whole;
        const name = `__kolibri_${tag.replace(/-/g, '_')}`;
        imports.push(`import * as ${name} from "./${tag}.entry.js";`);
        return `${cache}(${name})`;
      });
      if (imports.length !== used.size)
        throw new Error(`KoliBri loader: ${imports.length} of ${used.size} used components found in its switch`);
      return { code: `${imports.join('')}${rewritten}`, map: null };
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  build: {
    outDir: path.resolve(here, '../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // React Query marks its modules "use client" for server-component bundlers; meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  plugins: [eagerKolibriComponents()],
  oxc: { jsx: { runtime: 'automatic' } },
});

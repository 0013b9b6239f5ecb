import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The browser application, built into `dist/web` beside the compiled service, which serves it at `/`
 * (same origin as `/api/v1`). No dev server is needed: `npm run build` builds it, `npm start` serves it.
 */
const here = import.meta.dirname;

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
  oxc: { jsx: { runtime: 'automatic' } },
});

// Refuse to run the suite on anything but the project's pinned Node 24 (see package.json `engines`).
import { randomUUID } from 'node:crypto';

// One id per `npm test` run, inherited by the test workers: suites that need the built service share one
// build per run (test/support/built-service.ts), removed again by the global teardown.
export const TEST_RUN_ENV = 'PRUEFPFAD_TEST_RUN';

export default function globalSetup() {
  process.env[TEST_RUN_ENV] ??= randomUUID();
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(
      `Prüfpfad braucht Node.js 24 (gefunden: ${process.versions.node}). ` +
        `Prüfpfad needs Node.js 24 (found ${process.versions.node}); run the tests with \`npm test\`, ` +
        'which uses the Node 24 that `npm ci` installed into node_modules/.bin.',
    );
  }
}

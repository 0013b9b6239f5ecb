import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Removes the run's shared build of the service (see test/support/built-service.ts). */
export default function globalTeardown() {
  const run = process.env.PRUEFPFAD_TEST_RUN;
  if (!run) return;
  const dir = path.join(os.tmpdir(), `pruefpfad-build-${run}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.lock`, { recursive: true, force: true });
}

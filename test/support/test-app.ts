import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type AppConfig, type Clock, loadConfig } from '@pruefpfad/application';
import type { Role } from '@pruefpfad/domain';
import { createApp } from '../../apps/api/src/bootstrap.js';
import { mintDevelopmentToken } from '../../apps/api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';

/** A temporary data and key directory pair, removed by `remove()`. */
export function temporaryDirectories(): { dataDir: string; keyDir: string; root: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-e2e-'));
  return {
    root,
    dataDir: path.join(root, 'data'),
    keyDir: path.join(root, 'keys'),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export function testConfig(dirs: { dataDir: string; keyDir: string }, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    PRUEFPFAD_ENV: 'test',
    PRUEFPFAD_DATA_DIR: dirs.dataDir,
    PRUEFPFAD_KEY_DIR: dirs.keyDir,
    PORT: '0',
    ...env,
  });
}

/** The app as `npm start` composes it, on the embedded stores, projections on the test thread. */
export async function startTestApp(config: AppConfig): Promise<INestApplication> {
  const app = await createApp(config, { logger: false, projectionsInProcess: true });
  await app.init();
  return app;
}

export async function tokenFor(
  config: AppConfig,
  claims: { roles: Role[]; tenant: string; units?: string[]; subject?: string; region?: string },
): Promise<string> {
  return mintDevelopmentToken({
    secret: loadOrCreateSigningSecret(config.dataDir),
    subject: claims.subject ?? `user-${claims.roles[0]}-${claims.tenant}`,
    tenant: claims.tenant,
    roles: claims.roles,
    units: claims.units ?? [],
    ...(claims.region === undefined ? {} : { region: claims.region }),
  });
}

/** `startTestApp` on a clock the test moves (deadlines, absences, overdue measures). */
export async function startTestAppWithClock(config: AppConfig, clock: Clock): Promise<INestApplication> {
  const app = await createApp(config, { logger: false, projectionsInProcess: true, clock });
  await app.init();
  return app;
}

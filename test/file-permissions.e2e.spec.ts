import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { embeddedFiles } from '@pruefpfad/composition';
import { MASTER_KEY_FILE_NAME } from '@pruefpfad/privacy';
import { createApp } from '../apps/api/src/bootstrap.js';
import { SIGNING_SECRET_FILE } from '../apps/api/src/security/signing-secret.js';
import { temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/** Every directory and file under `root` (itself included) with its permission bits. */
function modesUnder(root: string): Map<string, number> {
  const modes = new Map<string, number>();
  const pending = [root];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    const stat = fs.lstatSync(current);
    modes.set(current, stat.mode & 0o777);
    if (stat.isDirectory()) for (const name of fs.readdirSync(current)) pending.push(path.join(current, name));
  }
  return modes;
}

function expectPrivate(config: AppConfig): Map<string, number> {
  const modes = new Map([...modesUnder(config.dataDir), ...modesUnder(config.keyDir)]);
  const expected = new Map(
    [...modes].map(([file]) => [file, fs.lstatSync(file).isDirectory() ? 0o700 : 0o600] as const),
  );
  const octal = (map: Map<string, number>) => Object.fromEntries([...map].map(([f, m]) => [f, m.toString(8)]));
  expect(octal(modes)).toEqual(octal(expected));
  return modes;
}

/** A logger that keeps the warnings (the permission check's) and drops the rest. */
function warningsLogger(): LoggerService & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    log: ignore,
    error: ignore,
    debug: ignore,
    verbose: ignore,
    warn: (message: unknown) => {
      warnings.push(String(message));
    },
  };
}

/**
 * The stores hold staff ids, pseudonyms and the organisation (issue 9, item 12): the data and key
 * directories are 0700 and every file in them 0600, SQLite's WAL and shared-memory files included,
 * whatever the umask; a start-up finds looser ones and tightens them with a warning. Secrets others could
 * read stop the start instead: they must be replaced, not just hidden.
 */
describe('permissions of the data and key directories (embedded stores)', () => {
  const dirs = temporaryDirectories();
  let umask: number;
  let app: INestApplication | undefined;

  beforeEach(() => {
    umask = process.umask();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    process.umask(umask);
  });

  afterAll(() => dirs.remove());

  async function start(config: AppConfig, logger: LoggerService = warningsLogger()): Promise<INestApplication> {
    app = await createApp(config, { logger, projectionsInProcess: true });
    await app.init();
    return app;
  }

  /** A command with an Idempotency-Key: events, read models and the idempotency record are written. */
  async function writeSomething(config: AppConfig, running: INestApplication, key: string): Promise<void> {
    const token = await tokenFor(config, { roles: ['area_head'], tenant: 'jc-a', units: ['mi'] });
    const response = await request(running.getHttpServer())
      .post('/api/v1/programmes')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', key)
      .send({
        settings: { title: 'VKB', areaId: 'mi', customerProcess: 'allgemeine-vermittlung' },
        reason: 'Einführung',
      });
    expect(response.status).toBe(201);
    await request(running.getHttpServer())
      .get(`/api/v1/programmes/${response.body.id}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Min-Position', String(response.body.position))
      .expect(200);
  }

  it.each([
    ['0022', 0o022],
    ['0000', 0o000],
  ])('a first start under umask %s creates directories 0700 and files 0600, WAL files included', async (_, mask) => {
    const config = testConfig({
      dataDir: path.join(dirs.root, `fresh-${mask}`, 'data'),
      keyDir: path.join(dirs.root, `fresh-${mask}`, 'keys'),
    });
    process.umask(mask);
    const logger = warningsLogger();
    const running = await start(config, logger);
    await writeSomething(config, running, `fresh-${mask}`);
    const files = embeddedFiles(config);
    const modes = expectPrivate(config);
    for (const file of [files.events, files.readModels, files.keys])
      for (const suffix of ['', '-wal', '-shm']) expect(modes.get(`${file}${suffix}`)).toBe(0o600);
    expect(modes.get(path.join(config.dataDir, SIGNING_SECRET_FILE))).toBe(0o600);
    expect(modes.get(path.join(config.keyDir, MASTER_KEY_FILE_NAME))).toBe(0o600);
    expect(logger.warnings).toEqual([]);
    await running.close();
    app = undefined;
    expectPrivate(config);
  });

  it('a start tightens directories and store files that group or others can reach, with a warning for each', async () => {
    const config = testConfig({
      dataDir: path.join(dirs.root, 'loose', 'data'),
      keyDir: path.join(dirs.root, 'loose', 'keys'),
    });
    process.umask(0o022);
    await writeSomething(config, await start(config), 'loose-1');
    await app!.close();
    app = undefined;

    // As an older version, a copy or an operator's umask left them: readable by every local user.
    const files = embeddedFiles(config);
    const loosened = [config.dataDir, config.keyDir, files.events, files.readModels, files.keys];
    for (const file of [files.events, files.readModels]) {
      // A WAL file left by a crash, readable by everyone.
      fs.writeFileSync(`${file}-wal`, '', { mode: 0o644 });
      loosened.push(`${file}-wal`);
    }
    for (const target of loosened) fs.chmodSync(target, fs.statSync(target).isDirectory() ? 0o755 : 0o644);

    const logger = warningsLogger();
    const running = await start(config, logger);
    expectPrivate(config);
    for (const target of loosened)
      expect(logger.warnings).toContainEqual(expect.stringContaining(`${target} was accessible to group or others`));
    expect(logger.warnings).toHaveLength(loosened.length);
    await writeSomething(config, running, 'loose-2');
    expectPrivate(config);
  });

  it.each([
    ['master key', (config: AppConfig) => path.join(config.keyDir, MASTER_KEY_FILE_NAME), /master key file/i],
    ['signing secret', (config: AppConfig) => path.join(config.dataDir, SIGNING_SECRET_FILE), /signing secret/i],
  ])('a %s others can read stops the start instead (it must be replaced)', async (_, secretOf, message) => {
    const config = testConfig({
      dataDir: path.join(dirs.root, `secret-${_}`, 'data'),
      keyDir: path.join(dirs.root, `secret-${_}`, 'keys'),
    });
    await start(config);
    await app!.close();
    app = undefined;
    fs.chmodSync(secretOf(config), 0o644);
    await expect(start(config)).rejects.toThrow(message);
    app = undefined;
  });
});

import { createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppConfig, loadConfig } from '@pruefpfad/application';
import { embeddedFiles, openInfrastructure } from '@pruefpfad/composition';
import {
  MASTER_KEY_FILE_NAME,
  MASTER_KEY_NEXT_FILE_NAME,
  MasterKeyError,
  masterKeyId,
  rotateMasterKey,
  SqliteKeyStore,
  type Sealed,
  supportsMasterKeyRotation,
} from '@pruefpfad/privacy';
import { UsageError, type CliIo } from '../cli-io.js';
import { runCli } from '../run-cli.js';
import { rotateMasterKeyCommand } from './rotate-master-key.command.js';

/**
 * `rotate-master-key` on the embedded stores: both key sources (the files in the key directory, the
 * environment), progress per batch, an interrupted run continued, and a crash between the finish and the
 * swap of `master.key` repaired by running it again.
 */
describe('rotate-master-key (CLI)', () => {
  let root: string;
  let counter = 0;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-rotate-cli-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const configFor = (dir: string, env: Record<string, string> = {}): AppConfig =>
    loadConfig({
      PRUEFPFAD_ENV: 'test',
      PRUEFPFAD_DATA_DIR: path.join(dir, 'data'),
      PRUEFPFAD_KEY_DIR: path.join(dir, 'keys'),
      ...env,
    });
  const freshDir = (): string => path.join(root, `case-${++counter}`);

  const run = async (
    args: string[],
    config: AppConfig,
    env: Record<string, string> = {},
    hooks: Parameters<typeof rotateMasterKeyCommand>[4] = {},
  ) => {
    const io = { out: [] as string[], err: [] as string[], progress: [] as string[] };
    const cliIo: CliIo = {
      out: (line) => io.out.push(line),
      err: (line) => io.err.push(line),
      progress: (line) => io.progress.push(line),
    };
    return { code: await rotateMasterKeyCommand(args, config, cliIo, env, hooks), ...io };
  };

  /** Seals `n` values under their own keys; returns them with their clear text. */
  const sealSome = async (config: AppConfig, n: number): Promise<Map<string, Sealed>> => {
    const infrastructure = await openInfrastructure(config);
    try {
      const sealed = new Map<string, Sealed>();
      for (let i = 0; i < n; i++) {
        const text = `Kundennummer 123D${String(i).padStart(6, '0')}`;
        sealed.set(text, await infrastructure.envelope.seal(`review:cli-${i}`, text));
      }
      return sealed;
    } finally {
      await infrastructure.close();
    }
  };
  const expectOpens = async (config: AppConfig, sealed: Map<string, Sealed>): Promise<void> => {
    const infrastructure = await openInfrastructure(config);
    try {
      for (const [text, value] of sealed) expect(await infrastructure.envelope.open(value)).toBe(text);
    } finally {
      await infrastructure.close();
    }
  };
  const writeNextKeyFile = (config: AppConfig): Buffer => {
    const next = randomBytes(32);
    fs.writeFileSync(path.join(config.keyDir, MASTER_KEY_NEXT_FILE_NAME), `${next.toString('base64')}\n`, {
      mode: 0o600,
    });
    return next;
  };

  it('refuses to start without a new key, saying where to put it (German and English)', async () => {
    const config = configFor(freshDir());
    const failure = await run([], config).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toMatch(/Kein neuer Master-Schlüssel[\s\S]*No new master key/u);
    expect((failure as Error).message).toContain(MASTER_KEY_NEXT_FILE_NAME);
  });

  it('is an operator command of `npm run cli` (usage error 2 without a new key; listed in the help)', async () => {
    const dir = freshDir();
    const lines: string[] = [];
    const io: CliIo = { out: (line) => lines.push(line), err: (line) => lines.push(line), progress: () => undefined };
    const env = {
      PRUEFPFAD_ENV: 'test',
      PRUEFPFAD_DATA_DIR: path.join(dir, 'data'),
      PRUEFPFAD_KEY_DIR: path.join(dir, 'keys'),
    };
    expect(await runCli(['rotate-master-key'], io, env)).toBe(2);
    expect(lines.join('\n')).toMatch(/Kein neuer Master-Schlüssel/u);
    lines.length = 0;
    expect(await runCli(['help'], io, env)).toBe(0);
    expect(lines.join('\n')).toContain('rotate-master-key [--status]');
  });

  it('with file-held keys: re-wraps with progress per batch, then master.key.next replaces master.key', async () => {
    const config = configFor(freshDir());
    const sealed = await sealSome(config, 5);
    const oldKey = fs.readFileSync(path.join(config.keyDir, MASTER_KEY_FILE_NAME), 'utf8');
    const next = writeNextKeyFile(config);

    const result = await run(['--batch-size', '2', '--grace-seconds', '0'], config);
    expect(result.code).toBe(0);
    // 5 sealed values plus the event store's chain key: 6 keys in batches of 2.
    expect(result.progress).toEqual([
      'Umschlüsseln / re-wrapping: 2/6 (Stapel / batch 1: 2)',
      'Umschlüsseln / re-wrapping: 4/6 (Stapel / batch 2: 2)',
      'Umschlüsseln / re-wrapping: 6/6 (Stapel / batch 3: 2)',
    ]);
    expect(result.err.join('\n')).toMatch(/Schlüsselwechsel abgeschlossen \/ rotation finished/u);
    expect(result.err.join('\n')).toMatch(/neue Schlüsselsicherung[\s\S]*new key backup/u);
    expect(result.out).toEqual([`current\t${masterKeyId(next)}`]);

    expect(fs.readdirSync(config.keyDir).filter((name) => name.startsWith('master'))).toEqual([MASTER_KEY_FILE_NAME]);
    const newKey = fs.readFileSync(path.join(config.keyDir, MASTER_KEY_FILE_NAME), 'utf8');
    expect(newKey).not.toBe(oldKey);
    expect(Buffer.from(newKey.trim(), 'base64').equals(next)).toBe(true);
    await expectOpens(config, sealed);
    // The old key, given through the environment, is refused.
    await expect(
      openInfrastructure(configFor(path.dirname(config.keyDir), { PRUEFPFAD_MASTER_KEY: oldKey.trim() })),
    ).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATED' });
  });

  it('continues an interrupted run and shows where the store stands meanwhile', async () => {
    const config = configFor(freshDir());
    const sealed = await sealSome(config, 5);
    const next = writeNextKeyFile(config);
    const crash = new Error('Absturz nach dem ersten Stapel');
    await expect(
      run(
        ['--batch-size', '2', '--grace-seconds', '0'],
        config,
        {},
        {
          afterBatch: () => {
            throw crash;
          },
        },
      ),
    ).rejects.toBe(crash);
    // Nothing swapped yet: the service still starts with master.key.
    expect(fs.existsSync(path.join(config.keyDir, MASTER_KEY_NEXT_FILE_NAME))).toBe(true);
    await expectOpens(config, sealed);

    const status = await run(['--status'], config);
    const oldId = status.out[0]!.split('\t')[1]!;
    expect(status.out).toEqual([
      `current\t${oldId}`,
      expect.stringMatching(new RegExp(`^rotation\t${oldId}\t${masterKeyId(next)}\t`, 'u')),
      `keys\t${oldId}\t4`,
      `keys\t${masterKeyId(next)}\t2`,
    ]);

    const resumed = await run(['--batch-size', '2', '--grace-seconds', '0'], config);
    expect(resumed.code).toBe(0);
    expect(resumed.err.join('\n')).toMatch(/Schlüsselwechsel fortgesetzt \/ rotation resumed/u);
    expect(resumed.progress).toEqual([
      'Umschlüsseln / re-wrapping: 4/6 (Stapel / batch 1: 2)',
      'Umschlüsseln / re-wrapping: 6/6 (Stapel / batch 2: 2)',
    ]);
    await expectOpens(config, sealed);
  });

  it('repairs a crash between the finish and the swap of master.key', async () => {
    const config = configFor(freshDir());
    const sealed = await sealSome(config, 2);
    const next = writeNextKeyFile(config);
    const infrastructure = await openInfrastructure(config);
    const store = infrastructure.keyStore;
    if (!supportsMasterKeyRotation(store)) throw new Error('embedded key store rotates');
    await rotateMasterKey(store, next, { handoverGraceMs: 0 });
    await infrastructure.close();
    // master.key still holds the retired key: the service is refused with a clear message.
    await expect(openInfrastructure(config)).rejects.toBeInstanceOf(MasterKeyError);

    const repaired = await run([], config);
    expect(repaired.code).toBe(0);
    expect(repaired.err.join('\n')).toMatch(/schon unter \/ the key store already is under/u);
    await expectOpens(config, sealed);
  });

  it('with the key in the environment: rotates, writes no key file and says to replace PRUEFPFAD_MASTER_KEY', async () => {
    const dir = freshDir();
    const oldKey = randomBytes(32).toString('base64');
    const config = configFor(dir, { PRUEFPFAD_MASTER_KEY: oldKey });
    const sealed = await sealSome(config, 3);
    const next = randomBytes(32).toString('base64');

    const result = await run(['--grace-seconds', '0'], config, { PRUEFPFAD_MASTER_KEY_NEXT: next });
    expect(result.code).toBe(0);
    expect(result.err.join('\n')).toMatch(/PRUEFPFAD_MASTER_KEY überall[\s\S]*set PRUEFPFAD_MASTER_KEY everywhere/u);
    expect(fs.readdirSync(config.keyDir).filter((name) => name.startsWith('master'))).toEqual([]);
    await expectOpens(configFor(dir, { PRUEFPFAD_MASTER_KEY: next }), sealed);
    await expect(openInfrastructure(config)).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATED' });
  });

  /**
   * Whether the master key `wantedId` can be unwrapped with `holder` from the key file or its WAL, as
   * someone holding the old key would try on a copy: every offset of the raw bytes and of every base64
   * run (the embedded rotation record is JSON). Written from the wrapping format (version 1, IV 12, tag
   * 16, key 32; AAD `pruefpfad/master-key-handover/v1 NUL <holder id> NUL <wanted id>`), not the code.
   */
  const keyFileHoldsHandover = (config: AppConfig, holder: Buffer, wantedId: string): boolean => {
    const file = embeddedFiles(config).keys;
    const aad = Buffer.from(`pruefpfad/master-key-handover/v1\u0000${masterKeyId(holder)}\u0000${wantedId}`, 'utf8');
    const candidates: Buffer[] = [];
    for (const name of [file, `${file}-wal`].filter((f) => fs.existsSync(f))) {
      const raw = fs.readFileSync(name);
      candidates.push(raw);
      for (const run of raw.toString('latin1').match(/[A-Za-z0-9+/]{80,}={0,2}/gu) ?? []) {
        candidates.push(Buffer.from(run, 'base64'));
      }
    }
    return candidates.some((bytes) => {
      for (let at = 0; at + 61 <= bytes.byteLength; at++) {
        if (bytes[at] !== 1) continue;
        const decipher = createDecipheriv('aes-256-gcm', holder, bytes.subarray(at + 1, at + 13));
        decipher.setAAD(aad);
        decipher.setAuthTag(bytes.subarray(at + 13, at + 29));
        try {
          const key = Buffer.concat([decipher.update(bytes.subarray(at + 29, at + 61)), decipher.final()]);
          if (masterKeyId(key) === wantedId) return true;
        } catch {
          // Not a handover under this key here.
        }
      }
      return false;
    });
  };
  const currentKeyOf = (config: AppConfig): Buffer =>
    Buffer.from(fs.readFileSync(path.join(config.keyDir, MASTER_KEY_FILE_NAME), 'utf8').trim(), 'base64');

  it('online (the default) leaves the new key wrapped under the old one in the key file during the rotation', async () => {
    const config = configFor(freshDir());
    await sealSome(config, 3);
    const oldKey = currentKeyOf(config);
    const next = writeNextKeyFile(config);
    const seen: boolean[] = [];
    const result = await run(
      ['--batch-size', '2', '--grace-seconds', '0'],
      config,
      {},
      {
        afterBatch: () => {
          seen.push(keyFileHoldsHandover(config, oldKey, masterKeyId(next)));
        },
      },
    );
    expect(result.code).toBe(0);
    // The scan finds it (so it can find it): this is what --offline avoids.
    expect(seen).toEqual([true, true]);
    // The finish deletes the record with secure_delete and truncates the WAL.
    expect(keyFileHoldsHandover(config, oldKey, masterKeyId(next))).toBe(false);
  });

  it('--offline is refused while the key store is open in another process or connection, and changes nothing', async () => {
    const config = configFor(freshDir());
    await sealSome(config, 2);
    writeNextKeyFile(config);
    const running = await openInfrastructure(config);
    try {
      await expect(run(['--offline'], config)).rejects.toThrow(/ist geöffnet[\s\S]*is open/u);
    } finally {
      await running.close();
    }
    const status = await run(['--status'], config);
    expect(status.out.filter((line) => line.startsWith('rotation'))).toEqual([]);
    expect(fs.existsSync(path.join(config.keyDir, MASTER_KEY_NEXT_FILE_NAME))).toBe(true);
  });

  it('--offline writes no handover, keeps services out while it runs, and resumes after a crash', async () => {
    const config = configFor(freshDir());
    const sealed = await sealSome(config, 5);
    const oldKey = currentKeyOf(config);
    const next = writeNextKeyFile(config);
    const nextId = masterKeyId(next);
    const scans: boolean[] = [];
    const startsDuringRun: unknown[] = [];
    const crash = new Error('Absturz nach dem ersten Stapel');
    await expect(
      run(
        ['--offline', '--batch-size', '2'],
        config,
        {},
        {
          afterBatch: async () => {
            scans.push(keyFileHoldsHandover(config, oldKey, nextId));
            // The key file is locked for the whole run: nobody can even open it (a service's open would wait
            // its busy timeout and fail the same way).
            startsDuringRun.push(
              await new Promise<SqliteKeyStore>((resolve) =>
                resolve(SqliteKeyStore.open({ file: embeddedFiles(config).keys, masterKey: oldKey, busyTimeoutMs: 0 })),
              ).then(
                (store) => store.close().then(() => null),
                (error: unknown) => (error as Error).message,
              ),
            );
            throw crash;
          },
        },
      ),
    ).rejects.toBe(crash);
    expect(startsDuringRun).toEqual([expect.stringMatching(/locked/u)]);

    // Crashed half-way: a service started now is refused with the rotation named, with either key.
    for (const key of [oldKey, next]) {
      const refused = await openInfrastructure(
        configFor(path.dirname(config.keyDir), { PRUEFPFAD_MASTER_KEY: key.toString('base64') }),
      ).then(
        (i) => i.close().then(() => null),
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(MasterKeyError);
      expect((refused as MasterKeyError).code).toBe('MASTER_KEY_ROTATION_IN_PROGRESS');
      expect((refused as MasterKeyError).message).toContain(`${masterKeyId(oldKey)} → ${nextId}`);
      expect((refused as MasterKeyError).message).toContain('rotate-master-key --offline');
    }
    // An online run may not take it over.
    await expect(run(['--grace-seconds', '0'], config)).rejects.toMatchObject({
      code: 'MASTER_KEY_ROTATION_IN_PROGRESS',
    });

    const resumed = await run(
      ['--offline', '--batch-size', '2'],
      config,
      {},
      {
        afterBatch: () => {
          scans.push(keyFileHoldsHandover(config, oldKey, nextId));
        },
      },
    );
    expect(resumed.code).toBe(0);
    expect(resumed.err.join('\n')).toMatch(/Schlüsselwechsel fortgesetzt \/ rotation resumed/u);
    expect(resumed.err.join('\n')).not.toMatch(/Warte/u);
    expect(resumed.err.join('\n')).toMatch(/Dienste jetzt mit dem neuen Master-Schlüssel starten/u);
    // 6 keys (5 values and the chain key): 2 in the crashed run, 4 in two batches now.
    expect(resumed.progress).toEqual([
      'Umschlüsseln / re-wrapping: 4/6 (Stapel / batch 1: 2)',
      'Umschlüsseln / re-wrapping: 6/6 (Stapel / batch 2: 2)',
    ]);
    expect(scans).toEqual([false, false, false]);
    expect(keyFileHoldsHandover(config, oldKey, nextId)).toBe(false);
    expect(currentKeyOf(config).equals(next)).toBe(true);
    await expectOpens(config, sealed);
    const store = SqliteKeyStore.open({ file: embeddedFiles(config).keys, masterKey: next });
    try {
      expect(await store.masterKeyStatus()).toMatchObject({ currentMasterKeyId: nextId, rotation: null });
    } finally {
      await store.close();
    }
  });
});

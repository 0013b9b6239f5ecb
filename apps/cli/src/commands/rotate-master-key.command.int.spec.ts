import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppConfig, loadConfig } from '@pruefpfad/application';
import { openInfrastructure } from '@pruefpfad/composition';
import {
  MASTER_KEY_FILE_NAME,
  MASTER_KEY_NEXT_FILE_NAME,
  MasterKeyError,
  masterKeyId,
  rotateMasterKey,
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
});

import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { openInfrastructure } from '@pruefpfad/composition';
import type { SqliteKeyStore } from '@pruefpfad/privacy';
import { MasterKeyError, masterKeyId, type Sealed } from '@pruefpfad/privacy';
import { rotateMasterKeyCommand } from '../apps/cli/src/commands/rotate-master-key.command.js';
import type { CliIo } from '../apps/cli/src/cli-io.js';
import type { Runtime } from '../apps/api/src/runtime/runtime.js';
import { RUNTIME } from '../apps/api/src/runtime/tokens.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Master-key rotation on the embedded default (issue 13, item 10), online: the service started with key
 * A keeps running and decrypting while the operator's command re-wraps every data key under B, is
 * interrupted after a batch and run again; keys destroyed meanwhile stay destroyed; afterwards the
 * service started with B alone opens everything and one started with A alone is refused.
 */
describe('master-key rotation while the service runs (embedded)', () => {
  const dirs = temporaryDirectories();
  const keyA = randomBytes(32).toString('base64');
  const keyB = randomBytes(32).toString('base64');
  const idB = masterKeyId(Buffer.from(keyB, 'base64'));
  const configA = testConfig(dirs, { PRUEFPFAD_MASTER_KEY: keyA });
  const configB = testConfig(dirs, { PRUEFPFAD_MASTER_KEY: keyB });
  const nextEnv = { PRUEFPFAD_MASTER_KEY_NEXT: keyB };
  const apps: INestApplication[] = [];
  const sealed = new Map<string, Sealed>();
  const destroyed = new Set<string>();
  const log: string[] = [];
  const io: CliIo = { out: (l) => log.push(l), err: (l) => log.push(l), progress: (l) => log.push(l) };

  const start = async (config: typeof configA) => {
    const app = await startTestApp(config);
    apps.push(app);
    return app.get<Runtime>(RUNTIME, { strict: false }).infrastructure;
  };

  /** Every sealed value opens through `envelope`, except those whose key was destroyed. */
  const expectServed = async (infrastructure: Awaited<ReturnType<typeof start>>): Promise<void> => {
    for (const [text, value] of sealed) {
      const expected = destroyed.has(value.kid) ? null : text;
      expect({ kid: value.kid, value: await infrastructure.envelope.openOrNull(value) }).toEqual({
        kid: value.kid,
        value: expected,
      });
    }
  };

  afterAll(async () => {
    for (const app of apps) await app.close();
    dirs.remove();
  });

  it('re-wraps online, resumes after a crash, keeps destroys, and retires the old key', async () => {
    const running = await start(configA);
    for (let i = 0; i < 20; i++) {
      const text = `Erika Mustermann ${i}, Kundennummer 123D${String(i).padStart(6, '0')}`;
      sealed.set(text, await running.envelope.seal(`review:${randomUUID()}`, text));
    }
    const kids = [...sealed.values()].map((value) => value.kid).sort();

    // First run: a crash after the first committed batch.
    const crash = new Error('Stromausfall nach dem ersten Stapel / power cut after the first batch');
    await expect(
      rotateMasterKeyCommand(['--batch-size', '6', '--grace-seconds', '0'], configA, io, nextEnv, {
        afterBatch: async () => {
          // The running service reads mixed rows meanwhile.
          await expectServed(running);
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    await expectServed(running);

    // Second run: continues; between its batches the service destroys a key (a purge) that was not yet
    // re-wrapped and one that already was. Both must stay destroyed.
    const resumed = await rotateMasterKeyCommand(['--batch-size', '6', '--grace-seconds', '1'], configA, io, nextEnv, {
      afterBatch: async (batch) => {
        if (batch === 1) {
          for (const kid of [kids[0]!, kids[kids.length - 1]!]) {
            await running.keyStore.destroy(kid);
            destroyed.add(kid);
          }
        }
        await expectServed(running);
      },
      // The handover grace ends once the running service holds the new key (a condition, not a sleep).
      wait: async () => {
        const store = running.keyStore as SqliteKeyStore;
        while (!store.heldMasterKeyIds().includes(idB)) await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
    expect(resumed).toBe(0);
    expect(log.join('\n')).toMatch(/Schlüsselwechsel fortgesetzt \/ rotation resumed/u);
    expect(log.join('\n')).toMatch(/Schlüsselwechsel abgeschlossen \/ rotation finished/u);

    // The service that started with A keeps working after the rotation: reads, destroys stay, new keys.
    await expectServed(running);
    const afterwards = 'Neuer Vermerk nach dem Wechsel';
    sealed.set(afterwards, await running.envelope.seal(`review:${randomUUID()}`, afterwards));
    expect((running.keyStore as SqliteKeyStore).heldMasterKeyIds()).toEqual([idB]);
    for (const app of apps.splice(0)) await app.close();

    // Started with B only: everything opens, the destroyed keys stay destroyed.
    const withB = await start(configB);
    await expectServed(withB);
    for (const kid of destroyed) expect(await withB.keyStore.isDestroyed(kid)).toBe(true);
    for (const app of apps.splice(0)) await app.close();

    // Started with A only: refused at start with a clear message.
    const refused = await startTestApp(configA).then(
      async (app) => {
        await app.close();
        return null;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(MasterKeyError);
    expect((refused as MasterKeyError).code).toBe('MASTER_KEY_ROTATED');
    await expect(openInfrastructure(configA)).rejects.toBeInstanceOf(MasterKeyError);
  });
});

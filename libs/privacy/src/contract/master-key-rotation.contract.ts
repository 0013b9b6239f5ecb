import { randomBytes } from 'node:crypto';
import { MasterKeyError } from '../errors.js';
import type { KeyStore, MasterKeyRotationPort } from '../key-store.port.js';
import { masterKeyId } from '../key-wrap.js';
import { rotateMasterKey } from '../master-key-rotation.js';
import { findsMasterKeyHandover } from './handover-scan.js';

export interface RotatableKeyStore extends KeyStore, MasterKeyRotationPort {
  heldMasterKeyIds(): string[];
}

export interface RotationOpenOptions {
  readonly pollIntervalMs?: number;
  /** The second key of an offline rotation (the rotating CLI's). */
  readonly otherMasterKey?: Uint8Array;
}

/** Fresh storage per test: a rotation changes the master key of everything in it. */
export interface RotationStorage {
  /** Opens a store over this storage, as a (re)started process with `masterKey` configured would. */
  open(masterKey: Uint8Array, options?: RotationOpenOptions): Promise<RotatableKeyStore>;
  /**
   * Every byte the storage holds right now, as a copy of it taken at this moment would (embedded: the
   * database file and its WAL; MongoDB: the documents' binary and text values).
   */
  storedBytes(): Promise<Uint8Array[]>;
  dispose?(): Promise<void>;
}

const bytes = (key: Uint8Array): string => Buffer.from(key).toString('hex');

/**
 * Master-key rotation as every adapter must show it: mixed rows readable by stores holding either key,
 * conditional re-wrapping that leaves destroys alone, resumption, the refusal of the old key afterwards,
 * and running stores that learn the new key without a restart.
 */
export function masterKeyRotationContract(name: string, factory: () => Promise<RotationStorage>): void {
  describe(`Master-key rotation contract: ${name}`, () => {
    let storage: RotationStorage;
    const opened: KeyStore[] = [];
    const open = async (masterKey: Uint8Array, options?: RotationOpenOptions) => {
      const store = await storage.open(masterKey, options);
      opened.push(store);
      return store;
    };
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    const idA = masterKeyId(keyA);
    const idB = masterKeyId(keyB);

    /** Creates `n` keys through `store` and returns their bytes by id. */
    const createKeys = async (store: KeyStore, n: number): Promise<Map<string, string>> => {
      const keys = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        const id = `review:rotation-${i}`;
        keys.set(id, bytes((await store.getOrCreate(id)).key));
      }
      return keys;
    };
    const expectAllReadable = async (store: KeyStore, keys: Map<string, string>): Promise<void> => {
      for (const [id, key] of keys) {
        const read = await store.get(id);
        expect({ id, key: read === null ? null : bytes(read.key) }).toEqual({ id, key });
      }
    };

    beforeEach(async () => {
      storage = await factory();
    });

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await storage.dispose?.();
    });

    it('reads mixed rows through stores holding the old key, the new key, or both, and wraps new keys under the new one', async () => {
      const rotating = await open(keyA, { pollIntervalMs: 0 });
      const keys = await createKeys(rotating, 5);
      // A service started before the rotation, with the old key only and no timer: it learns on demand.
      const running = await open(keyA, { pollIntervalMs: 0 });
      await expectAllReadable(running, keys);

      await rotating.beginMasterKeyRotation(keyB, new Date('2026-12-07T05:00:00Z'));
      expect(await rotating.rewrapBatch(2)).toEqual({ rewrapped: 2, remaining: 3 });
      const status = await rotating.masterKeyStatus();
      expect(status.currentMasterKeyId).toBe(idA);
      expect(status.rotation).toEqual({ from: idA, to: idB, startedAt: '2026-12-07T05:00:00.000Z', mode: 'online' });
      expect(status.keysByMasterKey).toEqual({ [idA]: 3, [idB]: 2 });

      // A service restarted with the new key while the rotation runs.
      const restarted = await open(keyB, { pollIntervalMs: 0 });
      for (const store of [rotating, running, restarted]) await expectAllReadable(store, keys);

      const created = await running.getOrCreate('review:created-during-rotation');
      expect((await rotating.masterKeyStatus()).keysByMasterKey).toEqual({ [idA]: 3, [idB]: 3 });
      expect(bytes((await restarted.get('review:created-during-rotation'))!.key)).toBe(bytes(created.key));
    });

    it('finishes: every row under the new key, the old key refused at start, open stores keep working without it', async () => {
      const rotating = await open(keyA, { pollIntervalMs: 0 });
      const keys = await createKeys(rotating, 7);
      const running = await open(keyA, { pollIntervalMs: 0 });
      const batches: { done: number; total: number }[] = [];
      const result = await rotateMasterKey(rotating, keyB, {
        batchSize: 3,
        handoverGraceMs: 0,
        onProgress: (progress) => {
          if (progress.phase === 'batch') batches.push({ done: progress.done, total: progress.total });
        },
        afterBatch: async () => {
          // The running service reads during the rotation.
          await expectAllReadable(running, keys);
        },
      });
      expect(result).toMatchObject({ from: idA, to: idB, rotated: true, resumed: false, batches: 3, rewrapped: 7 });
      expect(batches).toEqual([
        { done: 3, total: 7 },
        { done: 6, total: 7 },
        { done: 7, total: 7 },
      ]);
      const status = await rotating.masterKeyStatus();
      expect(status).toEqual({ currentMasterKeyId: idB, rotation: null, keysByMasterKey: { [idB]: 7 } });

      const refused = await storage.open(keyA).then(
        (store) => store.close().then(() => null),
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(MasterKeyError);
      expect((refused as MasterKeyError).code).toBe('MASTER_KEY_ROTATED');
      expect((refused as MasterKeyError).message).toMatch(/Schlüsselwechsel[\s\S]*\n[\s\S]*rotation/u);

      await expectAllReadable(await open(keyB), keys);
      // The service that started with the old key keeps reading and writing, and lets go of the old key.
      await expectAllReadable(running, keys);
      const after = await running.getOrCreate('review:created-after-rotation');
      expect(running.heldMasterKeyIds()).toEqual([idB]);
      expect(bytes((await (await open(keyB)).get('review:created-after-rotation'))!.key)).toBe(bytes(after.key));
      expect(rotating.heldMasterKeyIds()).toEqual([idB]);

      // Done is done: a second run changes nothing.
      expect(await rotateMasterKey(rotating, keyB, { handoverGraceMs: 0 })).toMatchObject({ rotated: false });
    });

    it('continues an interrupted rotation from a restarted process, with either key configured', async () => {
      const first = await open(keyA, { pollIntervalMs: 0 });
      const keys = await createKeys(first, 6);
      const crash = new Error('crash after the first batch');
      await expect(
        rotateMasterKey(first, keyB, {
          batchSize: 2,
          handoverGraceMs: 0,
          afterBatch: () => {
            throw crash;
          },
        }),
      ).rejects.toBe(crash);
      await first.close();
      expect((await (await open(keyA)).masterKeyStatus()).keysByMasterKey).toEqual({ [idA]: 4, [idB]: 2 });

      // Restarted with the new key only: it learns the old one from the store and goes on.
      const resumed = await open(keyB, { pollIntervalMs: 0 });
      const result = await rotateMasterKey(resumed, keyB, { batchSize: 2, handoverGraceMs: 0 });
      expect(result).toMatchObject({ resumed: true, batches: 2, rewrapped: 4 });
      await expectAllReadable(await open(keyB), keys);
    });

    it('leaves a key destroyed during the rotation destroyed', async () => {
      const rotating = await open(keyA, { pollIntervalMs: 0 });
      const keys = await createKeys(rotating, 6);
      const other = await open(keyA, { pollIntervalMs: 0 });
      await rotating.beginMasterKeyRotation(keyB, new Date());
      await rotating.rewrapBatch(3);
      // One already re-wrapped (ids sort: -0, -1, -2 went first) and one not yet.
      await other.destroy('review:rotation-1');
      await other.destroy('review:rotation-4');
      await rotateMasterKey(rotating, keyB, { batchSize: 2, handoverGraceMs: 0 });

      const after = await open(keyB);
      for (const store of [rotating, after]) {
        for (const id of ['review:rotation-1', 'review:rotation-4']) {
          expect(await store.get(id)).toBeNull();
          expect(await store.isDestroyed(id)).toBe(true);
        }
      }
      expect((await after.masterKeyStatus()).keysByMasterKey).toEqual({ [idB]: 4 });
      keys.delete('review:rotation-1');
      keys.delete('review:rotation-4');
      await expectAllReadable(after, keys);
    });

    it('refuses a second rotation to another key, a rotation to the current key, and an early finish', async () => {
      const store = await open(keyA, { pollIntervalMs: 0 });
      await createKeys(store, 2);
      const codeOf = (promise: Promise<unknown>) =>
        promise.then(
          () => null,
          (error: unknown) => (error as MasterKeyError).code,
        );
      expect(await codeOf(store.beginMasterKeyRotation(keyA, new Date()))).toBe('MASTER_KEY_ROTATION_CONFLICT');
      expect(await codeOf(store.finishMasterKeyRotation(new Date()))).toBe('MASTER_KEY_ROTATION_CONFLICT');
      await store.beginMasterKeyRotation(keyB, new Date());
      // The same target again continues (idempotent); another one is refused.
      await store.beginMasterKeyRotation(keyB, new Date());
      expect(await codeOf(store.beginMasterKeyRotation(randomBytes(32), new Date()))).toBe(
        'MASTER_KEY_ROTATION_CONFLICT',
      );
      expect(await codeOf(store.finishMasterKeyRotation(new Date()))).toBe('MASTER_KEY_ROTATION_CONFLICT');
      await rotateMasterKey(store, keyB, { handoverGraceMs: 0 });
      // A retired key never comes back.
      expect(await codeOf(store.beginMasterKeyRotation(keyA, new Date()))).toBe('MASTER_KEY_ROTATION_CONFLICT');
    });

    it('lets an idle store holding only the old key learn the new one by polling before the rotation ends', async () => {
      const rotating = await open(keyA, { pollIntervalMs: 0 });
      const keys = await createKeys(rotating, 3);
      const idle = await open(keyA, { pollIntervalMs: 10 });
      await rotating.beginMasterKeyRotation(keyB, new Date());
      // Stops on the condition: the idle store's timer has picked up the handover.
      const deadline = Date.now() + 10_000;
      while (!idle.heldMasterKeyIds().includes(idB)) {
        if (Date.now() > deadline) throw new Error('the idle store never learnt the new master key');
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await rotateMasterKey(rotating, keyB, { handoverGraceMs: 0 });
      await expectAllReadable(idle, keys);
    });

    it('online: the new key lies wrapped under the old one in the storage until the finish (what --offline avoids)', async () => {
      const rotating = await open(keyA, { pollIntervalMs: 0 });
      await createKeys(rotating, 3);
      let seenMidway = false;
      await rotateMasterKey(rotating, keyB, {
        batchSize: 2,
        handoverGraceMs: 0,
        afterBatch: async () => {
          seenMidway ||= findsMasterKeyHandover(await storage.storedBytes(), keyA, idB);
        },
      });
      // The scan finds the handover: it is what an attacker with the old key and a copy would find.
      expect(seenMidway).toBe(true);
    });

    it('offline: no handover is ever stored, and a store without both keys is refused naming the rotation', async () => {
      const rotating = await open(keyA, { pollIntervalMs: 0 });
      const keys = await createKeys(rotating, 5);
      const scans: boolean[] = [];
      const refusals: unknown[] = [];
      const result = await rotateMasterKey(rotating, keyB, {
        offline: true,
        batchSize: 2,
        // A grace wait would be an error: nothing waits offline.
        handoverGraceMs: 3_600_000,
        wait: () => Promise.reject(new Error('an offline rotation must not wait')),
        afterBatch: async () => {
          scans.push(findsMasterKeyHandover(await storage.storedBytes(), keyA, idB));
          expect((await rotating.masterKeyStatus()).rotation).toMatchObject({ from: idA, to: idB, mode: 'offline' });
          for (const key of [keyA, keyB]) {
            refusals.push(
              await storage.open(key, { pollIntervalMs: 0 }).then(
                (store) => store.close().then(() => null),
                (error: unknown) => error,
              ),
            );
          }
        },
      });
      expect(result).toMatchObject({ from: idA, to: idB, rotated: true, batches: 3, rewrapped: 5 });
      expect(scans).toEqual([false, false, false]);
      expect(findsMasterKeyHandover(await storage.storedBytes(), keyA, idB)).toBe(false);
      expect(refusals).toHaveLength(6);
      for (const refusal of refusals) {
        expect(refusal).toBeInstanceOf(MasterKeyError);
        expect((refusal as MasterKeyError).code).toBe('MASTER_KEY_ROTATION_IN_PROGRESS');
        expect((refusal as MasterKeyError).message).toContain(`${idA} → ${idB}`);
        expect((refusal as MasterKeyError).message).toMatch(
          /Offline-Schlüsselwechsel[\s\S]*\n[\s\S]*offline master-key rotation/u,
        );
      }
      expect(await rotating.masterKeyStatus()).toEqual({
        currentMasterKeyId: idB,
        rotation: null,
        keysByMasterKey: { [idB]: 5 },
      });
      await expectAllReadable(await open(keyB), keys);
      await expect(storage.open(keyA)).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATED' });
    });

    it('offline: resumes after a crash only with both keys, and does not mix with an online rotation', async () => {
      const first = await open(keyA, { pollIntervalMs: 0 });
      const keys = await createKeys(first, 6);
      const crash = new Error('crash after the first batch');
      await expect(
        rotateMasterKey(first, keyB, {
          offline: true,
          batchSize: 2,
          afterBatch: () => {
            throw crash;
          },
        }),
      ).rejects.toBe(crash);
      await first.close();
      // Rows under both keys now; a service started with either key alone must not serve.
      await expect(storage.open(keyA)).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATION_IN_PROGRESS' });
      await expect(storage.open(keyB)).rejects.toMatchObject({ code: 'MASTER_KEY_ROTATION_IN_PROGRESS' });
      // A key that is neither of the rotation's is not accepted as the other one.
      await expect(storage.open(keyA, { otherMasterKey: randomBytes(32) })).rejects.toMatchObject({
        code: 'MASTER_KEY_ROTATION_IN_PROGRESS',
      });

      const resumed = await open(keyA, { pollIntervalMs: 0, otherMasterKey: keyB });
      expect((await resumed.masterKeyStatus()).keysByMasterKey).toEqual({ [idA]: 4, [idB]: 2 });
      // An online run may not take it over: it would store the new key under the old one after all.
      await expect(rotateMasterKey(resumed, keyB, { handoverGraceMs: 0 })).rejects.toMatchObject({
        code: 'MASTER_KEY_ROTATION_CONFLICT',
      });
      const result = await rotateMasterKey(resumed, keyB, { offline: true, batchSize: 2 });
      expect(result).toMatchObject({ resumed: true, batches: 2, rewrapped: 4 });
      expect(findsMasterKeyHandover(await storage.storedBytes(), keyA, idB)).toBe(false);
      await expectAllReadable(await open(keyB), keys);
    });

    it('refuses an offline rotation while an online one to the same key runs (the key is already exposed)', async () => {
      const store = await open(keyA, { pollIntervalMs: 0 });
      await createKeys(store, 2);
      await store.beginMasterKeyRotation(keyB, new Date());
      const refused = await store.beginMasterKeyRotation(keyB, new Date(), { offline: true }).then(
        () => null,
        (error: unknown) => error as MasterKeyError,
      );
      expect(refused?.code).toBe('MASTER_KEY_ROTATION_CONFLICT');
      expect(refused?.message).toMatch(/--offline/u);
    });
  });
}

import { CheckpointRegressionError, type CheckpointStore } from '../read-store.port.js';
import { type ReadStoreFactory, type ReadStoreUnderTest, uniqueName } from './read-store-under-test.js';

/** The behaviour every `CheckpointStore` adapter must show. */
export function checkpointStoreContract(name: string, factory: ReadStoreFactory): void {
  describe(`CheckpointStore contract: ${name}`, () => {
    let store: ReadStoreUnderTest | undefined;
    let checkpoints: CheckpointStore;

    beforeAll(async () => {
      store = await factory();
      checkpoints = store.checkpoints;
    });

    afterAll(async () => {
      await store?.close();
    });

    it('loads null for a checkpoint never saved', async () => {
      expect(await checkpoints.load(uniqueName('cp'))).toBeNull();
    });

    it('saves a checkpoint and loads it with its position and an ISO time of the save', async () => {
      const cp = uniqueName('cp');
      await checkpoints.save(cp, 42);
      const loaded = await checkpoints.load(cp);
      expect(loaded).toMatchObject({ name: cp, position: 42 });
      expect(typeof loaded?.updatedAt).toBe('string');
      expect(Number.isNaN(Date.parse(loaded!.updatedAt))).toBe(false);
    });

    it('overwrites a saved checkpoint with the next save', async () => {
      const cp = uniqueName('cp');
      await checkpoints.save(cp, 10);
      await checkpoints.save(cp, 2_000_000_000_123);
      expect((await checkpoints.load(cp))?.position).toBe(2_000_000_000_123);
    });

    it('keeps checkpoints of different names apart', async () => {
      const a = uniqueName('cp');
      const b = uniqueName('cp');
      await checkpoints.save(a, 1);
      await checkpoints.save(b, 2);
      expect((await checkpoints.load(a))?.position).toBe(1);
      expect((await checkpoints.load(b))?.position).toBe(2);
    });

    it('deletes a checkpoint, and deleting an unknown one is no error', async () => {
      const cp = uniqueName('cp');
      await checkpoints.save(cp, 7);
      await checkpoints.delete(cp);
      expect(await checkpoints.load(cp)).toBeNull();
      await expect(checkpoints.delete(uniqueName('cp'))).resolves.toBeUndefined();
    });

    it('lists saved checkpoints and not deleted ones', async () => {
      const prefix = uniqueName('cplist');
      await checkpoints.save(`${prefix}_a`, 3);
      await checkpoints.save(`${prefix}_b`, 5);
      await checkpoints.save(`${prefix}_c`, 8);
      await checkpoints.delete(`${prefix}_c`);
      const mine = (await checkpoints.list()).filter((cp) => cp.name.startsWith(prefix));
      expect(
        mine.map(({ name, position }) => ({ name, position })).sort((x, y) => x.name.localeCompare(y.name)),
      ).toEqual([
        { name: `${prefix}_a`, position: 3 },
        { name: `${prefix}_b`, position: 5 },
      ]);
      for (const cp of mine) expect(Number.isNaN(Date.parse(cp.updatedAt))).toBe(false);
    });

    it('refuses to move a checkpoint backwards and keeps the stored one', async () => {
      const cp = uniqueName('cp');
      await checkpoints.save(cp, 50);
      const back = checkpoints.save(cp, 49);
      await expect(back).rejects.toBeInstanceOf(CheckpointRegressionError);
      await expect(back).rejects.toMatchObject({ checkpoint: cp, stored: 50, attempted: 49 });
      expect((await checkpoints.load(cp))?.position).toBe(50);
    });

    it('allows saving the stored position again (an idempotent replay)', async () => {
      const cp = uniqueName('cp');
      await checkpoints.save(cp, 50);
      await expect(checkpoints.save(cp, 50)).resolves.toBeUndefined();
      expect((await checkpoints.load(cp))?.position).toBe(50);
    });

    it('starts a checkpoint over from an earlier position after deleting it (a reset)', async () => {
      const cp = uniqueName('cp');
      await checkpoints.save(cp, 50);
      await checkpoints.delete(cp);
      await checkpoints.save(cp, 3);
      expect((await checkpoints.load(cp))?.position).toBe(3);
    });

    it('decides saves issued back to back without awaiting in call order', async () => {
      const cp = uniqueName('cp');
      const results = await Promise.allSettled([
        checkpoints.save(cp, 5),
        checkpoints.save(cp, 9),
        checkpoints.save(cp, 7),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect((await checkpoints.load(cp))?.position).toBe(9);
    });
  });
}

import {
  CheckpointRegressionError,
  type CheckpointStore,
  type Doc,
  type DocumentStore,
  type DocumentWrite,
} from '../read-store.port.js';
import { type ReadStoreFactory, type ReadStoreUnderTest, uniqueName } from './read-store-under-test.js';

/**
 * The behaviour every `DocumentStore` adapter must show. Where MongoDB and JSON differ, the contract
 * fixes one behaviour:
 * - documents are JSON-like values; `undefined` members are dropped (not stored as null);
 * - a `put` whose document has no non-empty string `_id` is rejected;
 * - a document that cannot be serialised (here: a cyclic reference) is rejected, and in `commit` it
 *   fails the whole batch: neither documents nor the checkpoint change;
 * - `limit: 0` means no limit;
 * - writes to the same collection, checkpoint or alias (also those issued without awaiting the previous
 *   one) apply in call order, and a failed one
 *   leaves the others applied;
 * - changing an object a read returned (where it is not frozen) does not change the store;
 * - a conditional write (`putIf`, `deleteIf`) checks and writes in one atomic step, in call order with
 *   the other writes: of racing claims exactly one wins;
 * - a checkpoint never moves backwards: `commit` below the stored position writes nothing;
 * - `getMany` leaves absent ids out and reads through aliases; `ensureIndexes` is idempotent.
 */
export function documentStoreContract(name: string, factory: ReadStoreFactory): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: ReadStoreUnderTest | undefined;
    let docs: DocumentStore;
    let checkpoints: CheckpointStore;

    beforeAll(async () => {
      store = await factory();
      docs = store.documents;
      checkpoints = store.checkpoints;
    });

    afterAll(async () => {
      await store?.close();
    });

    const byId = (list: readonly Doc[]): Doc[] =>
      [...list].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const ids = (list: readonly Doc[]): string[] => list.map((doc) => doc._id);

    describe('direct writes', () => {
      it('puts a document and gets it back unchanged', async () => {
        const c = uniqueName('direct');
        const doc: Doc = {
          _id: 'idem-1',
          _position: 17,
          text: 'Prüfung – Überblick ✓',
          n: 3.25,
          yes: true,
          nothing: null,
          list: [1, 'two', { three: 3 }, [4]],
          nested: { deeper: { deepest: 'x' } },
        };
        await docs.put(c, doc);
        expect(await docs.get(c, 'idem-1')).toEqual(doc);
      });

      it('replaces the whole document on a second put', async () => {
        const c = uniqueName('direct');
        await docs.put(c, { _id: 'a', first: 1, second: 2 });
        await docs.put(c, { _id: 'a', first: 10 });
        expect(await docs.get(c, 'a')).toEqual({ _id: 'a', first: 10 });
        expect(await docs.count(c)).toBe(1);
      });

      it('answers null for an unknown id or collection', async () => {
        const c = uniqueName('direct');
        await docs.put(c, { _id: 'present' });
        expect(await docs.get(c, 'absent')).toBeNull();
        expect(await docs.get(uniqueName('nowhere'), 'present')).toBeNull();
      });

      it('deletes a document; deleting an unknown one is no error', async () => {
        const c = uniqueName('direct');
        await docs.put(c, { _id: 'a' });
        await docs.put(c, { _id: 'b' });
        await docs.delete(c, 'a');
        await docs.delete(c, 'never-existed');
        expect(await docs.get(c, 'a')).toBeNull();
        expect(ids(await docs.find(c))).toEqual(['b']);
      });

      it('drops undefined members instead of storing them', async () => {
        const c = uniqueName('direct');
        await docs.put(c, { _id: 'u', kept: 1, gone: undefined, inner: { alsoGone: undefined, here: 2 } });
        const stored = await docs.get(c, 'u');
        expect(stored).toEqual({ _id: 'u', kept: 1, inner: { here: 2 } });
        expect(Object.keys(stored!)).not.toContain('gone');
        expect(Object.keys(stored!.inner as object)).not.toContain('alsoGone');
        expect(Object.keys((await docs.find(c))[0]!)).not.toContain('gone');
      });

      it('rejects a document without a string _id and stores nothing', async () => {
        const c = uniqueName('direct');
        await expect(docs.put(c, { name: 'no id' } as unknown as Doc)).rejects.toThrow();
        await expect(docs.put(c, { _id: 42, name: 'numeric id' } as unknown as Doc)).rejects.toThrow();
        expect(await docs.count(c)).toBe(0);
      });

      it('cannot be changed through objects passed in or handed out', async () => {
        const c = uniqueName('direct');
        const input = { _id: 'm', value: 1, nested: { value: 1 }, list: [1] };
        await docs.put(c, input);
        input.value = 2;
        input.nested.value = 2;
        input.list.push(2);
        const original = { _id: 'm', value: 1, nested: { value: 1 }, list: [1] };

        const tamper = (doc: Doc | undefined | null): void => {
          try {
            const writable = doc as unknown as { value: number; nested: { value: number }; list: number[] };
            writable.value = 99;
            writable.nested.value = 99;
            writable.list.push(99);
          } catch {
            // Frozen results are allowed: the point is that the store does not change.
          }
        };
        tamper(await docs.get(c, 'm'));
        tamper((await docs.find(c, { _id: 'm' }))[0]);
        tamper((await docs.aggregate(c, [{ $match: { _id: 'm' } }]))[0] as Doc);

        expect(await docs.get(c, 'm')).toEqual(original);
        expect(await docs.find(c)).toEqual([original]);
        expect(await docs.find(c, { value: 1, 'nested.value': 1, list: { $size: 1 } })).toEqual([original]);
      });
    });

    describe('queries', () => {
      let c: string;
      const reviews: Doc[] = [
        { _id: 'r1', tenant: 't1', unit: 'u1', score: 10, tags: ['a', 'b'], meta: { month: '2025-01', level: 1 } },
        { _id: 'r2', tenant: 't1', unit: 'u2', score: 20, tags: ['b'], meta: { month: '2025-02', level: 2 } },
        { _id: 'r3', tenant: 't2', unit: 'u1', score: 30, tags: [], meta: { month: '2025-02', level: 3 } },
        { _id: 'r4', tenant: 't1', unit: 'u1', score: 40, tags: ['c'], meta: { month: '2025-03', level: 2 } },
        { _id: 'r5', tenant: 't2', unit: 'u3', score: 50, tags: ['a'], meta: { month: '2025-03', level: 1 } },
      ];

      beforeAll(async () => {
        c = uniqueName('queries');
        await docs.commit(
          reviews.map((doc) => ({ op: 'put', collection: c, doc })),
          { name: uniqueName('cp'), position: 5 },
        );
      });

      it('finds every document without a filter', async () => {
        expect(byId(await docs.find(c))).toEqual(reviews);
        expect(byId(await docs.find(c, {}))).toEqual(reviews);
      });

      it('finds by implicit equality and $eq', async () => {
        expect(ids(byId(await docs.find(c, { tenant: 't2' })))).toEqual(['r3', 'r5']);
        expect(ids(byId(await docs.find(c, { unit: { $eq: 'u1' } })))).toEqual(['r1', 'r3', 'r4']);
      });

      it('finds with $in, including against array fields', async () => {
        expect(ids(byId(await docs.find(c, { unit: { $in: ['u2', 'u3'] } })))).toEqual(['r2', 'r5']);
        expect(ids(byId(await docs.find(c, { tags: { $in: ['a', 'c'] } })))).toEqual(['r1', 'r4', 'r5']);
        expect(ids(byId(await docs.find(c, { tags: 'b' })))).toEqual(['r1', 'r2']);
      });

      it('finds with $gte and ranges', async () => {
        expect(ids(byId(await docs.find(c, { score: { $gte: 30 } })))).toEqual(['r3', 'r4', 'r5']);
        expect(ids(byId(await docs.find(c, { score: { $gte: 20, $lt: 40 } })))).toEqual(['r2', 'r3']);
      });

      it('finds with $and and with dotted paths into nested documents', async () => {
        expect(
          ids(byId(await docs.find(c, { $and: [{ tenant: 't1' }, { 'meta.month': { $gte: '2025-02' } }] }))),
        ).toEqual(['r2', 'r4']);
        expect(ids(byId(await docs.find(c, { 'meta.level': 2 })))).toEqual(['r2', 'r4']);
      });

      it('finds nothing when nothing matches, and nothing in an unknown collection', async () => {
        expect(await docs.find(c, { tenant: 't9' })).toEqual([]);
        expect(await docs.find(uniqueName('nowhere'))).toEqual([]);
      });

      it('sorts ascending and descending, also by several keys and dotted paths', async () => {
        expect(ids(await docs.find(c, {}, { sort: { score: 1 } }))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
        expect(ids(await docs.find(c, {}, { sort: { score: -1 } }))).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
        expect(ids(await docs.find(c, {}, { sort: { 'meta.level': 1, score: -1 } }))).toEqual([
          'r5',
          'r1',
          'r4',
          'r2',
          'r3',
        ]);
        expect(ids(await docs.find(c, { tenant: 't1' }, { sort: { 'meta.month': -1 } }))).toEqual(['r4', 'r2', 'r1']);
      });

      it('skips and limits after sorting; a limit of 0 means no limit', async () => {
        expect(ids(await docs.find(c, {}, { sort: { score: 1 }, skip: 1, limit: 2 }))).toEqual(['r2', 'r3']);
        expect(ids(await docs.find(c, {}, { sort: { score: -1 }, limit: 2 }))).toEqual(['r5', 'r4']);
        expect(ids(await docs.find(c, {}, { sort: { score: 1 }, skip: 4 }))).toEqual(['r5']);
        expect(await docs.find(c, {}, { sort: { score: 1 }, skip: 10 })).toEqual([]);
        expect(await docs.find(c, {}, { sort: { score: 1 }, limit: 0 })).toHaveLength(5);
      });

      it('counts all documents or those matching a filter', async () => {
        expect(await docs.count(c)).toBe(5);
        expect(await docs.count(c, { tenant: 't1' })).toBe(3);
        expect(await docs.count(c, { score: { $gte: 100 } })).toBe(0);
        expect(await docs.count(uniqueName('nowhere'))).toBe(0);
      });

      it('aggregates with $match, $group, $sum and $sort', async () => {
        expect(
          await docs.aggregate(c, [
            { $match: { score: { $gte: 20 } } },
            { $group: { _id: '$tenant', total: { $sum: '$score' }, n: { $sum: 1 } } },
            { $sort: { _id: 1 } },
          ]),
        ).toEqual([
          { _id: 't1', total: 60, n: 2 },
          { _id: 't2', total: 80, n: 2 },
        ]);
        expect(
          await docs.aggregate(c, [
            { $group: { _id: { month: '$meta.month' }, total: { $sum: '$score' } } },
            { $sort: { total: -1 } },
          ]),
        ).toEqual([
          { _id: { month: '2025-03' }, total: 90 },
          { _id: { month: '2025-02' }, total: 50 },
          { _id: { month: '2025-01' }, total: 10 },
        ]);
      });

      it('aggregates an unknown collection to nothing', async () => {
        expect(await docs.aggregate(uniqueName('nowhere'), [{ $group: { _id: null, n: { $sum: 1 } } }])).toEqual([]);
      });

      it('does not change stored documents through pipeline stages that write fields', async () => {
        const out = await docs.aggregate(c, [{ $match: { _id: 'r1' } }, { $set: { 'meta.level': 99, extra: true } }]);
        expect(out).toEqual([{ ...reviews[0], meta: { month: '2025-01', level: 99 }, extra: true }]);
        expect(await docs.get(c, 'r1')).toEqual(reviews[0]);
        expect(await docs.find(c, { _id: 'r1' })).toEqual([reviews[0]]);
      });
    });

    describe('commit', () => {
      it('writes puts and deletes in several collections together with the checkpoint', async () => {
        const a = uniqueName('commit');
        const b = uniqueName('commit');
        const cp = uniqueName('cp');
        await docs.commit(
          [
            { op: 'put', collection: a, doc: { _id: 'x', _position: 1, v: 1 } },
            { op: 'put', collection: a, doc: { _id: 'y', _position: 1, v: 1 } },
            { op: 'put', collection: b, doc: { _id: 'z', _position: 1, v: 1 } },
          ],
          { name: cp, position: 1 },
        );
        await docs.commit(
          [
            { op: 'put', collection: a, doc: { _id: 'x', _position: 2, v: 2 } },
            { op: 'delete', collection: a, id: 'y' },
            { op: 'delete', collection: b, id: 'never-existed' },
            { op: 'put', collection: b, doc: { _id: 'w', _position: 2, v: 1 } },
          ],
          { name: cp, position: 2 },
        );
        expect(await docs.find(a)).toEqual([{ _id: 'x', _position: 2, v: 2 }]);
        expect(byId(await docs.find(b))).toEqual([
          { _id: 'w', _position: 2, v: 1 },
          { _id: 'z', _position: 1, v: 1 },
        ]);
        expect((await checkpoints.load(cp))?.position).toBe(2);
      });

      it('applies several writes to one document in a batch in their order', async () => {
        const c = uniqueName('ordered');
        await docs.put(c, { _id: 'old', _position: 0 });
        await docs.commit(
          [
            { op: 'put', collection: c, doc: { _id: 'a', _position: 1, v: 1 } },
            { op: 'delete', collection: c, id: 'a' },
            { op: 'delete', collection: c, id: 'old' },
            { op: 'put', collection: c, doc: { _id: 'old', _position: 2, v: 2 } },
            { op: 'put', collection: c, doc: { _id: 'b', _position: 1, v: 1 } },
            { op: 'put', collection: c, doc: { _id: 'b', _position: 3, v: 3 } },
          ],
          { name: uniqueName('cp'), position: 3 },
        );
        expect(byId(await docs.find(c))).toEqual([
          { _id: 'b', _position: 3, v: 3 },
          { _id: 'old', _position: 2, v: 2 },
        ]);
      });

      it('saves the checkpoint of a batch without writes', async () => {
        const cp = uniqueName('cp');
        await docs.commit([], { name: cp, position: 9 });
        expect((await checkpoints.load(cp))?.position).toBe(9);
      });

      it('yields the same state when the same batch is applied twice (replay)', async () => {
        const c = uniqueName('replay');
        const cp = uniqueName('cp');
        await docs.put(c, { _id: 'gone', _position: 0 });
        const batch: DocumentWrite[] = [
          { op: 'put', collection: c, doc: { _id: 'k1', _position: 3, n: 1 } },
          { op: 'put', collection: c, doc: { _id: 'k2', _position: 4, n: 2 } },
          { op: 'delete', collection: c, id: 'gone' },
        ];
        await docs.commit(batch, { name: cp, position: 4 });
        const once = byId(await docs.find(c));
        const checkpointOnce = (await checkpoints.load(cp))?.position;
        await docs.commit(batch, { name: cp, position: 4 });
        expect(byId(await docs.find(c))).toEqual(once);
        expect(once).toEqual([
          { _id: 'k1', _position: 3, n: 1 },
          { _id: 'k2', _position: 4, n: 2 },
        ]);
        expect((await checkpoints.load(cp))?.position).toBe(checkpointOnce);
        expect(await docs.count(c)).toBe(2);
      });

      describe.each([
        [
          'a document with a cyclic reference',
          (): Doc => {
            const cyclic: Record<string, unknown> = { _id: 'bad', _position: 10 };
            cyclic['self'] = cyclic;
            return cyclic as Doc;
          },
        ],
        ['a document without _id', (): Doc => ({ _position: 10, name: 'anonymous' }) as unknown as Doc],
      ])('atomicity: a batch containing %s', (_label, badDoc) => {
        it('is rejected and changes neither documents nor the checkpoint', async () => {
          const c = uniqueName('atomic');
          const other = uniqueName('atomic');
          const cp = uniqueName('cp');
          await docs.commit(
            [
              { op: 'put', collection: c, doc: { _id: 'keep', _position: 5, v: 'old' } },
              { op: 'put', collection: c, doc: { _id: 'doomed', _position: 5, v: 'old' } },
            ],
            { name: cp, position: 5 },
          );
          const before = byId(await docs.find(c));

          await expect(
            docs.commit(
              [
                { op: 'put', collection: c, doc: { _id: 'keep', _position: 10, v: 'new' } },
                { op: 'delete', collection: c, id: 'doomed' },
                { op: 'put', collection: c, doc: { _id: 'fresh', _position: 10, v: 'new' } },
                { op: 'put', collection: other, doc: { _id: 'elsewhere', _position: 10 } },
                { op: 'put', collection: c, doc: badDoc() },
              ],
              { name: cp, position: 10 },
            ),
          ).rejects.toThrow();

          expect(byId(await docs.find(c))).toEqual(before);
          expect(await docs.get(c, 'keep')).toEqual({ _id: 'keep', _position: 5, v: 'old' });
          expect(await docs.get(c, 'fresh')).toBeNull();
          expect(await docs.count(other)).toBe(0);
          expect((await checkpoints.load(cp))?.position).toBe(5);
        });
      });
    });

    describe('write order', () => {
      it('applies writes issued back to back without awaiting in call order', async () => {
        const c = uniqueName('order');
        const dropped = uniqueName('order');
        const alias = uniqueName('order');
        const cp = uniqueName('cp');
        const put = (id: string, v: number, position?: number): DocumentWrite => ({
          op: 'put',
          collection: c,
          doc: position === undefined ? { _id: id, v } : { _id: id, _position: position, v },
        });
        const writes: Promise<void>[] = [
          docs.put(c, { _id: 'a', v: 1 }),
          docs.commit([put('a', 2, 1), put('b', 1, 1)], { name: cp, position: 1 }),
          docs.delete(c, 'b'),
          docs.put(dropped, { _id: 'x' }),
          docs.dropCollection(dropped),
          docs.put(dropped, { _id: 'y' }),
          docs.commit([put('c', 1, 2)], { name: cp, position: 2 }),
          // Ahead of the commits around it: applied out of order, the later commit (or this save) would be
          // refused as moving the checkpoint backwards.
          checkpoints.save(cp, 7),
          docs.commit([put('a', 3, 3), { op: 'delete', collection: c, id: 'c' }], { name: cp, position: 8 }),
          docs.switchAlias(alias, dropped),
          docs.switchAlias(alias, c),
        ];
        // One document overwritten many times: any reordering leaves an earlier value.
        for (let v = 1; v <= 40; v += 1) writes.push(docs.put(c, { _id: 'counter', v }));
        await Promise.all(writes);

        expect(byId(await docs.find(c))).toEqual([
          { _id: 'a', _position: 3, v: 3 },
          { _id: 'counter', v: 40 },
        ]);
        expect(await docs.find(dropped)).toEqual([{ _id: 'y' }]);
        expect((await checkpoints.load(cp))?.position).toBe(8);
        expect(await docs.resolve(alias)).toBe(c);
      });

      it('a failed commit writes nothing, and the writes issued around it still apply in order', async () => {
        const c = uniqueName('failing');
        const cp = uniqueName('cp');
        const cyclic: Record<string, unknown> = { _id: 'bad', _position: 2 };
        cyclic['self'] = cyclic;
        const before = docs.commit([{ op: 'put', collection: c, doc: { _id: 'keep', _position: 1, v: 1 } }], {
          name: cp,
          position: 1,
        });
        // Its rejection is expected right away, so it never counts as unhandled while the others run.
        const failed = expect(
          docs.commit(
            [
              { op: 'put', collection: c, doc: { _id: 'keep', _position: 2, v: 2 } },
              { op: 'put', collection: c, doc: { _id: 'fresh', _position: 2 } },
              { op: 'put', collection: c, doc: cyclic as Doc },
            ],
            { name: cp, position: 2 },
          ),
        ).rejects.toThrow();
        const after = docs.commit([{ op: 'put', collection: c, doc: { _id: 'later', _position: 3 } }], {
          name: cp,
          position: 3,
        });
        const direct = docs.put(c, { _id: 'keep', _position: 4, v: 4 });
        await Promise.all([before, failed, after, direct]);

        expect(byId(await docs.find(c))).toEqual([
          { _id: 'keep', _position: 4, v: 4 },
          { _id: 'later', _position: 3 },
        ]);
        expect(await docs.get(c, 'fresh')).toBeNull();
        expect((await checkpoints.load(cp))?.position).toBe(3);
      });
    });

    describe('aliases', () => {
      it('resolves a name without an alias to itself', async () => {
        const c = uniqueName('plain');
        expect(await docs.resolve(c)).toBe(c);
      });

      it('serves the old collection until the switch, then the new one', async () => {
        const logical = uniqueName('trend');
        const v1 = `${logical}_v1`;
        const v2 = `${logical}_v2`;
        await docs.commit(
          [
            { op: 'put', collection: v1, doc: { _id: 'cell-1', n: 1, version: 1 } },
            { op: 'put', collection: v1, doc: { _id: 'cell-2', n: 2, version: 1 } },
          ],
          { name: uniqueName('cp'), position: 1 },
        );
        await docs.switchAlias(logical, v1);
        expect(await docs.resolve(logical)).toBe(v1);
        expect(await docs.count(logical)).toBe(2);

        // A rebuild fills v2 while v1 keeps serving.
        await docs.commit(
          [
            { op: 'put', collection: v2, doc: { _id: 'cell-1', n: 10, version: 2 } },
            { op: 'put', collection: v2, doc: { _id: 'cell-2', n: 20, version: 2 } },
            { op: 'put', collection: v2, doc: { _id: 'cell-3', n: 30, version: 2 } },
          ],
          { name: uniqueName('cp'), position: 1 },
        );
        expect(await docs.resolve(logical)).toBe(v1);
        expect(ids(await docs.find(logical, {}, { sort: { _id: 1 } }))).toEqual(['cell-1', 'cell-2']);
        expect(await docs.get(logical, 'cell-3')).toBeNull();
        expect(await docs.count(logical, { version: 2 })).toBe(0);

        await docs.switchAlias(logical, v2);
        expect(await docs.resolve(logical)).toBe(v2);
        expect(await docs.find(logical, {}, { sort: { _id: 1 } })).toEqual([
          { _id: 'cell-1', n: 10, version: 2 },
          { _id: 'cell-2', n: 20, version: 2 },
          { _id: 'cell-3', n: 30, version: 2 },
        ]);
        expect(await docs.get(logical, 'cell-3')).toEqual({ _id: 'cell-3', n: 30, version: 2 });
        expect(await docs.aggregate(logical, [{ $group: { _id: null, total: { $sum: '$n' } } }])).toEqual([
          { _id: null, total: 60 },
        ]);
        // The physical collections stay addressable by their own names.
        expect(await docs.count(v1)).toBe(2);

        await docs.switchAlias(logical, v1);
        expect(await docs.count(logical)).toBe(2);
      });
    });

    describe('collections', () => {
      it('lists collections written by put and by commit', async () => {
        const direct = uniqueName('listed');
        const projected = uniqueName('listed');
        await docs.put(direct, { _id: 'a' });
        await docs.commit([{ op: 'put', collection: projected, doc: { _id: 'b' } }], {
          name: uniqueName('cp'),
          position: 1,
        });
        const listed = await docs.listCollections();
        expect(listed).toEqual(expect.arrayContaining([direct, projected]));
        expect(listed).not.toContain(uniqueName('listed'));
      });

      it('drops a collection: its documents and its listing go, other collections stay', async () => {
        const doomed = uniqueName('drop');
        const survivor = uniqueName('drop');
        await docs.commit(
          [
            { op: 'put', collection: doomed, doc: { _id: 'a', n: 1 } },
            { op: 'put', collection: doomed, doc: { _id: 'b', n: 2 } },
            { op: 'put', collection: survivor, doc: { _id: 'a', n: 1 } },
          ],
          { name: uniqueName('cp'), position: 1 },
        );
        expect(await docs.count(doomed)).toBe(2);

        await docs.dropCollection(doomed);

        expect(await docs.find(doomed)).toEqual([]);
        expect(await docs.count(doomed)).toBe(0);
        expect(await docs.get(doomed, 'a')).toBeNull();
        expect(await docs.aggregate(doomed, [{ $match: {} }])).toEqual([]);
        expect(await docs.listCollections()).not.toContain(doomed);
        expect(await docs.find(survivor)).toEqual([{ _id: 'a', n: 1 }]);

        // A dropped name can be used again and starts empty.
        await docs.put(doomed, { _id: 'c', n: 3 });
        expect(await docs.find(doomed)).toEqual([{ _id: 'c', n: 3 }]);
        await expect(docs.dropCollection(uniqueName('never'))).resolves.toBeUndefined();
      });
    });

    describe('batched reads (getMany)', () => {
      it('returns the documents of the ids that exist, once each, and leaves absent ids out', async () => {
        const c = uniqueName('many');
        await docs.put(c, { _id: 'a', n: 1 });
        await docs.put(c, { _id: 'b', n: 2 });
        await docs.put(c, { _id: 'c', n: 3 });
        expect(byId(await docs.getMany(c, ['c', 'missing', 'a', 'a']))).toEqual([
          { _id: 'a', n: 1 },
          { _id: 'c', n: 3 },
        ]);
        expect(await docs.getMany(c, [])).toEqual([]);
        expect(await docs.getMany(uniqueName('never'), ['a'])).toEqual([]);
      });

      it('reads more ids than one query carries (chunks) and through an alias', async () => {
        const physical = uniqueName('many');
        const alias = uniqueName('many_alias');
        const stored = Array.from({ length: 1200 }, (_, i) => ({ _id: `d${String(i).padStart(4, '0')}`, i }));
        await docs.commit(
          stored.map((doc) => ({ op: 'put', collection: physical, doc })),
          { name: uniqueName('cp'), position: 1 },
        );
        await docs.switchAlias(alias, physical);
        const wanted = [...stored.map((doc) => doc._id), ...Array.from({ length: 1300 }, (_, i) => `absent${i}`)];
        const found = await docs.getMany(alias, wanted);
        expect(found).toHaveLength(1200);
        expect(byId(found)).toEqual(stored);
      });

      it('hands out objects that can be changed without changing the store', async () => {
        const c = uniqueName('many');
        await docs.put(c, { _id: 'a', nested: { n: 1 } });
        const [doc] = await docs.getMany(c, ['a']);
        (doc as unknown as { nested: { n: number } }).nested.n = 99;
        expect(await docs.get(c, 'a')).toEqual({ _id: 'a', nested: { n: 1 } });
      });
    });

    describe('conditional writes', () => {
      const lease = (owner: string, expiresAt: number): Doc => ({ _id: 'lease', owner, expiresAt });
      /** The lease's claim: free, expired at `now`, or already ours. */
      const claim = (owner: string, now: number) => ({
        absent: true,
        matches: { $or: [{ owner }, { expiresAt: { $lte: now } }] },
      });

      it('inserts if absent, and refuses a second insert-if-absent without changing the document', async () => {
        const c = uniqueName('cas');
        expect(await docs.putIf(c, lease('a', 100), { absent: true })).toBe(true);
        expect(await docs.putIf(c, lease('b', 200), { absent: true })).toBe(false);
        expect(await docs.get(c, 'lease')).toEqual(lease('a', 100));
        expect(await docs.listCollections()).toContain(c);
      });

      it('replaces only a document that matches, and creates nothing when only a match is asked for', async () => {
        const c = uniqueName('cas');
        expect(await docs.putIf(c, lease('a', 100), { matches: { owner: 'a' } })).toBe(false);
        expect(await docs.get(c, 'lease')).toBeNull();
        await docs.put(c, lease('a', 100));
        expect(await docs.putIf(c, lease('b', 200), { matches: { owner: 'b' } })).toBe(false);
        expect(await docs.get(c, 'lease')).toEqual(lease('a', 100));
        expect(await docs.putIf(c, lease('a', 300), { matches: { owner: 'a', expiresAt: { $gt: 50 } } })).toBe(true);
        expect(await docs.get(c, 'lease')).toEqual(lease('a', 300));
        // The whole document is replaced, as by put.
        expect(await docs.putIf(c, { _id: 'lease', owner: 'a' }, { matches: { owner: 'a' } })).toBe(true);
        expect(await docs.get(c, 'lease')).toEqual({ _id: 'lease', owner: 'a' });
      });

      it('takes over an expired document or its own, never one of another that has not expired', async () => {
        const c = uniqueName('cas');
        expect(await docs.putIf(c, lease('a', 100), claim('a', 0))).toBe(true);
        expect(await docs.putIf(c, lease('b', 200), claim('b', 99))).toBe(false);
        expect(await docs.get(c, 'lease')).toEqual(lease('a', 100));
        expect(await docs.putIf(c, lease('a', 150), claim('a', 99))).toBe(true);
        expect(await docs.putIf(c, lease('b', 250), claim('b', 150))).toBe(true);
        expect(await docs.get(c, 'lease')).toEqual(lease('b', 250));
      });

      it('lets exactly one of several claimants issued together (not awaiting each other) win', async () => {
        for (const takenOver of [false, true]) {
          const c = uniqueName('cas');
          if (takenOver) await docs.put(c, lease('crashed', 10));
          const owners = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
          const results = await Promise.all(
            owners.map((owner) => docs.putIf(c, lease(owner, 1000), claim(owner, 500))),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
          const winner = owners[results.indexOf(true)]!;
          expect(await docs.get(c, 'lease')).toEqual(lease(winner, 1000));
        }
      });

      it('applies in call order with writes issued before it without awaiting them', async () => {
        const c = uniqueName('cas');
        const first = docs.put(c, lease('a', 100));
        const renewal = docs.putIf(c, lease('a', 200), { matches: { owner: 'a' } });
        const removal = docs.deleteIf(c, 'lease', { owner: 'a', expiresAt: 200 });
        const insert = docs.putIf(c, lease('b', 300), { absent: true });
        await first;
        expect(await renewal).toBe(true);
        expect(await removal).toBe(true);
        expect(await insert).toBe(true);
        expect(await docs.get(c, 'lease')).toEqual(lease('b', 300));
      });

      it('deletes only a document that matches', async () => {
        const c = uniqueName('cas');
        expect(await docs.deleteIf(c, 'lease', { owner: 'a' })).toBe(false);
        await docs.put(c, lease('a', 100));
        expect(await docs.deleteIf(c, 'lease', { owner: 'b' })).toBe(false);
        expect(await docs.get(c, 'lease')).toEqual(lease('a', 100));
        expect(await docs.find(c)).toHaveLength(1);
        expect(await docs.deleteIf(c, 'lease', { owner: 'a' })).toBe(true);
        expect(await docs.get(c, 'lease')).toBeNull();
        expect(await docs.find(c)).toEqual([]);
        expect(await docs.deleteIf(c, 'lease', { owner: 'a' })).toBe(false);
      });

      it('rejects a condition that asks for nothing, and a document without an _id, writing nothing', async () => {
        const c = uniqueName('cas');
        await expect(docs.putIf(c, lease('a', 1), {})).rejects.toThrow(TypeError);
        await expect(docs.putIf(c, lease('a', 1), { absent: false })).rejects.toThrow(TypeError);
        await expect(docs.putIf(c, { owner: 'a' } as unknown as Doc, { absent: true })).rejects.toThrow(TypeError);
        expect(await docs.find(c)).toEqual([]);
      });
    });

    describe('checkpoints never move backwards', () => {
      it('refuses a commit below the stored checkpoint and writes nothing of its batch', async () => {
        const c = uniqueName('regress');
        const cp = uniqueName('cp');
        await docs.commit([{ op: 'put', collection: c, doc: { _id: 'a', _position: 10, v: 'new' } }], {
          name: cp,
          position: 10,
        });
        const stale = docs.commit(
          [
            { op: 'put', collection: c, doc: { _id: 'a', _position: 7, v: 'stale' } },
            { op: 'put', collection: c, doc: { _id: 'b', _position: 7 } },
          ],
          { name: cp, position: 7 },
        );
        await expect(stale).rejects.toBeInstanceOf(CheckpointRegressionError);
        await expect(stale).rejects.toMatchObject({
          name: 'CheckpointRegressionError',
          code: 'CHECKPOINT_REGRESSION',
          checkpoint: cp,
          stored: 10,
          attempted: 7,
        });
        expect(await docs.find(c)).toEqual([{ _id: 'a', _position: 10, v: 'new' }]);
        expect((await checkpoints.load(cp))?.position).toBe(10);
      });

      it('allows a commit at the stored position (an idempotent replay) and after a reset', async () => {
        const c = uniqueName('regress');
        const cp = uniqueName('cp');
        await docs.commit([{ op: 'put', collection: c, doc: { _id: 'a', _position: 5 } }], { name: cp, position: 5 });
        await docs.commit([{ op: 'put', collection: c, doc: { _id: 'b', _position: 5 } }], { name: cp, position: 5 });
        expect(ids(byId(await docs.find(c)))).toEqual(['a', 'b']);
        await checkpoints.delete(cp);
        await docs.commit([{ op: 'put', collection: c, doc: { _id: 'c', _position: 2 } }], { name: cp, position: 2 });
        expect((await checkpoints.load(cp))?.position).toBe(2);
        expect(await docs.count(c)).toBe(3);
      });

      it('refuses a commit below a position saved by CheckpointStore.save', async () => {
        const c = uniqueName('regress');
        const cp = uniqueName('cp');
        await checkpoints.save(cp, 20);
        await expect(
          docs.commit([{ op: 'put', collection: c, doc: { _id: 'a' } }], { name: cp, position: 19 }),
        ).rejects.toBeInstanceOf(CheckpointRegressionError);
        expect(await docs.find(c)).toEqual([]);
      });
    });

    describe('indexes', () => {
      it('ensures indexes idempotently, on a new or a written collection, without changing documents', async () => {
        const c = uniqueName('idx');
        const specs = [{ fields: { tenant: 1, dueAt: -1 } }, { fields: { key: 1 }, unique: true }] as const;
        await docs.ensureIndexes(c, specs);
        await docs.put(c, { _id: 'a', tenant: 't', dueAt: 2, key: 'k1' });
        await docs.ensureIndexes(c, specs);
        await docs.ensureIndexes(c, []);
        expect(await docs.find(c, { tenant: 't' }, { sort: { dueAt: -1 } })).toEqual([
          { _id: 'a', tenant: 't', dueAt: 2, key: 'k1' },
        ]);
      });

      it('rejects an index without fields or with an order other than 1 or -1', async () => {
        const c = uniqueName('idx');
        await expect(docs.ensureIndexes(c, [{ fields: {} }])).rejects.toThrow(TypeError);
        await expect(docs.ensureIndexes(c, [{ fields: { a: 2 as 1 } }])).rejects.toThrow(TypeError);
      });
    });
  });
}

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import type { Doc, DocumentWrite } from '../read-store.port.js';
import { EmbeddedReadStore } from './embedded-read-store.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
const freshFile = (): string => path.join(dir, `read-store-${++files}.sqlite`);
const ids = (docs: readonly Doc[]): string[] => docs.map((doc) => doc._id).sort();
const puts = (collection: string, ...docs: Doc[]): DocumentWrite[] =>
  docs.map((doc) => ({ op: 'put', collection, doc }));

describe('EmbeddedReadStore on one file', () => {
  it('keeps documents, checkpoints, aliases and collections across a restart without replay', async () => {
    const file = freshFile();
    const first = EmbeddedReadStore.open({ file, clock: () => new Date('2025-03-01T10:00:00.000Z') });
    await first.documents.commit(puts('cells_v1', { _id: 'a', n: 1 }, { _id: 'b', n: 2 }), {
      name: 'cells',
      position: 41,
    });
    await first.documents.put('idempotency', { _id: 'key-1', status: 201 });
    await first.documents.switchAlias('cells', 'cells_v1');
    await first.close();

    const second = EmbeddedReadStore.open({ file });
    try {
      expect(ids(await second.documents.find('cells'))).toEqual(['a', 'b']);
      expect(await second.documents.get('idempotency', 'key-1')).toEqual({ _id: 'key-1', status: 201 });
      expect(await second.checkpoints.load('cells')).toEqual({
        name: 'cells',
        position: 41,
        updatedAt: '2025-03-01T10:00:00.000Z',
      });
      expect(await second.documents.resolve('cells')).toBe('cells_v1');
      expect(await second.documents.listCollections()).toEqual(['cells_v1', 'idempotency']);
    } finally {
      await second.close();
    }

    const probe = new DatabaseSync(file);
    expect(probe.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    probe.close();
  });

  it('shows writes of one instance to reads of another: puts, deletes, drops, aliases', async () => {
    const file = freshFile();
    const writer = EmbeddedReadStore.open({ file });
    const reader = EmbeddedReadStore.open({ file });
    try {
      const w = writer.documents;
      const r = reader.documents;
      await w.commit(puts('trend_v1', { _id: 'c1', n: 1 }, { _id: 'c2', n: 2 }), { name: 'trend', position: 1 });
      expect(await r.count('trend_v1')).toBe(2); // warms the reader's cache

      await w.commit(
        [
          { op: 'put', collection: 'trend_v1', doc: { _id: 'c1', n: 10 } },
          { op: 'delete', collection: 'trend_v1', id: 'c2' },
        ],
        { name: 'trend', position: 2 },
      );
      expect(await r.find('trend_v1')).toEqual([{ _id: 'c1', n: 10 }]);
      expect((await reader.checkpoints.load('trend'))?.position).toBe(2);

      await w.put('trend_v1', { _id: 'c3', n: 3 });
      await w.delete('trend_v1', 'c1');
      expect(await r.find('trend_v1')).toEqual([{ _id: 'c3', n: 3 }]);
      expect(await r.aggregate('trend_v1', [{ $group: { _id: null, total: { $sum: '$n' } } }])).toEqual([
        { _id: null, total: 3 },
      ]);

      await w.dropCollection('trend_v1');
      expect(await r.count('trend_v1')).toBe(0);
      expect(await r.listCollections()).toEqual([]);
      await w.put('trend_v1', { _id: 'c9', n: 9 });
      expect(await r.find('trend_v1')).toEqual([{ _id: 'c9', n: 9 }]);

      await w.commit(puts('trend_v2', { _id: 'x', n: 100 }), { name: 'trend_v2', position: 5 });
      await w.switchAlias('trend', 'trend_v1');
      expect(await r.find('trend')).toEqual([{ _id: 'c9', n: 9 }]);
      await w.switchAlias('trend', 'trend_v2');
      expect(await r.find('trend')).toEqual([{ _id: 'x', n: 100 }]);
      expect(await r.resolve('trend')).toBe('trend_v2');
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('does not resurrect a deleted document when its tombstone is compacted away before the next read', async () => {
    const file = freshFile();
    const writer = EmbeddedReadStore.open({ file });
    const reader = EmbeddedReadStore.open({ file });
    try {
      await writer.documents.commit(puts('cases', { _id: 'keep' }, { _id: 'purged' }), { name: 'cases', position: 1 });
      expect(ids(await reader.documents.find('cases'))).toEqual(['keep', 'purged']);

      await writer.documents.delete('cases', 'purged');
      expect(await writer.compact()).toBe(1);

      expect(ids(await reader.documents.find('cases'))).toEqual(['keep']);
      const raw = new DatabaseSync(file);
      expect(raw.prepare("SELECT count(*) AS n FROM rs_documents WHERE collection = 'cases'").get()).toEqual({ n: 1 });
      raw.close();
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('loses no writes when two instances interleave commits and reads', async () => {
    const file = freshFile();
    const a = EmbeddedReadStore.open({ file });
    const b = EmbeddedReadStore.open({ file });
    try {
      for (let round = 0; round < 50; round += 1) {
        await a.documents.commit(puts('shared', { _id: `a-${round}`, round }), { name: 'a', position: round });
        expect(await b.documents.count('shared')).toBe(2 * round + 1);
        await b.documents.commit(puts('shared', { _id: `b-${round}`, round }), { name: 'b', position: round });
        expect(await a.documents.count('shared')).toBe(2 * round + 2);
      }
      expect(ids(await a.documents.find('shared'))).toEqual(ids(await b.documents.find('shared')));
      expect(await a.documents.count('shared', { round: 49 })).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('loses no writes and shows only whole batches while two worker threads commit at the same time', async () => {
    const file = freshFile();
    const moduleUrl = transpileForWorkers(path.join(dir, 'worker-build'));
    const batches = 60;
    const batchSize = 25;
    const reader = EmbeddedReadStore.open({ file });
    const seen: number[] = [];
    try {
      await reader.documents.put('warm-up', { _id: 'w' }); // creates the schema before the workers race
      const finished = Promise.all(
        ['left', 'right'].map((name) =>
          runWriter(moduleUrl, { file, name, collection: 'concurrent', batches, batchSize }),
        ),
      );
      let done = false;
      const settled = finished.finally(() => {
        done = true;
      });
      const deadline = Date.now() + 55_000;
      while (!done && Date.now() < deadline) {
        seen.push(await reader.documents.count('concurrent'));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await settled;

      // The reader really ran while both writers did (otherwise the checks below prove little).
      expect(seen.filter((n) => n > 0 && n < 2 * batches * batchSize).length).toBeGreaterThan(1);
      expect(seen.every((n) => n % batchSize === 0)).toBe(true);
      expect(seen.every((n, i) => i === 0 || n >= seen[i - 1]!)).toBe(true);
      expect(await reader.documents.count('concurrent')).toBe(2 * batches * batchSize);
      expect(await reader.documents.count('concurrent', { writer: 'left' })).toBe(batches * batchSize);
      expect((await reader.checkpoints.load('left'))?.position).toBe(batches - 1);
      expect((await reader.checkpoints.load('right'))?.position).toBe(batches - 1);

      const fresh = EmbeddedReadStore.open({ file });
      expect(ids(await fresh.documents.find('concurrent'))).toEqual(ids(await reader.documents.find('concurrent')));
      await fresh.close();
    } finally {
      await reader.close();
    }
  });
});

describe('EmbeddedReadStore with writerThread', () => {
  it("refuses ':memory:', which one connection cannot share with another", () => {
    expect(() => EmbeddedReadStore.open({ file: ':memory:', writerThread: true })).toThrow(
      /writerThread needs a file; ':memory:' cannot be shared/,
    );
  });

  it.each([
    ['inline', false],
    ['on a writer thread', true],
  ])(
    'rejects a commit JSON cannot carry (a BigInt) and writes nothing; later writes apply (%s)',
    async (_, writerThread) => {
      const store = EmbeddedReadStore.open({ file: freshFile(), writerThread });
      try {
        await store.documents.commit(puts('big', { _id: 'a', _position: 1, n: 1 }), { name: 'big', position: 1 });
        const rejected = expect(
          store.documents.commit(
            [...puts('big', { _id: 'a', _position: 2, n: 2 }), ...puts('big', { _id: 'b', _position: 2, n: 10n })],
            { name: 'big', position: 2 },
          ),
        ).rejects.toThrow(/BigInt/);
        const later = store.documents.commit(puts('big', { _id: 'c', _position: 3 }), { name: 'big', position: 3 });
        await Promise.all([rejected, later]);
        expect(await store.documents.find('big', {}, { sort: { _id: 1 } })).toEqual([
          { _id: 'a', _position: 1, n: 1 },
          { _id: 'c', _position: 3 },
        ]);
        expect((await store.checkpoints.load('big'))?.position).toBe(3);
      } finally {
        await store.close();
      }
    },
  );

  it('writes off the calling thread: reads go on while a commit waits for the lock; it resolves after COMMIT', async () => {
    const file = freshFile();
    const store = EmbeddedReadStore.open({ file, writerThread: true });
    await store.documents.put('warm-up', { _id: 'w' }); // the thread has opened its connection
    const blocker = new DatabaseSync(file);
    blocker.exec('BEGIN IMMEDIATE');
    let committed = false;
    const commit = store.documents
      .commit(puts('held', { _id: 'h', _position: 1 }), { name: 'held', position: 1 })
      .then(() => {
        committed = true;
      });
    try {
      // Inline, the commit would have blocked this thread until the busy timeout and then failed.
      for (let turn = 0; turn < 20; turn += 1) {
        expect(await store.documents.count('held')).toBe(0);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      expect(committed).toBe(false);
    } finally {
      blocker.exec('COMMIT');
      blocker.close();
    }
    await commit;
    expect(await store.documents.find('held')).toEqual([{ _id: 'h', _position: 1 }]);
    expect((await store.checkpoints.load('held'))?.position).toBe(1);
    await store.close();
  });

  it("reports the thread's SQLite errors on the write that failed and keeps writing afterwards", async () => {
    const file = freshFile();
    const store = EmbeddedReadStore.open({ file, writerThread: true, busyTimeoutMs: 20 });
    await store.documents.put('warm-up', { _id: 'w' }); // the thread has opened its connection
    const blocker = new DatabaseSync(file);
    try {
      blocker.exec('BEGIN IMMEDIATE');
      await expect(
        store.documents.commit(puts('locked', { _id: 'x' }), { name: 'locked', position: 1 }),
      ).rejects.toThrow(/locked/);
      blocker.exec('COMMIT');
      await store.documents.commit(puts('locked', { _id: 'y' }), { name: 'locked', position: 2 });
      expect(await store.documents.find('locked')).toEqual([{ _id: 'y' }]);
      expect((await store.checkpoints.load('locked'))?.position).toBe(2);
    } finally {
      if (blocker.isTransaction) blocker.exec('ROLLBACK');
      blocker.close();
      await store.close();
    }
  });

  it('close applies every write issued before it and refuses later ones', async () => {
    const file = freshFile();
    const store = EmbeddedReadStore.open({ file, writerThread: true });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 50; i += 1) {
      writes.push(store.documents.commit(puts('drained', { _id: `d-${i}` }), { name: 'drained', position: i + 1 }));
    }
    writes.push(store.documents.delete('drained', 'd-0'), store.checkpoints.save('other', 5));
    const closed = store.close();
    await expect(store.documents.put('drained', { _id: 'late' })).rejects.toThrow(/closed/);
    await expect(store.checkpoints.save('other', 6)).rejects.toThrow(/closed/);
    await Promise.all([closed, ...writes]);

    const reopened = EmbeddedReadStore.open({ file });
    try {
      expect(await reopened.documents.count('drained')).toBe(49);
      expect(await reopened.documents.get('drained', 'late')).toBeNull();
      expect((await reopened.checkpoints.load('drained'))?.position).toBe(50);
      expect((await reopened.checkpoints.load('other'))?.position).toBe(5);
    } finally {
      await reopened.close();
    }
  });

  it('compacts in call order with the other writes', async () => {
    const file = freshFile();
    const store = EmbeddedReadStore.open({ file, writerThread: true });
    try {
      const removed = Promise.all([
        store.documents.put('compacted', { _id: 'a' }),
        store.documents.put('compacted', { _id: 'b' }),
        store.documents.delete('compacted', 'a'),
        store.compact(),
      ]);
      expect((await removed)[3]).toBe(1);
      expect(await store.documents.find('compacted')).toEqual([{ _id: 'b' }]);
    } finally {
      await store.close();
    }
  });
});

interface WriterJob {
  readonly file: string;
  readonly name: string;
  readonly collection: string;
  readonly batches: number;
  readonly batchSize: number;
}

function runWriter(moduleUrl: string, job: WriterJob): Promise<void> {
  const worker = new Worker(path.join(path.dirname(fileURLToPath(moduleUrl)), 'writer-worker.mjs'), {
    workerData: { moduleUrl, ...job },
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${job.name} exited ${code}`))));
  });
}

/**
 * Worker threads run plain Node, not Jest's TypeScript transform: transpile the adapter's sources (their
 * imports already end in `.js`) into a scratch directory that resolves `mingo` from the project.
 */
function transpileForWorkers(outDir: string): string {
  const libs = path.resolve(here, '../../..');
  const repo = path.resolve(libs, '..');
  // This library's store and the one library it imports (file permissions), laid out as the build lays
  // out `dist/`, so that `@pruefpfad/runtime` resolves to the transpiled copy as in production.
  const sourcesOf = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => path.join(dir, f));
  const sources = [
    // The port and its shared checks (`port-checks.ts`), which the adapter imports.
    ...sourcesOf(path.join(libs, 'read-store/src')),
    ...sourcesOf(here),
    ...sourcesOf(path.join(libs, 'runtime/src')),
  ];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, useDefineForClassFields: false },
    });
    const target = path.join(outDir, path.relative(repo, source)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}');
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [
    path.join(repo, 'scripts', 'link-built-packages.mjs'),
    outDir,
    '--partial',
    '--links',
    path.join(outDir, 'libs', 'node_modules'),
  ]);
  const embedded = path.join(outDir, 'libs', 'read-store', 'src', 'embedded');
  fs.writeFileSync(
    path.join(embedded, 'writer-worker.mjs'),
    `import { workerData } from 'node:worker_threads';
const { EmbeddedReadStore } = await import(workerData.moduleUrl);
const store = EmbeddedReadStore.open({ file: workerData.file, compactOnOpen: false });
try {
  for (let batch = 0; batch < workerData.batches; batch += 1) {
    const writes = [];
    for (let k = 0; k < workerData.batchSize; k += 1) {
      writes.push({ op: 'put', collection: workerData.collection, doc: { _id: workerData.name + '-' + batch + '-' + k, writer: workerData.name, batch } });
    }
    await store.documents.commit(writes, { name: workerData.name, position: batch });
  }
} finally {
  await store.close();
}
`,
  );
  return pathToFileURL(path.join(embedded, 'embedded-read-store.js')).href;
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { v7 as uuidv7 } from 'uuid';
import { EventStoreClosedError, StreamDeletedError, WrongExpectedRevisionError } from '../errors.js';
import type { EventMetadata, NewEvent, SubscriptionBatch } from '../event-store.port.js';
import { CHAIN_GENESIS, chainLink } from '../hmac-chain.js';
import { ReadOnlyEventStoreError, SqliteEventStore } from './sqlite-event-store.js';
import type { SqliteEventStoreOptions } from './sqlite-event-store.js';

const ADAPTER = fileURLToPath(new URL('./sqlite-event-store.ts', import.meta.url));
const WAIT_MS = 20_000;

/**
 * Lets a plain Node process or worker load the adapter's TypeScript source as it is (no build step, so
 * the code under test is exactly this file): Node 24 strips/transforms the types
 * (`--experimental-transform-types`, needed for parameter properties), and this hook maps the `.js`
 * suffixes of our relative imports back to the `.ts` files and resolves the workspace packages
 * (`@pruefpfad/*`) to their sources (the `pruefpfad-source` export condition).
 */
const TS_LOADER = `
import { registerHooks } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!context.parentURL?.endsWith('.ts')) return nextResolve(specifier, context);
    if (specifier.startsWith('.') && specifier.endsWith('.js')) {
      const candidate = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
      if (existsSync(fileURLToPath(candidate))) return nextResolve(candidate.href, context);
    }
    return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'pruefpfad-source'] });
  },
});
`;

/** The child appends 3-event commands to 8 streams concurrently, printing each acknowledged result. */
const CHILD_SCRIPT = `${TS_LOADER}
import { pathToFileURL } from 'node:url';
const [adapter, file, keyHex, mode] = process.argv.slice(2);
const { SqliteEventStore } = await import(pathToFileURL(adapter).href);
const store = await SqliteEventStore.open({ file, chainKey: Buffer.from(keyHex, 'hex') });
const metadata = {
  occurredAt: '2025-01-01T00:00:00.000Z', actor: { userId: 'child', role: 'system' }, tenant: 't',
  correlationId: crypto.randomUUID(), causationId: null, rulesVersion: 'r1',
};
const command = (writer, n) => [0, 1, 2].map((part) => ({
  id: crypto.randomUUID(), type: 'DurabilityProbe', schemaVersion: 1,
  data: { writer, command: n, part, padding: 'x'.repeat(200) }, metadata,
}));
if (mode === 'burst') {
  const streamId = process.argv[6];
  for (let n = 0; n < 4; n += 1) {
    const result = await store.append(streamId, command(0, n), { expectedRevision: 'any' });
    process.stdout.write('ack ' + streamId + ' ' + result.revision + ' ' + result.position + '\\n');
  }
  await store.close();
} else {
  const writer = async (w) => {
    const streamId = 'durability-' + w;
    for (let n = 0; ; n += 1) {
      const result = await store.append(streamId, command(w, n), { expectedRevision: n === 0 ? 'no_stream' : n * 3 - 1 });
      process.stdout.write('ack ' + streamId + ' ' + result.revision + ' ' + result.position + '\\n');
    }
  };
  await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(writer));
}
`;

/** Worker: a read-only store whose only quick wake-up is the writer's BroadcastChannel message. */
const WORKER_SCRIPT = `${TS_LOADER}
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
const { SqliteEventStore } = await import(pathToFileURL(workerData.adapter).href);
const store = await SqliteEventStore.open({
  file: workerData.file, chainKey: new Uint8Array(workerData.key), readOnly: true, pollIntervalMs: 3_600_000,
});
const subscription = store.subscribeToAll({ after: workerData.after, filter: { streamPrefixes: [workerData.prefix] } });
parentPort.on('message', () => void subscription.close());
for await (const batch of subscription) {
  if (batch.caughtUp && batch.events.length === 0) parentPort.postMessage({ ready: true });
  for (const event of batch.events) parentPort.postMessage({ id: event.id });
}
await store.close();
parentPort.postMessage({ closed: true });
`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
let files = 0;
const opened: SqliteEventStore[] = [];

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

function newFile(): string {
  files += 1;
  return path.join(root, `case-${files}`, 'events.sqlite');
}

async function openStore(
  options: Partial<SqliteEventStoreOptions> & { file: string; chainKey: Uint8Array },
): Promise<SqliteEventStore> {
  const store = await SqliteEventStore.open(options);
  opened.push(store);
  return store;
}

function metadata(): EventMetadata {
  return {
    occurredAt: '2025-03-14T09:26:53.589Z',
    actor: { userId: 'user-1', role: 'Fachaufsicht' },
    tenant: 'jc-test',
    correlationId: uuidv7(),
    causationId: null,
    rulesVersion: 'r1',
  };
}

function events(count: number, data: (index: number) => unknown = (index) => ({ index }), type = 'Probe'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: uuidv7(),
    type,
    schemaVersion: 1,
    data: data(index),
    metadata: metadata(),
  }));
}

function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A second, raw connection to the same file: what an attacker with file access could do. */
function raw(file: string, work: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(file);
  try {
    work(db);
  } finally {
    db.close();
  }
}

function writeScript(name: string, source: string): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, source);
  return file;
}

async function runChild(
  args: string[],
  onAck: (line: string[]) => boolean,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const script = writeScript(`child-${files}-${Date.now()}.mjs`, CHILD_SCRIPT);
  const child = spawn(process.execPath, ['--experimental-transform-types', '--no-warnings', script, ADAPTER, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  for await (const line of createInterface({ input: child.stdout })) {
    const parts = line.split(' ');
    if (parts[0] === 'ack' && onAck(parts)) {
      child.kill('SIGKILL');
      break;
    }
  }
  const { code, signal } = await within(exited, 'the child to exit');
  return { code, signal, stderr };
}

describe('SqliteEventStore (node:sqlite specifics)', () => {
  describe('durability settings', () => {
    it('runs in WAL mode with synchronous=FULL and secure_delete on the writer connection', async () => {
      const file = newFile();
      const store = await openStore({ file, chainKey: randomBytes(32) });
      const db = (store as unknown as { db: DatabaseSync }).db;

      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
      expect(db.prepare('PRAGMA secure_delete').get()).toEqual({ secure_delete: 1 });
    });

    it('keeps events across close and reopen and continues positions', async () => {
      const file = newFile();
      const key = randomBytes(32);
      const first = await SqliteEventStore.open({ file, chainKey: key });
      const appended = await first.append('persist-1', events(3), { expectedRevision: 'no_stream' });
      await first.close();

      const second = await openStore({ file, chainKey: key });
      expect((await second.readStream('persist-1')).map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(await second.headPosition()).toBe(appended.position);
      const next = await second.append('persist-1', events(1), { expectedRevision: 2 });
      expect(next.position).toBe(appended.position + 1);
      expect(await second.verifyStream('persist-1')).toMatchObject({ ok: true, eventsChecked: 4 });
    });
  });

  describe('group commit', () => {
    it('commits concurrent appends in one transaction (one clock reading for the batch)', async () => {
      let clockReads = 0;
      const store = await openStore({
        file: newFile(),
        chainKey: randomBytes(32),
        clock: () => {
          clockReads += 1;
          return new Date('2025-06-01T10:00:00.000Z');
        },
      });

      const results = await Promise.all(
        Array.from({ length: 32 }, (_, index) =>
          store.append(`group-${index}`, events(1), { expectedRevision: 'no_stream' }),
        ),
      );

      expect(results).toHaveLength(32);
      expect(clockReads).toBe(1);
      expect((await store.readStream('group-7'))[0]!.recordedAt).toBe('2025-06-01T10:00:00.000Z');
    });

    it('caps a batch at maxBatchSize and still commits everything in order', async () => {
      let clockReads = 0;
      const store = await openStore({
        file: newFile(),
        chainKey: randomBytes(32),
        maxBatchSize: 4,
        clock: () => {
          clockReads += 1;
          return new Date();
        },
      });

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store.append(
            'capped',
            events(1, () => ({ index })),
            { expectedRevision: 'any' },
          ),
        ),
      );

      expect(clockReads).toBe(3);
      expect(results.map((result) => result.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await store.readStream('capped')).map((event) => (event.data as { index: number }).index)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
    });

    it('checks each append of a batch against the revisions earlier appends of the batch produced', async () => {
      const store = await openStore({ file: newFile(), chainKey: randomBytes(32) });

      const [first, second, stale, third] = await Promise.allSettled([
        store.append('chain-of-appends', events(2), { expectedRevision: 'no_stream' }),
        store.append('chain-of-appends', events(1), { expectedRevision: 1 }),
        store.append('chain-of-appends', events(1), { expectedRevision: 1 }),
        store.append('chain-of-appends', events(1), { expectedRevision: 2 }),
      ]);

      expect(first).toMatchObject({ status: 'fulfilled', value: { revision: 1 } });
      expect(second).toMatchObject({ status: 'fulfilled', value: { revision: 2 } });
      expect(stale).toMatchObject({ status: 'rejected' });
      expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((stale as PromiseRejectedResult).reason).toMatchObject({ expected: 1, actual: 2 });
      expect(third).toMatchObject({ status: 'fulfilled', value: { revision: 3 } });
      expect(await store.verifyStream('chain-of-appends')).toMatchObject({ ok: true, eventsChecked: 4 });
    });

    it('rejects only the append whose statement fails; the rest of the batch commits', async () => {
      const file = newFile();
      const store = await openStore({ file, chainKey: randomBytes(32) });
      await store.append('warm-up', events(1), { expectedRevision: 'no_stream' });
      raw(file, (db) =>
        db.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.type = 'Boom'
                 BEGIN SELECT RAISE(ABORT, 'boom refused'); END`),
      );

      const [good, bad, alsoGood] = await Promise.allSettled([
        store.append('batch-good', events(2), { expectedRevision: 'no_stream' }),
        store.append('batch-bad', [...events(1), ...events(1, () => ({}), 'Boom')], { expectedRevision: 'no_stream' }),
        store.append('batch-good-2', events(1), { expectedRevision: 'no_stream' }),
      ]);

      expect(good.status).toBe('fulfilled');
      expect(alsoGood.status).toBe('fulfilled');
      expect(bad.status).toBe('rejected');
      expect(String((bad as PromiseRejectedResult).reason)).toContain('boom refused');
      expect(await store.readStream('batch-bad')).toEqual([]);
      expect(await store.streamInfo('batch-bad')).toEqual({ streamId: 'batch-bad', revision: null });
      expect(await store.readStream('batch-good')).toHaveLength(2);
      expect(await store.verifyStream('batch-good-2')).toMatchObject({ ok: true, eventsChecked: 1 });
    });

    it('rejects a lone append whose statement fails (no savepoint needed), stores nothing of it, and goes on', async () => {
      const file = newFile();
      const store = await openStore({ file, chainKey: randomBytes(32) });
      await store.append('lone', events(1), { expectedRevision: 'no_stream' });
      raw(file, (db) =>
        db.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.type = 'Boom'
                 BEGIN SELECT RAISE(ABORT, 'boom refused'); END`),
      );

      await expect(
        store.append('lone', [...events(1), ...events(1, () => ({}), 'Boom')], { expectedRevision: 0 }),
      ).rejects.toThrow('boom refused');

      expect(await store.readStream('lone')).toHaveLength(1);
      expect(await store.streamInfo('lone')).toEqual({ streamId: 'lone', revision: 0 });
      expect(await store.append('lone', events(2), { expectedRevision: 0 })).toMatchObject({ revision: 2 });
      expect(await store.verifyStream('lone')).toMatchObject({ ok: true, eventsChecked: 3 });
    });

    it('rejects every append of a batch whose transaction fails, stores nothing, and recovers', async () => {
      const file = newFile();
      const store = await openStore({ file, chainKey: randomBytes(32), busyTimeoutMs: 50 });
      const head = await store.headPosition();
      const blocker = new DatabaseSync(file);
      blocker.exec('BEGIN IMMEDIATE');
      let settled: PromiseSettledResult<unknown>[];
      try {
        settled = await Promise.allSettled([
          store.append('blocked-1', events(1), { expectedRevision: 'no_stream' }),
          store.append('blocked-2', events(2), { expectedRevision: 'any' }),
        ]);
      } finally {
        blocker.exec('ROLLBACK');
        blocker.close();
      }

      expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream('blocked-2')).toEqual([]);
      expect((await store.append('blocked-1', events(1), { expectedRevision: 'no_stream' })).revision).toBe(0);
    });

    it('answers a retried append (same event ids, same expected revision) with the original result', async () => {
      const store = await openStore({ file: newFile(), chainKey: randomBytes(32) });
      const batch = events(2);
      const original = await store.append('retry', batch, { expectedRevision: 'no_stream' });

      const retried = await store.append('retry', batch, { expectedRevision: 'no_stream' });

      expect(retried).toEqual(original);
      expect(await store.readStream('retry')).toHaveLength(2);
      await expect(store.append('retry', events(2), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
    });
  });

  describe('HMAC chain', () => {
    const key = randomBytes(32);
    let file: string;
    let store: SqliteEventStore;

    beforeEach(async () => {
      file = newFile();
      store = await openStore({ file, chainKey: key });
      await store.append(
        'chained',
        events(5, (index) => ({ index, text: `event ${index}` })),
        { expectedRevision: 'no_stream' },
      );
    });

    it('stores chain(n) = HMAC(key, chain(n-1), event n) from the genesis value', async () => {
      let previous = CHAIN_GENESIS;
      for (const event of await store.readStream('chained')) {
        const { streamId, revision, id, type, schemaVersion, data, metadata: meta } = event;
        previous = chainLink(key, previous, { streamId, revision, id, type, schemaVersion, data, metadata: meta });
        expect(event.chain).toBe(previous);
      }
    });

    it('reports changed data with its stream, revision and position', async () => {
      const target = (await store.readStream('chained'))[2]!;
      raw(file, (db) =>
        db
          .prepare('UPDATE events SET data = ? WHERE position = ?')
          .run(JSON.stringify({ index: 2, text: 'forged' }), target.position),
      );

      const verification = await store.verifyStream('chained');

      expect(verification).toMatchObject({
        streamId: 'chained',
        ok: false,
        eventsChecked: 2,
        brokenAt: { revision: 2, position: target.position },
      });
      expect(verification.brokenAt!.reason).toMatch(/chain value does not match/);
    });

    it.each([
      [
        'metadata',
        `UPDATE events SET metadata = json_set(metadata, '$.tenant', 'other') WHERE revision = 3 AND stream_id = 'chained'`,
      ],
      ['type', `UPDATE events SET type = 'Forged' WHERE revision = 3 AND stream_id = 'chained'`],
      ['schema version', `UPDATE events SET schema_version = 2 WHERE revision = 3 AND stream_id = 'chained'`],
    ])('reports a changed %s', async (_what, sql) => {
      raw(file, (db) => db.exec(sql));
      expect(await store.verifyStream('chained')).toMatchObject({
        ok: false,
        eventsChecked: 3,
        brokenAt: { revision: 3 },
      });
    });

    it('reports a removed event in the middle at the event that follows it', async () => {
      const stored = await store.readStream('chained');
      raw(file, (db) => db.prepare('DELETE FROM events WHERE position = ?').run(stored[2]!.position));

      const verification = await store.verifyStream('chained');

      expect(verification).toMatchObject({
        ok: false,
        eventsChecked: 2,
        brokenAt: { revision: 3, position: stored[3]!.position },
      });
      expect(verification.brokenAt!.reason).toMatch(/expected revision 2/);
    });

    it('reports a removed event even when the later revisions were renumbered to hide the gap', async () => {
      const stored = await store.readStream('chained');
      raw(file, (db) => {
        db.prepare('DELETE FROM events WHERE position = ?').run(stored[1]!.position);
        db.exec(`UPDATE events SET revision = -revision WHERE stream_id = 'chained' AND revision > 1`);
        db.exec(`UPDATE events SET revision = -revision - 1 WHERE stream_id = 'chained' AND revision < 0`);
      });

      expect(await store.verifyStream('chained')).toMatchObject({
        ok: false,
        eventsChecked: 1,
        brokenAt: { revision: 1, position: stored[2]!.position },
      });
    });

    it('reports a removed last event against the stream head', async () => {
      const stored = await store.readStream('chained');
      raw(file, (db) => db.prepare('DELETE FROM events WHERE position = ?').run(stored[4]!.position));

      expect(await store.verifyStream('chained')).toMatchObject({
        ok: false,
        eventsChecked: 4,
        brokenAt: { revision: 4, position: null },
      });
    });

    it('reports an inserted event', async () => {
      const stored = await store.readStream('chained');
      raw(file, (db) => {
        db.exec(`UPDATE events SET revision = revision + 100 WHERE stream_id = 'chained' AND revision >= 3`);
        db.exec(`UPDATE events SET revision = revision - 99 WHERE stream_id = 'chained' AND revision >= 100`);
        const copy = stored[2]!;
        db.prepare(
          `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, chain)
           VALUES ('chained', 3, ?, 'Probe', 1, '{"index":99}', ?, ?, ?)`,
        ).run(uuidv7(), JSON.stringify(copy.metadata), copy.recordedAt, copy.chain);
        db.exec(`UPDATE streams SET revision = 5 WHERE stream_id = 'chained'`);
      });

      expect(await store.verifyStream('chained')).toMatchObject({
        ok: false,
        eventsChecked: 3,
        brokenAt: { revision: 3 },
      });
    });

    it('detects a store opened with another key', async () => {
      const other = await openStore({ file, chainKey: randomBytes(32), readOnly: true });
      expect(await other.verifyStream('chained')).toMatchObject({
        ok: false,
        eventsChecked: 0,
        brokenAt: { revision: 0 },
      });
    });
  });

  describe('deleteStream', () => {
    it('removes the content from the database file and WAL, keeping only the stream id', async () => {
      const file = newFile();
      const store = await openStore({ file, chainKey: randomBytes(32) });
      const marker = `SECRET-${randomBytes(8).toString('hex')}`;
      await store.append('keep', events(20), { expectedRevision: 'no_stream' });
      await store.append(
        'purge-me',
        events(20, (index) => ({ index, secret: `${marker}-${index}` })),
        { expectedRevision: 'no_stream' },
      );
      await store.append('keep', events(1), { expectedRevision: 19 });
      // Move the content into the main file first, as an automatic checkpoint would have done.
      raw(file, (db) => db.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
      expect(fs.readFileSync(file).toString('latin1')).toContain(marker);

      await store.deleteStream('purge-me');

      const bytes = (name: string): string => (fs.existsSync(name) ? fs.readFileSync(name).toString('latin1') : '');
      expect(bytes(file)).not.toContain(marker);
      expect(bytes(`${file}-wal`)).not.toContain(marker);
      expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
      raw(file, (db) => {
        expect(db.prepare(`SELECT count(*) AS n FROM events WHERE stream_id = 'purge-me'`).get()).toEqual({ n: 0 });
        expect(
          db.prepare(`SELECT stream_id, revision, chain, deleted FROM streams WHERE stream_id = 'purge-me'`).get(),
        ).toEqual({
          stream_id: 'purge-me',
          revision: -1,
          chain: null,
          deleted: 1,
        });
      });
      expect(await store.verifyStream('keep')).toMatchObject({ ok: true, eventsChecked: 21 });
    });

    it('omits deleted events from readAll and never reuses their positions', async () => {
      const store = await openStore({ file: newFile(), chainKey: randomBytes(32) });
      await store.append('older', events(2), { expectedRevision: 'no_stream' });
      const newest = await store.append('newest', events(3), { expectedRevision: 'no_stream' });

      await store.deleteStream('newest');

      const page = await store.readAll({ after: 0, maxCount: 100 });
      expect(page.events.map((event) => event.streamId)).toEqual(['older', 'older']);
      expect(page.lastPosition).toBe(newest.position);
      expect(page.isEnd).toBe(true);
      expect(await store.headPosition()).toBe(newest.position);
      const after = await store.append('later', events(1), { expectedRevision: 'no_stream' });
      expect(after.position).toBe(newest.position + 1);
    });

    it('commits appends issued before the delete first, and refuses those issued after', async () => {
      const store = await openStore({ file: newFile(), chainKey: randomBytes(32) });
      const before = store.append('raced', events(2), { expectedRevision: 'no_stream' });
      const deleted = store.deleteStream('raced');
      const afterwards = store.append('raced', events(1), { expectedRevision: 'any' });

      expect((await before).revision).toBe(1);
      await deleted;
      await expect(afterwards).rejects.toBeInstanceOf(StreamDeletedError);
      expect(await store.readStream('raced')).toEqual([]);
    });
  });

  describe('readAll', () => {
    it('bounds the scan of a filtered page so lastPosition advances in steps through skipped events', async () => {
      const store = await openStore({ file: newFile(), chainKey: randomBytes(32) });
      await store.append(
        'bulk',
        events(25_000, (index) => index),
        { expectedRevision: 'no_stream' },
      );
      const head = await store.headPosition();

      const first = await store.readAll({ after: 0, maxCount: 10, filter: { eventTypes: ['Nothing'] } });
      expect(first).toEqual({ events: [], lastPosition: 20_000, isEnd: false });
      const second = await store.readAll({
        after: first.lastPosition,
        maxCount: 10,
        filter: { eventTypes: ['Nothing'] },
      });
      expect(second).toEqual({ events: [], lastPosition: head, isEnd: true });
    });

    it('treats stream prefixes literally, including LIKE wildcards and non-ASCII characters', async () => {
      const store = await openStore({ file: newFile(), chainKey: randomBytes(32) });
      for (const streamId of ['a_b-1', 'axb-1', 'a%b-1', 'prüf-1', 'pruef-1']) {
        await store.append(streamId, events(1), { expectedRevision: 'no_stream' });
      }
      const streams = async (prefix: string): Promise<string[]> =>
        (await store.readAll({ after: 0, maxCount: 100, filter: { streamPrefixes: [prefix] } })).events.map(
          (event) => event.streamId,
        );

      expect(await streams('a_b')).toEqual(['a_b-1']);
      expect(await streams('a%')).toEqual(['a%b-1']);
      expect(await streams('prüf')).toEqual(['prüf-1']);
    });
  });

  describe('read-only connections and live wake-up', () => {
    it('reads through a read-only connection and refuses writes there', async () => {
      const file = newFile();
      const key = randomBytes(32);
      const writer = await openStore({ file, chainKey: key });
      await writer.append('ro', events(2), { expectedRevision: 'no_stream' });
      const reader = await openStore({ file, chainKey: key, readOnly: true });

      expect(await reader.readStream('ro')).toHaveLength(2);
      expect(await reader.verifyStream('ro')).toMatchObject({ ok: true, eventsChecked: 2 });
      await expect(reader.append('ro', events(1), { expectedRevision: 1 })).rejects.toBeInstanceOf(
        ReadOnlyEventStoreError,
      );
      await expect(reader.deleteStream('ro')).rejects.toBeInstanceOf(ReadOnlyEventStoreError);
      expect(await writer.readStream('ro')).toHaveLength(2);
    });

    it('wakes a subscription in a worker thread through the BroadcastChannel, without waiting for a poll', async () => {
      const file = newFile();
      const key = randomBytes(32);
      const writer = await openStore({ file, chainKey: key });
      await writer.append('unrelated', events(1), { expectedRevision: 'no_stream' });
      const after = await writer.headPosition();
      const script = writeScript(`worker-${files}.mjs`, WORKER_SCRIPT);
      const worker = new Worker(script, {
        execArgv: ['--experimental-transform-types', '--no-warnings'],
        workerData: { adapter: ADAPTER, file, key: [...key], after, prefix: 'to-worker-' },
      });
      const messages: { ready?: boolean; id?: string; closed?: boolean }[] = [];
      const waiters: (() => void)[] = [];
      worker.on('message', (message: { ready?: boolean; id?: string; closed?: boolean }) => {
        messages.push(message);
        for (const wake of waiters.splice(0)) wake();
      });
      const failed = new Promise<never>((_, reject) => worker.once('error', reject));
      const until = async (condition: () => boolean, what: string): Promise<void> => {
        while (!condition()) {
          await within(Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), failed]), what);
        }
      };
      try {
        await until(() => messages.some((message) => message.ready === true), 'the worker to catch up');
        const live = events(2);
        await writer.append('to-worker-1', live, { expectedRevision: 'no_stream' });

        await until(
          () => messages.filter((message) => message.id !== undefined).length >= 2,
          'the worker to receive live events',
        );
        expect(messages.flatMap((message) => (message.id === undefined ? [] : [message.id]))).toEqual(
          live.map((event) => event.id),
        );

        worker.postMessage('close');
        await until(() => messages.some((message) => message.closed === true), 'the worker subscription to close');
      } finally {
        await worker.terminate();
      }
    });

    it('sees appends by another process by polling', async () => {
      const file = newFile();
      const key = randomBytes(32);
      const store = await openStore({ file, chainKey: key, pollIntervalMs: 20 });
      const subscription = store.subscribeToAll({ after: 0, filter: { streamPrefixes: ['from-child'] } });
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        expect(await within(iterator.next(), 'catching up')).toMatchObject({
          done: false,
          value: { events: [], caughtUp: true },
        });
        const pending = iterator.next();

        const child = await runChild([file, key.toString('hex'), 'burst', 'from-child-1'], () => false);
        expect(child).toMatchObject({ code: 0, signal: null });

        const received: SubscriptionBatch[] = [];
        let next = await within(pending, 'events appended by the child process');
        while (next.done !== true) {
          received.push(next.value);
          if (received.flatMap((batch) => batch.events).length >= 12) break;
          next = await within(iterator.next(), 'more events appended by the child process');
        }
        expect(received.flatMap((batch) => batch.events).map((event) => event.revision)).toEqual([
          0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
        ]);
      } finally {
        await subscription.close();
      }
    });
  });

  describe('crash safety', () => {
    it('keeps every acknowledged append and no half command after the writer process is killed with SIGKILL', async () => {
      const file = newFile();
      const key = randomBytes(32);
      const acknowledged = new Map<string, number>();
      let acks = 0;

      const child = await runChild([file, key.toString('hex'), 'forever'], ([, streamId, revision]) => {
        acknowledged.set(streamId!, Math.max(acknowledged.get(streamId!) ?? -1, Number(revision)));
        acks += 1;
        return acks >= 400;
      });

      expect(child.signal).toBe('SIGKILL');
      expect(acks).toBeGreaterThanOrEqual(400);
      raw(file, (db) => expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' }));
      const store = await openStore({ file, chainKey: key });
      for (const [streamId, revision] of acknowledged) {
        const stored = await store.readStream(streamId);
        expect(stored.length).toBeGreaterThan(revision);
        expect(stored.length % 3).toBe(0);
        stored.forEach((event, index) => {
          expect(event.revision).toBe(index);
          expect(event.data).toMatchObject({ command: Math.floor(index / 3), part: index % 3 });
        });
        expect(await store.verifyStream(streamId)).toMatchObject({ ok: true, eventsChecked: stored.length });
      }
      expect(acknowledged.size).toBe(8);
    });
  });

  describe('lifecycle', () => {
    it('refuses reads and subscriptions after close', async () => {
      const store = await SqliteEventStore.open({ file: newFile(), chainKey: randomBytes(32) });
      await store.close();
      await expect(store.readStream('x')).rejects.toBeInstanceOf(EventStoreClosedError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreClosedError);
      expect(() => store.subscribeToAll({ after: 0 })).toThrow(EventStoreClosedError);
      await store.close();
    });

    it('ends open subscriptions when the store closes', async () => {
      const store = await SqliteEventStore.open({ file: newFile(), chainKey: randomBytes(32) });
      const subscription = store.subscribeToAll({ after: 0 });
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ caughtUp: true });
      const pending = iterator.next();

      await store.close();

      expect(await within(pending, 'the subscription to end')).toEqual({ done: true, value: undefined });
    });
  });
});

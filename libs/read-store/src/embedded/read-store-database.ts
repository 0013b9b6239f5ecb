import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createPrivateDirectory, createPrivateFile, inWriteTransaction } from '@pruefpfad/runtime';

const SCHEMA_VERSION = 1;

/**
 * Tables are prefixed `rs_` so the read store can share a file with other embedded stores.
 *
 * `rs_meta.seq` is a global counter bumped once by every write transaction that changes documents,
 * aliases or collections; each document row carries the `seq` of the transaction that last wrote it, and
 * a delete leaves a tombstone row (`doc` NULL). That lets every connection (e.g. the HTTP thread while a
 * projection worker writes) refresh its in-memory cache by reading only rows newer than what it has seen.
 * `rs_collections.generation` changes whenever rows disappear without a tombstone (drop, compaction), which
 * tells other connections to reload the collection instead of refreshing it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS rs_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
INSERT OR IGNORE INTO rs_meta (key, value) VALUES ('seq', 0), ('schema_version', ${SCHEMA_VERSION});
CREATE TABLE IF NOT EXISTS rs_collections (name TEXT PRIMARY KEY, generation INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS rs_documents (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  doc TEXT,
  PRIMARY KEY (collection, id)
) STRICT;
CREATE INDEX IF NOT EXISTS rs_documents_by_seq ON rs_documents (collection, seq);
CREATE INDEX IF NOT EXISTS rs_documents_tombstones ON rs_documents (collection) WHERE doc IS NULL;
CREATE TABLE IF NOT EXISTS rs_aliases (alias TEXT PRIMARY KEY, physical TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS rs_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL) STRICT;
`;

/**
 * Opens (and if needed creates) the read-store file with the durability settings of the project: WAL,
 * `synchronous=FULL` (an acknowledged commit survives a power cut), `secure_delete` (deleted documents are
 * overwritten, which the retention purge relies on) and a busy timeout so that a second connection waits
 * for the write lock instead of failing.
 */
export function openReadStoreDatabase(file: string, busyTimeoutMs: number): DatabaseSync {
  if (file !== ':memory:') {
    // Private from the start: SQLite gives the -wal and -shm files it creates the database file's mode.
    createPrivateDirectory(path.dirname(path.resolve(file)));
    createPrivateFile(file);
  }
  const db = new DatabaseSync(file);
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined;
    if (file !== ':memory:' && mode?.journal_mode !== 'wal') {
      throw new Error(`read store: could not switch ${file} to WAL (journal_mode=${String(mode?.journal_mode)})`);
    }
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA secure_delete = ON');
    inWriteTransaction(db, () => {
      db.exec(SCHEMA);
      const row = db.prepare("SELECT value FROM rs_meta WHERE key = 'schema_version'").get() as { value: number };
      if (row.value > SCHEMA_VERSION) {
        throw new Error(`read store: ${file} has schema version ${row.value}, this build knows ${SCHEMA_VERSION}`);
      }
    });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** One snapshot for several statements, so a reader never combines rows from before and after a commit. */
export function inReadTransaction<T>(db: DatabaseSync, work: () => T): T {
  if (db.isTransaction) return work();
  db.exec('BEGIN');
  try {
    return work();
  } finally {
    if (db.isTransaction) db.exec('COMMIT');
  }
}

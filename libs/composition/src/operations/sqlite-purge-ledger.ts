import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createPrivateDirectory, createPrivateFile, inWriteTransaction, tightenPermissions } from '@pruefpfad/runtime';
import {
  mergeLedgerEntries,
  type PurgeLedger,
  type PurgeLedgerEntry,
  type PurgeLedgerKind,
} from './purge-ledger.port.js';

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS purge_ledger (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  tenant      TEXT NOT NULL,
  subject_id  TEXT NOT NULL,
  keys        TEXT NOT NULL,
  streams     TEXT NOT NULL,
  record      TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS purge_ledger_recorded ON purge_ledger (recorded_at, id);
`;

interface Row {
  id: string;
  kind: string;
  tenant: string;
  subject_id: string;
  keys: string;
  streams: string;
  record: string;
  recorded_at: string;
}

function toEntry(row: Row): PurgeLedgerEntry {
  return {
    id: row.id,
    kind: row.kind as PurgeLedgerKind,
    tenant: row.tenant,
    subjectId: row.subject_id,
    keys: JSON.parse(row.keys) as string[],
    streams: JSON.parse(row.streams) as string[],
    record: JSON.parse(row.record) as Record<string, unknown>,
    recordedAt: row.recorded_at,
  };
}

/**
 * The embedded purge ledger: its own `node:sqlite` file (0600 in a 0700 directory; WAL,
 * `synchronous=FULL`, so a recorded entry survives a power cut before the destruction it announces).
 * Several processes may share it (the service's reactor and the CLI): writes take `BEGIN IMMEDIATE`.
 */
export class SqlitePurgeLedger implements PurgeLedger {
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    readonly location: string,
    private readonly readOnly: boolean,
  ) {}

  /** Opens (or, unless `readOnly`, creates) the ledger file. */
  static open(options: { readonly file: string; readonly readOnly?: boolean }): SqlitePurgeLedger {
    const file = path.resolve(options.file);
    const readOnly = options.readOnly ?? false;
    if (!readOnly) {
      createPrivateDirectory(path.dirname(file));
      createPrivateFile(file);
      tightenPermissions(file);
    }
    const db = new DatabaseSync(file, { readOnly, timeout: 10_000 });
    try {
      if (!readOnly) {
        db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
        db.exec(SCHEMA_SQL);
      }
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqlitePurgeLedger(db, file, readOnly);
  }

  record(entry: PurgeLedgerEntry): Promise<PurgeLedgerEntry> {
    return this.run(() => {
      if (this.readOnly) throw new Error(`Purge ledger ${this.location} is open read-only`);
      return inWriteTransaction(this.db, () => {
        const known = this.db.prepare('SELECT * FROM purge_ledger WHERE id = ?').get(entry.id) as Row | undefined;
        const stored = known === undefined ? entry : mergeLedgerEntries(toEntry(known), entry);
        this.db
          .prepare(
            `INSERT INTO purge_ledger (id, kind, tenant, subject_id, keys, streams, record, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET keys = excluded.keys, streams = excluded.streams`,
          )
          .run(
            stored.id,
            stored.kind,
            stored.tenant,
            stored.subjectId,
            JSON.stringify(stored.keys),
            JSON.stringify(stored.streams),
            JSON.stringify(stored.record),
            stored.recordedAt,
          );
        return stored;
      });
    });
  }

  list(): Promise<readonly PurgeLedgerEntry[]> {
    return this.run(() =>
      (this.db.prepare('SELECT * FROM purge_ledger ORDER BY recorded_at, id').all() as unknown as Row[]).map(toEntry),
    );
  }

  count(): Promise<number> {
    return this.run(() => (this.db.prepare('SELECT count(*) AS n FROM purge_ledger').get() as { n: number }).n);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }

  private run<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`Purge ledger ${this.location} is closed`));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

import { createSecretKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import type { IdGenerator } from '@pruefpfad/application';
import {
  CHAIN_GENESIS,
  chainLink,
  EVENT_COLUMNS,
  type EventRow,
  type NewEvent,
  SCHEMA_SQL,
} from '@pruefpfad/event-store';
import type { Progress } from './bench-report.js';

/**
 * Baselines: what `node:sqlite` alone does on this machine with the adapter's own schema and file
 * settings, on the same rows (production-shaped events serialised exactly as the adapter stores them).
 * Rows are prepared before the clock starts, so these rates are SQLite plus the binding, nothing else.
 */
export type Synchronous = 'FULL' | 'NORMAL';

export type RawRow = readonly [
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  recordedAt: string,
  chain: string,
];

export interface RawTemplate {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
  readonly chain: string;
}

/** Serialises decided events like the adapter (JSON.stringify of data and metadata, HMAC chain per stream). */
export function rawTemplates(streams: readonly (readonly NewEvent[])[], chainKey: Uint8Array): RawTemplate[] {
  const key = createSecretKey(chainKey);
  const templates: RawTemplate[] = [];
  for (const [index, events] of streams.entries()) {
    let chain = CHAIN_GENESIS;
    for (const [revision, event] of events.entries()) {
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      chain = chainLink(key, chain, {
        streamId: `review-template-${index}`,
        revision,
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: JSON.parse(data),
        metadata: JSON.parse(metadata),
      });
      templates.push({ type: event.type, schemaVersion: event.schemaVersion, data, metadata, chain });
    }
  }
  return templates;
}

/** `count` rows cycling through the templates, `perStream` per fresh stream id, each with its own event id. */
export function rawRows(
  templates: readonly RawTemplate[],
  count: number,
  ids: IdGenerator,
  perStream: number,
): RawRow[] {
  const rows: RawRow[] = [];
  const recordedAt = new Date().toISOString();
  let streamId = '';
  for (let index = 0; index < count; index += 1) {
    const revision = index % perStream;
    if (revision === 0) streamId = `review-${ids.next()}`;
    const template = templates[index % templates.length]!;
    rows.push([
      streamId,
      revision,
      ids.next(),
      template.type,
      template.schemaVersion,
      template.data,
      template.metadata,
      recordedAt,
      template.chain,
    ]);
  }
  return rows;
}

/** A file with the adapter's schema and its settings (WAL, secure_delete), at the given `synchronous`. */
export function openRawDatabase(file: string, synchronous: Synchronous): DatabaseSync {
  const db = new DatabaseSync(file, { timeout: 5000 });
  const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string } | undefined;
  if (mode?.journal_mode !== 'wal') throw new Error(`raw bench: WAL refused (${mode?.journal_mode})`);
  db.exec(`PRAGMA synchronous = ${synchronous}; PRAGMA secure_delete = ON;`);
  db.exec(SCHEMA_SQL);
  return db;
}

function insertStatement(db: DatabaseSync) {
  return db.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, chain)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
}

/** Appends `rows` with `perTransaction` INSERTs per `BEGIN IMMEDIATE … COMMIT`; returns the wall time (ms). */
export function rawAppends(
  db: DatabaseSync,
  rows: readonly RawRow[],
  perTransaction: number,
  progress?: Progress,
): number {
  const insert = insertStatement(db);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const started = performance.now();
  for (let index = 0; index < rows.length; index += perTransaction) {
    begin.run();
    const end = Math.min(rows.length, index + perTransaction);
    for (let at = index; at < end; at += 1) insert.run(...rows[at]!);
    commit.run();
    progress?.update(end, rows.length);
  }
  return performance.now() - started;
}

export interface ReadResult {
  readonly rows: number;
  readonly ms: number;
  /** Bytes of `data` + `metadata` text read. */
  readonly payloadChars: number;
}

/**
 * Reads every event in position order with keyset pagination (`position > last`, `pageSize` per page) on
 * a read-only connection and parses `data` and `metadata`, as any reader of the store must.
 */
export function rawPagedRead(file: string, pageSize: number, progress?: Progress, total = 0): ReadResult {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const page = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`, {
      returnArrays: true,
    });
    let after = 0;
    let rows = 0;
    let payloadChars = 0;
    let sink = 0;
    const started = performance.now();
    for (;;) {
      const batch = page.all(after, pageSize) as unknown as EventRow[];
      if (batch.length === 0) break;
      for (const row of batch) {
        const data = JSON.parse(row[6]) as Record<string, unknown>;
        const metadata = JSON.parse(row[7]) as Record<string, unknown>;
        // Touch the parsed values so the work cannot be optimised away.
        if (data !== null && metadata !== null) sink += 1;
        payloadChars += row[6].length + row[7].length;
      }
      rows += batch.length;
      after = batch[batch.length - 1]![0];
      progress?.update(rows, total);
    }
    const ms = performance.now() - started;
    if (sink !== rows) throw new Error('raw read: parse count mismatch');
    return { rows, ms, payloadChars };
  } finally {
    db.close();
  }
}

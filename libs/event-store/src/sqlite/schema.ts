/**
 * Schema of the embedded event store. `position` is the rowid with AUTOINCREMENT, so a position is
 * never handed out twice even after the newest events were deleted (a plain rowid would reuse it and a
 * projection checkpoint would silently skip the new event). The `streams` table makes expected-revision
 * checks one primary-key lookup and remembers deleted streams (id only) so appends to them fail.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id      TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  event_id       TEXT    NOT NULL,
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL,
  chain          TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT    PRIMARY KEY,
  revision  INTEGER NOT NULL,
  chain     TEXT,
  deleted   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
`;

/** Column order of every event read; rows come back as arrays (no per-row key objects). */
export const EVENT_COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at, chain';

export type EventRow = [
  position: number,
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

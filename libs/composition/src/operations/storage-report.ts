import fs from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { AppConfig } from '@pruefpfad/application';
import { embeddedFiles } from '../infrastructure.js';
import type { Infrastructure } from '../infrastructure.types.js';
import { purgeLedgerFile } from './open-purge-ledger.js';
import type { OplogWindow } from './mongo-oplog-window.js';
import type { PurgeLedger } from './purge-ledger.port.js';

export interface StoredFileState {
  readonly role: 'events' | 'read-models' | 'keys' | 'purge-ledger';
  readonly file: string;
  readonly bytes: number;
  /** Bytes in the write-ahead log (0 once a purge's TRUNCATE checkpoint went through). */
  readonly walBytes: number;
  readonly pageSize: number;
  readonly pageCount: number;
  /** Free pages: with secure_delete they were zeroed when freed; VACUUM would only give the space back. */
  readonly freelistPages: number;
}

export interface StorageReport {
  readonly mode: 'embedded' | 'server';
  readonly ledger: { readonly location: string; readonly entries: number };
  /** Streams the ledger names as purged; those still deleted-but-readable through `readAll`. */
  readonly purgedStreams: {
    readonly total: number;
    readonly stillExisting: readonly string[];
    readonly stillReadable: readonly { readonly streamId: string; readonly events: number }[];
    readonly storeReturnsDeletedEvents: boolean;
  };
  /** Keys the ledger names as destroyed: tombstone there, key material gone. */
  readonly keys: {
    readonly total: number;
    readonly destroyed: number;
    readonly stillPresent: readonly string[];
    readonly withoutTombstone: readonly string[];
  };
  readonly files: readonly StoredFileState[];
  readonly oplog: OplogWindow | { readonly error: string } | null;
}

export interface StorageReportOptions {
  readonly onProgress?: (position: number, head: number) => void;
  /** Server mode: reads the oplog window (default: `local.oplog.rs` of MONGODB_URI, driver loaded then). */
  readonly oplogWindow?: () => Promise<OplogWindow>;
}

/**
 * What is still physically present of what retention destroyed: per the purge ledger, which purged streams
 * the event store still returns through `readAll` (KurrentDB does until a scavenge; the embedded store
 * never), which destroyed keys still have key material or lack their tombstone, the embedded files' WAL
 * and free pages, and MongoDB's oplog window. Reads only; may run beside the service.
 */
export async function storageReport(
  config: AppConfig,
  infrastructure: Infrastructure,
  ledger: PurgeLedger | null,
  options: StorageReportOptions = {},
): Promise<StorageReport> {
  const entries = ledger === null ? [] : await ledger.list();
  const purged = new Set(entries.flatMap((entry) => entry.streams));
  const stillExisting: string[] = [];
  for (const streamId of purged)
    if ((await infrastructure.eventStore.streamInfo(streamId)).revision !== null) stillExisting.push(streamId);

  const readable = new Map<string, number>();
  if (purged.size > 0) {
    const head = await infrastructure.eventStore.headPosition();
    for (let after = 0; ;) {
      const page = await infrastructure.eventStore.readAll({ after, maxCount: 1000 });
      for (const event of page.events)
        if (purged.has(event.streamId)) readable.set(event.streamId, (readable.get(event.streamId) ?? 0) + 1);
      after = page.lastPosition;
      options.onProgress?.(after, head);
      if (page.isEnd) break;
    }
  }

  const keyIds = [...new Set(entries.flatMap((entry) => entry.keys))];
  const stillPresent: string[] = [];
  const withoutTombstone: string[] = [];
  for (const keyId of keyIds) {
    if ((await infrastructure.keyStore.get(keyId)) !== null) stillPresent.push(keyId);
    if (!(await infrastructure.keyStore.isDestroyed(keyId))) withoutTombstone.push(keyId);
  }

  let oplog: StorageReport['oplog'] = null;
  if (config.stores.kind === 'server') {
    const { mongodbUri } = config.stores;
    try {
      oplog = await (
        options.oplogWindow ?? (async () => (await import('./mongo-oplog-window.js')).mongoOplogWindow(mongodbUri))
      )();
    } catch (error) {
      oplog = { error: error instanceof Error ? error.message : String(error) };
    }
  }

  return {
    mode: infrastructure.mode,
    ledger: { location: ledger?.location ?? purgeLedgerFile(config), entries: entries.length },
    purgedStreams: {
      total: purged.size,
      stillExisting,
      stillReadable: [...readable].map(([streamId, events]) => ({ streamId, events })),
      storeReturnsDeletedEvents: infrastructure.eventStore.returnsDeletedEvents,
    },
    keys: {
      total: keyIds.length,
      destroyed: keyIds.length - stillPresent.length,
      stillPresent,
      withoutTombstone,
    },
    files: config.stores.kind === 'embedded' ? embeddedFileStates(config) : [],
    oplog,
  };
}

/** Page and WAL state of the embedded files, read through read-only connections. */
export function embeddedFileStates(config: Pick<AppConfig, 'dataDir' | 'keyDir'>): StoredFileState[] {
  const files = embeddedFiles(config);
  const roles: [StoredFileState['role'], string][] = [
    ['events', files.events],
    ['read-models', files.readModels],
    ['keys', files.keys],
    ['purge-ledger', purgeLedgerFile(config)],
  ];
  return roles
    .filter(([, file]) => fs.existsSync(file))
    .map(([role, file]) => {
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        const pragma = (name: string): number => Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0] as number;
        return {
          role,
          file,
          bytes: fs.statSync(file).size,
          walBytes: fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0,
          pageSize: pragma('page_size'),
          pageCount: pragma('page_count'),
          freelistPages: pragma('freelist_count'),
        };
      } finally {
        db.close();
      }
    });
}

import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AppConfig } from '@pruefpfad/application';
import { createPrivateDirectory } from '@pruefpfad/runtime';
import { embeddedFiles } from '../infrastructure.js';
import { type BackupKind, type BackupManifest, type ManifestFile, writeManifest } from './backup-manifest.js';
import { purgeLedgerFile } from './open-purge-ledger.js';
import { backupSqliteFile, type PageProgress } from './sqlite-file-backup.js';

/** Default lives: keys shorter than events, so a destroyed key leaves every backup first (see README). */
export const DEFAULT_EVENT_BACKUP_DAYS = 30;
export const DEFAULT_KEY_BACKUP_DAYS = 7;

export interface BackupOptions {
  /** Parent directory; the backup goes to `<to>/pruefpfad-<kind>-<timestamp>/` (0700). */
  readonly to: string;
  readonly now: () => Date;
  readonly keepDays?: number;
  readonly onProgress?: (progress: PageProgress) => void;
}

export interface BackupResult {
  readonly dir: string;
  readonly manifest: BackupManifest;
}

export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}

const stamp = (date: Date): string =>
  date
    .toISOString()
    .replaceAll(':', '')
    .replace(/\.\d+Z$/, 'Z');

function newBackupDir(parent: string, kind: BackupKind, now: Date): string {
  createPrivateDirectory(parent);
  const dir = path.join(path.resolve(parent), `pruefpfad-${kind}-${stamp(now)}`);
  if (fs.existsSync(dir)) throw new BackupRefusedError(`${dir} existiert schon / already exists`);
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  return dir;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const addDays = (date: Date, days: number): string => new Date(date.getTime() + days * 86_400_000).toISOString();

/**
 * The embedded event backup: the read store first, then the event store, then a copy of the purge ledger,
 * each with SQLite's online backup API from its own connection (the service keeps running), then the
 * manifest. The read store goes first so that its checkpoints are never ahead of the events in the same
 * backup (a checkpoint beyond the restored store's head would make projections and reactors skip the
 * events written after a restore). No key ever goes into this directory.
 */
export async function backupEmbeddedEvents(config: AppConfig, options: BackupOptions): Promise<BackupResult> {
  if (config.stores.kind !== 'embedded')
    throw new BackupRefusedError(
      'Im Servermodus sichern KurrentDB und MongoDB selbst (siehe README) / in server mode back up KurrentDB and MongoDB with their own tools (see README)',
    );
  if (isInside(options.to, config.keyDir) || isInside(config.keyDir, options.to))
    throw new BackupRefusedError(
      'Ereignissicherung nicht im oder über dem Schlüsselverzeichnis / event backup not in or above the key directory',
    );
  const files = embeddedFiles(config);
  if (!fs.existsSync(files.events))
    throw new BackupRefusedError(`Kein Event-Store unter / no event store at ${files.events}`);
  const started = options.now();
  const dir = newBackupDir(options.to, 'events', started);
  const copied: ManifestFile[] = [];
  if (fs.existsSync(files.readModels))
    copied.push({
      role: 'read-models',
      ...(await backupSqliteFile(files.readModels, dir, 'read-models.sqlite', options.onProgress)),
    });
  copied.push({ role: 'events', ...(await backupSqliteFile(files.events, dir, 'events.sqlite', options.onProgress)) });
  const ledgerEntries = await copyLedger(config, dir, copied, options.onProgress);
  const manifest: BackupManifest = {
    format: 'pruefpfad-backup',
    version: 1,
    kind: 'events',
    startedAt: started.toISOString(),
    finishedAt: options.now().toISOString(),
    files: copied,
    positions: {
      eventsHead: eventsHead(path.join(dir, 'events.sqlite')),
      checkpoints: copied.some((file) => file.role === 'read-models')
        ? checkpoints(path.join(dir, 'read-models.sqlite'))
        : {},
    },
    ledgerEntries,
    keys: null,
    keepUntil: addDays(started, options.keepDays ?? DEFAULT_EVENT_BACKUP_DAYS),
  };
  writeManifest(dir, manifest);
  return { dir, manifest };
}

/**
 * The key backup, to its own target (another medium, another rotation): the key store (wrapped keys and
 * tombstones; the master key is NOT in it and must be kept elsewhere), a copy of the purge ledger, the
 * manifest. The key file is read through a read-only connection: the key store itself is not touched.
 */
export async function backupEmbeddedKeys(config: AppConfig, options: BackupOptions): Promise<BackupResult> {
  if (config.stores.kind !== 'embedded')
    throw new BackupRefusedError(
      'Im Servermodus die Schlüsseldatenbank mit mongodump sichern (siehe README) / in server mode back up the key database with mongodump (see README)',
    );
  if (isInside(options.to, config.dataDir) || isInside(config.dataDir, options.to))
    throw new BackupRefusedError(
      'Schlüsselsicherung nicht im oder über dem Datenverzeichnis / key backup not in or above the data directory',
    );
  const files = embeddedFiles(config);
  if (!fs.existsSync(files.keys))
    throw new BackupRefusedError(`Kein Schlüsselspeicher unter / no key store at ${files.keys}`);
  const started = options.now();
  const dir = newBackupDir(options.to, 'keys', started);
  const copied: ManifestFile[] = [
    { role: 'keys', ...(await backupSqliteFile(files.keys, dir, 'keys.sqlite', options.onProgress)) },
  ];
  const ledgerEntries = await copyLedger(config, dir, copied, options.onProgress);
  const manifest: BackupManifest = {
    format: 'pruefpfad-backup',
    version: 1,
    kind: 'keys',
    startedAt: started.toISOString(),
    finishedAt: options.now().toISOString(),
    files: copied,
    positions: { eventsHead: null, checkpoints: {} },
    ledgerEntries,
    keys: keyCounts(path.join(dir, 'keys.sqlite')),
    keepUntil: addDays(started, options.keepDays ?? DEFAULT_KEY_BACKUP_DAYS),
  };
  writeManifest(dir, manifest);
  return { dir, manifest };
}

async function copyLedger(
  config: AppConfig,
  dir: string,
  copied: ManifestFile[],
  onProgress: BackupOptions['onProgress'],
): Promise<number> {
  const ledger = purgeLedgerFile(config);
  if (!fs.existsSync(ledger)) return 0;
  const file = await backupSqliteFile(ledger, dir, 'purge-ledger.sqlite', onProgress);
  copied.push({ role: 'purge-ledger', ...file });
  return count(path.join(dir, file.name), 'SELECT count(*) AS n FROM purge_ledger');
}

function withCopy<T>(file: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function count(file: string, sql: string): number {
  return withCopy(file, (db) => (db.prepare(sql).get() as { n: number }).n);
}

function eventsHead(file: string): number {
  return count(file, 'SELECT coalesce(max(position), 0) AS n FROM events');
}

function checkpoints(file: string): Record<string, number> {
  return withCopy(file, (db) => {
    const rows = db.prepare('SELECT name, position FROM rs_checkpoints ORDER BY name').all() as {
      name: string;
      position: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.name, row.position]));
  });
}

/** Counts for the manifest; null when the key store's tables are not the ones known here. */
function keyCounts(file: string): { live: number; destroyed: number } | null {
  try {
    return {
      live: count(file, 'SELECT count(*) AS n FROM data_keys'),
      destroyed: count(file, 'SELECT count(*) AS n FROM destroyed_keys'),
    };
  } catch {
    return null;
  }
}

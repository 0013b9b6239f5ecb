import fs from 'node:fs';
import path from 'node:path';
import { createPrivateFile } from '@pruefpfad/runtime';
import { type CopiedFile, fsyncFile, hashFile } from './sqlite-file-backup.js';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'pruefpfad-backup';

/** What a backup directory holds: `events` (event and read store), `keys` (the key store, kept apart). */
export type BackupKind = 'events' | 'keys';

/** Roles of the files, so restore knows where each goes. */
export type BackupFileRole = 'events' | 'read-models' | 'keys' | 'purge-ledger';

export interface ManifestFile extends CopiedFile {
  readonly role: BackupFileRole;
}

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: 1;
  readonly kind: BackupKind;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly files: readonly ManifestFile[];
  /** Event backups: the newest event position in the copy, and the read store's checkpoints. */
  readonly positions: {
    readonly eventsHead: number | null;
    readonly checkpoints: Readonly<Record<string, number>>;
  };
  /** Entries of the purge ledger copy kept with the backup (restore uses the union with the live one). */
  readonly ledgerEntries: number;
  /** Key backups: number of live keys and tombstones in the copy. */
  readonly keys: { readonly live: number; readonly destroyed: number } | null;
  /** Until when this backup may be kept (the operator's rotation must delete it then). */
  readonly keepUntil: string;
}

/** Writes the manifest LAST, atomically: a backup directory without one is unfinished and never restored. */
export function writeManifest(dir: string, manifest: BackupManifest): void {
  const file = path.join(dir, MANIFEST_FILE);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  createPrivateFile(partial);
  fs.writeFileSync(partial, `${JSON.stringify(manifest, null, 2)}\n`);
  fsyncFile(partial);
  fs.renameSync(partial, file);
  fsyncFile(dir);
}

export class BackupInvalidError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`Sicherung ${dir} unbrauchbar / backup unusable: ${reason}`);
    this.name = 'BackupInvalidError';
  }
}

/**
 * Reads a backup's manifest and checks every file it names against its size and SHA-256. Refuses a
 * directory without a manifest (a backup that did not finish), of another kind, or with a changed file.
 */
export function readVerifiedManifest(dir: string, kind: BackupKind): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file))
    throw new BackupInvalidError(
      dir,
      'kein manifest.json – die Sicherung wurde nicht fertig / no manifest.json – the backup did not finish',
    );
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1)
    throw new BackupInvalidError(dir, `unbekanntes Format / unknown format ${String(manifest.format)}`);
  if (manifest.kind !== kind)
    throw new BackupInvalidError(
      dir,
      `enthält ${manifest.kind}, erwartet ${kind} / holds ${manifest.kind}, expected ${kind}`,
    );
  for (const entry of manifest.files) {
    const copy = path.join(dir, entry.name);
    if (!fs.existsSync(copy)) throw new BackupInvalidError(dir, `${entry.name} fehlt / is missing`);
    const { bytes, sha256 } = hashFile(copy);
    if (bytes !== entry.bytes || sha256 !== entry.sha256)
      throw new BackupInvalidError(dir, `${entry.name}: Prüfsumme falsch / checksum mismatch`);
  }
  return manifest;
}

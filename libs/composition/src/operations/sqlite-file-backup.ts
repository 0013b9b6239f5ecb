import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { createPrivateFile, PRIVATE_FILE_MODE } from '@pruefpfad/runtime';

export interface PageProgress {
  readonly file: string;
  readonly totalPages: number;
  readonly remainingPages: number;
}

export interface CopiedFile {
  /** File name inside the backup directory. */
  readonly name: string;
  readonly bytes: number;
  readonly pages: number;
  readonly sha256: string;
}

/** Pages per backup step: about 4 MiB with SQLite's default 4 KiB pages, so progress moves visibly. */
const PAGES_PER_STEP = 1024;

/**
 * An online, consistent copy of one SQLite database with SQLite's backup API (`backup()` of `node:sqlite`),
 * never a file copy (which could catch the database file and its WAL at different moments).
 *
 * The backup works from its own read-only connection, which opens a read transaction first: in WAL mode
 * that pins one snapshot, so the service's writers go on (readers never block writers) and the copy is
 * that snapshot, page by page. Without the pinned snapshot, SQLite restarts a backup whenever another
 * connection writes, and under steady writes it would never finish.
 *
 * The target is created 0600 before SQLite writes to it, switched to a rollback journal (a standalone file
 * without -wal/-shm companions), checked (`quick_check`), fsynced and hashed. It is written under a
 * `.partial` name and renamed at the end, so a half-written file never carries the final name.
 */
export async function backupSqliteFile(
  source: string,
  targetDir: string,
  name: string,
  onProgress?: (progress: PageProgress) => void,
): Promise<CopiedFile> {
  const target = path.join(targetDir, name);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  createPrivateFile(partial);
  const db = new DatabaseSync(source, { readOnly: true, timeout: 10_000 });
  let pages: number;
  try {
    db.exec('BEGIN');
    // The first read takes the snapshot the whole copy is made of.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    pages = await backup(db, partial, {
      rate: PAGES_PER_STEP,
      progress: ({ totalPages, remainingPages }) => onProgress?.({ file: name, totalPages, remainingPages }),
    });
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  // SQLite reports between steps only; a database smaller than one step would show no progress at all.
  onProgress?.({ file: name, totalPages: pages, remainingPages: 0 });
  const copy = new DatabaseSync(partial);
  try {
    copy.exec('PRAGMA journal_mode = DELETE');
    const check = copy.prepare('PRAGMA quick_check').get() as { quick_check: string };
    if (check.quick_check !== 'ok') throw new Error(`Backup ${partial}: quick_check ${check.quick_check}`);
  } finally {
    copy.close();
  }
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${partial}${suffix}`, { force: true });
  fs.chmodSync(partial, PRIVATE_FILE_MODE);
  fsyncFile(partial);
  fs.renameSync(partial, target);
  fsyncFile(targetDir);
  const { bytes, sha256 } = hashFile(target);
  return { name, bytes, pages, sha256 };
}

export function hashFile(file: string): { readonly bytes: number; readonly sha256: string } {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      bytes += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Flushes a file or directory to disk (a rename is durable only once its directory is). */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether another connection (this process or another) has the database open: an exclusive lock cannot be
 * had while one does. The probe opens no transaction that writes; a database that does not exist is free.
 */
export function sqliteFileInUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const probe = new DatabaseSync(file, { timeout: 0 });
  try {
    probe.exec('PRAGMA locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('COMMIT');
    return false;
  } catch (error) {
    if (/locked|busy/i.test((error as Error).message)) return true;
    throw error;
  } finally {
    probe.close();
  }
}

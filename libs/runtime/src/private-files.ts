import fs from 'node:fs';
import path from 'node:path';

/**
 * The stores' files hold staff ids, pseudonyms, the organisation and wrapped keys: only the user the
 * service runs as may read them. Directories are 0700 and files 0600, set with chmod after creation so
 * that no umask decides it. POSIX permission bits mean nothing on Windows; there the directory's ACL is
 * the operator's job, and these functions only create.
 */
export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const GROUP_AND_OTHERS = 0o077;

/** SQLite keeps a database in up to four files; it gives the journal, WAL and shared-memory files the main file's mode. */
export const SQLITE_FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;

/** Where a tightened permission is reported; by default a process warning (never silent). */
export type PermissionWarning = (message: string) => void;

const posix = process.platform !== 'win32';

export const warnProcess: PermissionWarning = (message) => process.emitWarning(message, 'PermissionWarning');

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Creates `dir` and any missing parents 0700. A directory that already exists is left as it is (it may
 * be shared, e.g. the system's temporary directory): `securePrivateDirectory` tightens the service's own.
 */
export function createPrivateDirectory(dir: string): void {
  const target = path.resolve(dir);
  const first = fs.mkdirSync(target, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (first === undefined || !posix) return;
  // Every directory from the first one created down to `dir` is new and ours.
  for (let current = target; ; current = path.dirname(current)) {
    fs.chmodSync(current, PRIVATE_DIRECTORY_MODE);
    if (current === first || path.dirname(current) === current) break;
  }
}

/**
 * Creates `file` empty with mode 0600 unless it exists. Used before SQLite opens a database, so that the
 * database and the -wal and -shm files SQLite creates beside it are private from the start.
 */
export function createPrivateFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    if (posix) fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Takes group and others' access from an existing file (to 0600) or directory (to 0700) and reports it;
 * a missing path is fine. Returns whether anything changed.
 */
export function tightenPermissions(target: string, warn: PermissionWarning = warnProcess): boolean {
  if (!posix) return false;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
  if ((stat.mode & GROUP_AND_OTHERS) === 0) return false;
  const mode = stat.isDirectory() ? PRIVATE_DIRECTORY_MODE : PRIVATE_FILE_MODE;
  try {
    fs.chmodSync(target, mode);
  } catch (error) {
    throw new Error(
      `${target} hat die Rechte ${octal(stat.mode)} und lässt sich nicht auf ${octal(mode)} setzen (gehört es einem anderen Benutzer?) / ` +
        `${target} has mode ${octal(stat.mode)} and cannot be set to ${octal(mode)} (owned by another user?): ${(error as Error).message}`,
    );
  }
  warn(
    `${target} war für Gruppe oder andere zugänglich (${octal(stat.mode)}) und ist jetzt ${octal(mode)} / ` +
      `${target} was accessible to group or others (${octal(stat.mode)}) and is now ${octal(mode)}`,
  );
  return true;
}

/**
 * The start-up check of one of the service's own directories (data, keys): creates it 0700 if missing,
 * and tightens it and each named SQLite database (with its -wal, -shm and -journal files) that group or
 * others can reach, with a warning each. Only named files are touched, so a directory configured by
 * mistake (a home directory) loses no permission on anything else. Secrets (master key, signing secret)
 * are not named here: their loaders refuse to start on loose permissions, because a secret others could
 * read must be replaced, not just hidden.
 */
export function securePrivateDirectory(
  dir: string,
  databases: readonly string[],
  warn: PermissionWarning = warnProcess,
): void {
  createPrivateDirectory(dir);
  tightenPermissions(dir, warn);
  for (const database of databases)
    for (const suffix of SQLITE_FILE_SUFFIXES) tightenPermissions(path.join(dir, `${database}${suffix}`), warn);
}

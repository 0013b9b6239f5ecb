import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPrivateDirectory } from '@pruefpfad/runtime';
import { MasterKeyError } from './errors.js';

/**
 * The master key wraps every data key in the key store. Sources, in order:
 * 1. `PRUEFPFAD_MASTER_KEY` (base64 or base64url of 32 random bytes), checked for obvious weakness;
 * 2. `<keyDir>/master.key` (the same text), which must be readable by its owner only;
 * 3. development and test only: 32 fresh random bytes written to `<keyDir>/master.key` on first start.
 * Production never generates a key: a key created silently on a server would be missing from every
 * backup, and losing it shreds all personal data at once. An operator-provided file is accepted there.
 */
export const MASTER_KEY_ENV = 'PRUEFPFAD_MASTER_KEY';
export const MASTER_KEY_FILE_NAME = 'master.key';
/** The new key of a rotation (`rotate-master-key`), read by the rotating command only. */
export const MASTER_KEY_NEXT_ENV = 'PRUEFPFAD_MASTER_KEY_NEXT';
export const MASTER_KEY_NEXT_FILE_NAME = 'master.key.next';
export const MASTER_KEY_BYTES = 32;

export type RuntimeEnvironment = 'development' | 'production' | 'test';

export interface LoadMasterKeyOptions {
  /** Directory of `master.key`; created with mode 0700 when a key is generated. */
  readonly keyDir: string;
  readonly environment: RuntimeEnvironment;
  /** The value of `PRUEFPFAD_MASTER_KEY`; empty or blank counts as not set. */
  readonly envValue?: string | undefined;
}

export interface LoadedMasterKey {
  /** 32 bytes. */
  readonly key: Uint8Array;
  /** `generated` tells the caller to log where the new key lives and that it must be backed up. */
  readonly source: 'environment' | 'file' | 'generated';
  /** The key file, or null when the key came from the environment. */
  readonly file: string | null;
}

const GENERATE_HINT_DE = 'Erzeugen z. B. mit: openssl rand -base64 32';
const GENERATE_HINT_EN = 'Generate one e.g. with: openssl rand -base64 32';

export function loadOrCreateMasterKey(options: LoadMasterKeyOptions): LoadedMasterKey {
  const envValue = options.envValue?.trim() ?? '';
  if (envValue.length > 0) {
    return {
      key: parseMasterKey(envValue, `Umgebungsvariable ${MASTER_KEY_ENV}`, `environment variable ${MASTER_KEY_ENV}`),
      source: 'environment',
      file: null,
    };
  }
  const keyDir = path.resolve(options.keyDir);
  const file = path.join(keyDir, MASTER_KEY_FILE_NAME);
  const existing = readKeyFile(keyDir, file);
  if (existing !== null) return { key: existing, source: 'file', file };
  if (options.environment === 'production') {
    throw new MasterKeyError(
      'MASTER_KEY_MISSING',
      `Kein Master-Schlüssel: In Produktion muss ${MASTER_KEY_ENV} (Base64, 32 Byte) gesetzt sein oder ${file} (Rechte 0600) existieren; ` +
        `ein Schlüssel wird in Produktion nie automatisch erzeugt. Er gehört in eine eigene Sicherung. ${GENERATE_HINT_DE}`,
      `No master key: in production set ${MASTER_KEY_ENV} (base64 of 32 bytes) or provide ${file} (mode 0600); ` +
        `production never generates a key. Back it up separately. ${GENERATE_HINT_EN}`,
    );
  }
  const created = generateKeyFile(keyDir, file);
  // Another process may have won the race to create the file: its key is the one to use.
  if (created) return { key: readKeyFile(keyDir, file) ?? unreachable(file), source: 'generated', file };
  return { key: readKeyFile(keyDir, file) ?? unreachable(file), source: 'file', file };
}

export interface LoadedNextMasterKey {
  readonly key: Uint8Array;
  readonly source: 'environment' | 'file';
  /** `<keyDir>/master.key.next`, or null when the key came from the environment. */
  readonly file: string | null;
}

/**
 * The new master key of a rotation: `PRUEFPFAD_MASTER_KEY_NEXT`, else `<keyDir>/master.key.next` (mode
 * 0600 in a 0700 directory, like `master.key`), else null. Never generated: the operator creates it and
 * backs it up before the rotation, since the rotation makes it the only key that opens the store.
 */
export function loadNextMasterKey(options: {
  keyDir: string;
  envValue?: string | undefined;
}): LoadedNextMasterKey | null {
  const envValue = options.envValue?.trim() ?? '';
  if (envValue.length > 0) {
    return {
      key: parseMasterKey(
        envValue,
        `Umgebungsvariable ${MASTER_KEY_NEXT_ENV}`,
        `environment variable ${MASTER_KEY_NEXT_ENV}`,
      ),
      source: 'environment',
      file: null,
    };
  }
  const keyDir = path.resolve(options.keyDir);
  const file = path.join(keyDir, MASTER_KEY_NEXT_FILE_NAME);
  const key = readKeyFile(keyDir, file);
  return key === null ? null : { key, source: 'file', file };
}

/**
 * After a rotation finished with file-held keys: `master.key.next` atomically replaces `master.key`
 * (rename, then fsync of the directory), so the old key leaves the disk and the next start reads the new
 * one. The new file's content is checked first; a missing `master.key.next` is an error.
 */
export function promoteNextMasterKeyFile(keyDir: string): string {
  const dir = path.resolve(keyDir);
  const next = path.join(dir, MASTER_KEY_NEXT_FILE_NAME);
  const target = path.join(dir, MASTER_KEY_FILE_NAME);
  if (readKeyFile(dir, next) === null) {
    throw new MasterKeyError(
      'MASTER_KEY_MISSING',
      `${next} fehlt; der neue Master-Schlüssel kann nicht an die Stelle von ${target} treten.`,
      `${next} is missing; the new master key cannot replace ${target}.`,
    );
  }
  fs.renameSync(next, target);
  fsyncDirectory(dir);
  return target;
}

/** A new key as the text `PRUEFPFAD_MASTER_KEY` and `master.key` expect (for operator tooling). */
export function generateMasterKeyText(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

/**
 * Decodes and checks a master key. `originDe`/`originEn` name where it came from (never its value).
 */
export function parseMasterKey(text: string, originDe: string, originEn: string): Uint8Array {
  const trimmed = text.trim();
  const standard = trimmed.replace(/-/gu, '+').replace(/_/gu, '/');
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/u.test(standard) ? Buffer.from(standard, 'base64') : null;
  // Buffer.from skips characters it does not understand; re-encoding proves nothing was skipped.
  if (bytes === null || bytes.toString('base64').replace(/=+$/u, '') !== standard.replace(/=+$/u, '')) {
    throw new MasterKeyError(
      'MASTER_KEY_INVALID',
      `Master-Schlüssel aus ${originDe} ist kein gültiges Base64. ${GENERATE_HINT_DE}`,
      `Master key from ${originEn} is not valid base64. ${GENERATE_HINT_EN}`,
    );
  }
  if (bytes.byteLength !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(
      'MASTER_KEY_INVALID',
      `Master-Schlüssel aus ${originDe} hat ${bytes.byteLength} Byte, verlangt sind genau ${MASTER_KEY_BYTES}. ${GENERATE_HINT_DE}`,
      `Master key from ${originEn} has ${bytes.byteLength} bytes; exactly ${MASTER_KEY_BYTES} are required. ${GENERATE_HINT_EN}`,
    );
  }
  const weakness = weakKeyReason(bytes);
  if (weakness !== null) {
    throw new MasterKeyError(
      'MASTER_KEY_WEAK',
      `Master-Schlüssel aus ${originDe} ist zu schwach (${weakness.de}); er muss aus Zufallsbytes bestehen. ${GENERATE_HINT_DE}`,
      `Master key from ${originEn} is too weak (${weakness.en}); it must be random bytes. ${GENERATE_HINT_EN}`,
    );
  }
  return new Uint8Array(bytes);
}

/**
 * Catches keys a human made up, not subtle bias: 32 random bytes fail any of these checks with a
 * probability below 1e-13.
 */
export function weakKeyReason(bytes: Uint8Array): { de: string; en: string } | null {
  const distinct = new Set(bytes).size;
  if (distinct === 1) return { de: 'alle Bytes gleich', en: 'all bytes are equal' };
  if (distinct < 16) {
    return { de: `nur ${distinct} verschiedene Bytewerte`, en: `only ${distinct} distinct byte values` };
  }
  const step = ((bytes[1] ?? 0) - (bytes[0] ?? 0) + 256) % 256;
  if (bytes.every((b, i) => i === 0 || (b - (bytes[i - 1] ?? 0) + 256) % 256 === step)) {
    return { de: 'eine gleichmäßige Folge', en: 'an arithmetic sequence' };
  }
  for (let period = 1; period <= bytes.byteLength / 2; period++) {
    if (bytes.every((b, i) => b === bytes[i % period])) {
      return {
        de: `ein Muster, das sich alle ${period} Byte wiederholt`,
        en: `a pattern repeating every ${period} bytes`,
      };
    }
  }
  if (bytes.every((b) => b >= 0x20 && b <= 0x7e)) {
    return { de: 'lesbarer Text statt Zufallsbytes', en: 'printable text instead of random bytes' };
  }
  return null;
}

function insecure(mode: number, mask: number): boolean {
  // POSIX permission bits mean nothing on Windows; there the directory's ACL is the operator's job.
  return process.platform !== 'win32' && (mode & mask) !== 0;
}

function readKeyFile(keyDir: string, file: string): Uint8Array | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    // fstat on the opened descriptor: the permissions checked are those of the bytes read.
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new MasterKeyError('MASTER_KEY_INVALID', `${file} ist keine Datei.`, `${file} is not a regular file.`);
    }
    if (insecure(stat.mode, 0o077)) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new MasterKeyError(
        'MASTER_KEY_INSECURE_PERMISSIONS',
        `Master-Schlüsseldatei ${file} hat die Rechte ${mode}; Gruppe und andere dürfen keinen Zugriff haben. Abhilfe: chmod 600 ${file}`,
        `Master key file ${file} has mode ${mode}; group and others must have no access. Fix: chmod 600 ${file}`,
      );
    }
    assertPrivateDirectory(keyDir);
    return parseMasterKey(fs.readFileSync(fd, 'utf8'), `Datei ${file}`, `file ${file}`);
  } finally {
    fs.closeSync(fd);
  }
}

function assertPrivateDirectory(keyDir: string): void {
  const stat = fs.statSync(keyDir);
  // A directory others may write to lets them replace the key file with one they know.
  if (insecure(stat.mode, 0o022)) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new MasterKeyError(
      'MASTER_KEY_INSECURE_PERMISSIONS',
      `Das Schlüsselverzeichnis ${keyDir} hat die Rechte ${mode}; Gruppe und andere dürfen nicht schreiben. Abhilfe: chmod 700 ${keyDir}`,
      `Key directory ${keyDir} has mode ${mode}; group and others must not write to it. Fix: chmod 700 ${keyDir}`,
    );
  }
}

/** Writes a new key; false when another process created the file first. */
function generateKeyFile(keyDir: string, file: string): boolean {
  createPrivateDirectory(keyDir);
  assertPrivateDirectory(keyDir);
  // Written in full to a private temp file, then hard-linked into place: the link fails if the file
  // exists, so two processes starting at once never see a half-written key or overwrite each other.
  const tmp = path.join(keyDir, `.${MASTER_KEY_FILE_NAME}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    try {
      fs.fchmodSync(fd, 0o600);
      fs.writeFileSync(fd, `${generateMasterKeyText()}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  fsyncDirectory(keyDir);
  return true;
}

function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function unreachable(file: string): never {
  throw new Error(`Master key file ${file} vanished while it was being read`);
}

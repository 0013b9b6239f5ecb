import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPrivateDirectory, PRIVATE_FILE_MODE } from '@pruefpfad/runtime';

export const SIGNING_SECRET_FILE = 'jwt-secret';
const SECRET_BYTES = 64;
const MIN_SECRET_BYTES = 32;

/**
 * The local HS256 secret of the embedded default: `<dataDir>/jwt-secret`, created on first start
 * (64 random bytes, mode 0600) and reused afterwards, so tokens minted by the CLI stay valid across
 * restarts. Safe against a concurrent first start (API and CLI): the file appears atomically and
 * only once; whoever loses the race reads the winner's secret.
 */
export function loadOrCreateSigningSecret(dataDir: string): Uint8Array {
  return loadOrCreateSecretFile(dataDir, SIGNING_SECRET_FILE);
}

/** The key of the browser session cookies in development: `<dataDir>/session-secret`, made like the signing secret. */
export const SESSION_SECRET_FILE = 'session-secret';

/** `loadOrCreateSigningSecret` for any secret file of the data directory (64 random bytes, 0600). */
export function loadOrCreateSecretFile(dataDir: string, fileName: string): Uint8Array {
  const file = path.join(dataDir, fileName);
  const existing = readSecret(file);
  if (existing) return existing;

  createPrivateDirectory(dataDir);
  const temporary = path.join(dataDir, `.${fileName}.${process.pid}.${randomBytes(6).toString('hex')}`);
  const fd = fs.openSync(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    // Whatever the umask: the secret is linked into place with this file's mode.
    if (process.platform !== 'win32') fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    fs.writeFileSync(fd, randomBytes(SECRET_BYTES));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    // link() fails if the target exists, unlike rename(): the first writer wins and nobody overwrites.
    fs.linkSync(temporary, file);
    fsyncDirectory(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  const created = readSecret(file);
  if (!created) throw new Error(`Signing secret ${file} vanished right after it was created`);
  return created;
}

function readSecret(file: string): Uint8Array | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new Error(
      `Das Signaturgeheimnis ${file} ist für andere lesbar; bitte \`chmod 600 ${file}\`. / ` +
        `The signing secret ${file} is readable by others; run \`chmod 600 ${file}\`.`,
    );
  }
  const secret = fs.readFileSync(file);
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new Error(
      `The signing secret ${file} has ${secret.byteLength} bytes; at least ${MIN_SECRET_BYTES} are required`,
    );
  }
  return new Uint8Array(secret);
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

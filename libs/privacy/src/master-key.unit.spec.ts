import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MasterKeyError } from './errors.js';
import {
  loadNextMasterKey,
  loadOrCreateMasterKey,
  MASTER_KEY_FILE_NAME,
  MASTER_KEY_NEXT_FILE_NAME,
  promoteNextMasterKeyFile,
  weakKeyReason,
} from './master-key.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function freshKeyDir(): string {
  counter += 1;
  return path.join(root, `case-${counter}`, 'keys');
}

const mode = (p: string): string => (fs.statSync(p).mode & 0o777).toString(8);

function failureOf(work: () => unknown): MasterKeyError {
  try {
    work();
  } catch (error) {
    if (error instanceof MasterKeyError) return error;
    throw error;
  }
  throw new Error('expected a MasterKeyError');
}

/** German first, English second, as operators read it. */
function expectBilingual(error: MasterKeyError): void {
  const [german, english] = error.message.split('\n');
  expect(german).toMatch(/Master-Schlüssel|Schlüssel/u);
  expect(english).toMatch(/master key|key/iu);
}

describe('loadOrCreateMasterKey', () => {
  it('uses a strong key from PRUEFPFAD_MASTER_KEY and writes no file', () => {
    const bytes = randomBytes(32);
    const keyDir = freshKeyDir();
    const loaded = loadOrCreateMasterKey({ keyDir, environment: 'production', envValue: bytes.toString('base64') });
    expect(Buffer.from(loaded.key).equals(bytes)).toBe(true);
    expect(loaded.source).toBe('environment');
    expect(fs.existsSync(keyDir)).toBe(false);
  });

  it('accepts the base64url spelling and surrounding whitespace', () => {
    const bytes = randomBytes(32);
    const loaded = loadOrCreateMasterKey({
      keyDir: freshKeyDir(),
      environment: 'production',
      envValue: ` ${bytes.toString('base64url')}\n`,
    });
    expect(Buffer.from(loaded.key).equals(bytes)).toBe(true);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64'), 'MASTER_KEY_INVALID'],
    ['33 bytes', randomBytes(33).toString('base64'), 'MASTER_KEY_INVALID'],
    ['not base64', 'this is not base64 at all!!', 'MASTER_KEY_INVALID'],
    ['all bytes equal', Buffer.alloc(32, 7).toString('base64'), 'MASTER_KEY_WEAK'],
    ['all zero', Buffer.alloc(32).toString('base64'), 'MASTER_KEY_WEAK'],
    [
      '8 distinct values',
      Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37) % 8)).toString('base64'),
      'MASTER_KEY_WEAK',
    ],
    ['a counting sequence', Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'), 'MASTER_KEY_WEAK'],
    [
      'a repeated 16-byte block',
      Buffer.concat([randomBytes(16)].flatMap((b) => [b, b])).toString('base64'),
      'MASTER_KEY_WEAK',
    ],
    ['a typed password', Buffer.from('Sommer2025!Jobcenter-Musterstadt').toString('base64'), 'MASTER_KEY_WEAK'],
  ])('refuses a key from the environment that is %s', (_label, envValue, code) => {
    for (const environment of ['production', 'development'] as const) {
      const keyDir = freshKeyDir();
      const error = failureOf(() => loadOrCreateMasterKey({ keyDir, environment, envValue }));
      expect(error.code).toBe(code);
      expectBilingual(error);
      expect(error.message).toContain('PRUEFPFAD_MASTER_KEY');
      // It never falls back to a generated key when the configured one is bad.
      expect(fs.existsSync(keyDir)).toBe(false);
    }
  });

  it('never puts the key value into an error message', () => {
    const envValue = Buffer.alloc(32, 0x41).toString('base64');
    const error = failureOf(() => loadOrCreateMasterKey({ keyDir: freshKeyDir(), environment: 'test', envValue }));
    expect(error.message).not.toContain(envValue);
  });

  it('refuses to start in production without a key and creates nothing', () => {
    const keyDir = freshKeyDir();
    for (const envValue of [undefined, '', '   ']) {
      const error = failureOf(() => loadOrCreateMasterKey({ keyDir, environment: 'production', envValue }));
      expect(error.code).toBe('MASTER_KEY_MISSING');
      expect(error.name).toBe('MasterKeyError');
      expectBilingual(error);
    }
    expect(fs.existsSync(keyDir)).toBe(false);
  });

  it.each(['development', 'test'] as const)('generates a private key file in %s and reuses it', (environment) => {
    const keyDir = freshKeyDir();
    const first = loadOrCreateMasterKey({ keyDir, environment });
    const file = path.join(keyDir, MASTER_KEY_FILE_NAME);
    expect(first.source).toBe('generated');
    expect(first.file).toBe(file);
    expect(first.key).toHaveLength(32);
    expect(weakKeyReason(first.key)).toBeNull();
    expect(mode(file)).toBe('600');
    expect(mode(keyDir)).toBe('700');
    expect(fs.readdirSync(keyDir)).toEqual([MASTER_KEY_FILE_NAME]);

    const again = loadOrCreateMasterKey({ keyDir, environment });
    expect(again.source).toBe('file');
    expect(Buffer.from(again.key).equals(Buffer.from(first.key))).toBe(true);
    // A different directory gets a different key.
    expect(
      Buffer.from(loadOrCreateMasterKey({ keyDir: freshKeyDir(), environment }).key).equals(Buffer.from(first.key)),
    ).toBe(false);
  });

  it('lets the environment win over an existing key file', () => {
    const keyDir = freshKeyDir();
    loadOrCreateMasterKey({ keyDir, environment: 'development' });
    const bytes = randomBytes(32);
    const loaded = loadOrCreateMasterKey({ keyDir, environment: 'development', envValue: bytes.toString('base64') });
    expect(Buffer.from(loaded.key).equals(bytes)).toBe(true);
  });

  it('accepts an operator-provided private key file in production', () => {
    const keyDir = freshKeyDir();
    const bytes = randomBytes(32);
    fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(keyDir, MASTER_KEY_FILE_NAME), `${bytes.toString('base64')}\n`, { mode: 0o600 });
    const loaded = loadOrCreateMasterKey({ keyDir, environment: 'production' });
    expect(loaded.source).toBe('file');
    expect(Buffer.from(loaded.key).equals(bytes)).toBe(true);
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a key file with mode %o', (fileMode) => {
    const keyDir = freshKeyDir();
    const { key } = loadOrCreateMasterKey({ keyDir, environment: 'development' });
    const file = path.join(keyDir, MASTER_KEY_FILE_NAME);
    fs.chmodSync(file, fileMode);
    for (const environment of ['development', 'production'] as const) {
      const error = failureOf(() => loadOrCreateMasterKey({ keyDir, environment }));
      expect(error.code).toBe('MASTER_KEY_INSECURE_PERMISSIONS');
      expect(error.message).toContain('chmod 600');
      expectBilingual(error);
    }
    // Refusing must not replace the operator's key.
    fs.chmodSync(file, 0o600);
    expect(
      Buffer.from(loadOrCreateMasterKey({ keyDir, environment: 'development' }).key).equals(Buffer.from(key)),
    ).toBe(true);
  });

  it('refuses a key directory others may write to', () => {
    const keyDir = freshKeyDir();
    loadOrCreateMasterKey({ keyDir, environment: 'development' });
    fs.chmodSync(keyDir, 0o777);
    const error = failureOf(() => loadOrCreateMasterKey({ keyDir, environment: 'development' }));
    expect(error.code).toBe('MASTER_KEY_INSECURE_PERMISSIONS');
    expect(error.message).toContain('chmod 700');
  });

  it('refuses a key file that does not hold a strong 32-byte key', () => {
    const keyDir = freshKeyDir();
    fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const file = path.join(keyDir, MASTER_KEY_FILE_NAME);
    fs.writeFileSync(file, randomBytes(20).toString('base64'), { mode: 0o600 });
    expect(failureOf(() => loadOrCreateMasterKey({ keyDir, environment: 'development' })).code).toBe(
      'MASTER_KEY_INVALID',
    );
    fs.writeFileSync(file, Buffer.alloc(32, 1).toString('base64'));
    expect(failureOf(() => loadOrCreateMasterKey({ keyDir, environment: 'development' })).code).toBe('MASTER_KEY_WEAK');
  });
});

describe('weakKeyReason', () => {
  it('passes random keys', () => {
    for (let i = 0; i < 1000; i++) expect(weakKeyReason(randomBytes(32))).toBeNull();
  });
});

describe('the next master key of a rotation', () => {
  it('comes from PRUEFPFAD_MASTER_KEY_NEXT, else from master.key.next, else is absent (never generated)', () => {
    const keyDir = freshKeyDir();
    expect(loadNextMasterKey({ keyDir })).toBeNull();
    expect(fs.existsSync(keyDir)).toBe(false);
    const fromEnv = randomBytes(32);
    const loaded = loadNextMasterKey({ keyDir, envValue: fromEnv.toString('base64') });
    expect(loaded?.source).toBe('environment');
    expect(Buffer.from(loaded!.key).equals(fromEnv)).toBe(true);

    fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const fromFile = randomBytes(32);
    fs.writeFileSync(path.join(keyDir, MASTER_KEY_NEXT_FILE_NAME), fromFile.toString('base64'), { mode: 0o600 });
    const file = loadNextMasterKey({ keyDir });
    expect(file?.source).toBe('file');
    expect(Buffer.from(file!.key).equals(fromFile)).toBe(true);
  });

  it('is checked like the master key: weak, malformed or readable by others is refused', () => {
    expect(failureOf(() => loadNextMasterKey({ keyDir: freshKeyDir(), envValue: 'kurz' })).message).toContain(
      'PRUEFPFAD_MASTER_KEY_NEXT',
    );
    const keyDir = freshKeyDir();
    fs.mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(keyDir, MASTER_KEY_NEXT_FILE_NAME), randomBytes(32).toString('base64'), {
      mode: 0o644,
    });
    expect(failureOf(() => loadNextMasterKey({ keyDir })).code).toBe('MASTER_KEY_INSECURE_PERMISSIONS');
  });

  it('replaces master.key atomically once the rotation finished, so the old key leaves the key directory', () => {
    const keyDir = freshKeyDir();
    const old = loadOrCreateMasterKey({ keyDir, environment: 'test' });
    const next = randomBytes(32);
    fs.writeFileSync(path.join(keyDir, MASTER_KEY_NEXT_FILE_NAME), `${next.toString('base64')}\n`, { mode: 0o600 });
    expect(promoteNextMasterKeyFile(keyDir)).toBe(path.join(keyDir, MASTER_KEY_FILE_NAME));
    expect(fs.readdirSync(keyDir)).toEqual([MASTER_KEY_FILE_NAME]);
    const loaded = loadOrCreateMasterKey({ keyDir, environment: 'production' });
    expect(Buffer.from(loaded.key).equals(next)).toBe(true);
    expect(Buffer.from(loaded.key).equals(Buffer.from(old.key))).toBe(false);
    expect(mode(path.join(keyDir, MASTER_KEY_FILE_NAME))).toBe('600');
    expect(failureOf(() => promoteNextMasterKeyFile(keyDir)).code).toBe('MASTER_KEY_MISSING');
  });
});

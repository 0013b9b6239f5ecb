import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteKeyStore } from './embedded/sqlite-key-store.js';
import { Envelope, isSealed, type Sealed } from './envelope.js';
import { DecryptionFailedError } from './errors.js';
import { KeyDestroyedError, type DataKey, type KeyStore } from './key-store.port.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-'));
const keyStore = SqliteKeyStore.open({ file: path.join(dir, 'keys.sqlite'), masterKey: randomBytes(32) });
const envelope = new Envelope(keyStore);

afterAll(async () => {
  await keyStore.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Flips one bit of a base64url field, keeping it canonical base64url. */
function flipBit(field: string, byteIndex = 0): string {
  const bytes = Buffer.from(field, 'base64url');
  bytes[byteIndex] = (bytes[byteIndex] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

describe('Envelope', () => {
  it.each([
    ['a string with umlauts', 'Jürgen Weiß, Straße 5'],
    ['an object', { customerRef: '123D456789', notes: ['a', 'b'], score: 3.5, flag: false, none: null }],
    ['an array', [1, 'two', { three: 3 }]],
    ['a number', 0],
    ['a boolean', false],
    ['an empty string', ''],
  ])('round-trips %s', async (_label, value) => {
    const sealed = await envelope.seal('review:round-trip', value);
    expect(isSealed(sealed)).toBe(true);
    expect(await envelope.open(sealed)).toEqual(value);
  });

  it('produces the documented shape with a 12-byte IV and a 16-byte tag, and no plaintext', async () => {
    const sealed = await envelope.seal('review:shape', 'Erika Mustermann');
    expect(Object.keys(sealed).sort()).toEqual(['$sealed', 'ct', 'iv', 'kid', 'tag']);
    expect(sealed.$sealed).toBe(1);
    expect(Buffer.from(sealed.iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64url')).toHaveLength(16);
    for (const field of [sealed.iv, sealed.ct, sealed.tag]) expect(field).toMatch(/^[A-Za-z0-9_-]+$/u);
    expect(JSON.stringify(sealed)).not.toContain('Mustermann');
  });

  it('uses a fresh IV for every seal of the same value', async () => {
    const a = await envelope.seal('review:iv', 'same');
    const b = await envelope.seal('review:iv', 'same');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('survives a trip through JSON, as in events and read models', async () => {
    const sealed = await envelope.seal('review:json', { a: 1 });
    expect(await envelope.open(JSON.parse(JSON.stringify(sealed)) as Sealed)).toEqual({ a: 1 });
  });

  it.each([
    ['a changed ciphertext bit', (s: Sealed): Sealed => ({ ...s, ct: flipBit(s.ct) })],
    [
      'a changed last ciphertext bit',
      (s: Sealed): Sealed => ({ ...s, ct: flipBit(s.ct, Buffer.from(s.ct, 'base64url').length - 1) }),
    ],
    [
      'a truncated ciphertext',
      (s: Sealed): Sealed => ({ ...s, ct: Buffer.from(s.ct, 'base64url').subarray(1).toString('base64url') }),
    ],
    ['a changed tag bit', (s: Sealed): Sealed => ({ ...s, tag: flipBit(s.tag, 15) })],
    [
      'a truncated tag',
      (s: Sealed): Sealed => ({ ...s, tag: Buffer.from(s.tag, 'base64url').subarray(0, 12).toString('base64url') }),
    ],
    ['a changed IV', (s: Sealed): Sealed => ({ ...s, iv: flipBit(s.iv, 11) })],
    ['a kid naming another live key', (s: Sealed): Sealed => ({ ...s, kid: 'review:other' })],
    ['a kid without any key', (s: Sealed): Sealed => ({ ...s, kid: 'review:never-created' })],
    ['a non-canonical base64url field', (s: Sealed): Sealed => ({ ...s, ct: `${s.ct}=` })],
    ['foreign characters in a field', (s: Sealed): Sealed => ({ ...s, tag: `${s.tag.slice(0, -1)}!` })],
  ])('refuses %s with DecryptionFailedError', async (_label, tamper) => {
    await keyStore.getOrCreate('review:other');
    const sealed = await envelope.seal('review:tamper', { secret: 'Sozialdaten' });
    const failure = await failureOf(envelope.open(tamper(sealed)));
    expect(failure).toBeInstanceOf(DecryptionFailedError);
    expect((failure as DecryptionFailedError).code).toBe('DECRYPTION_FAILED');
    // openOrNull hides only destroyed keys, never tampering.
    await expect(envelope.openOrNull(tamper(sealed))).rejects.toBeInstanceOf(DecryptionFailedError);
  });

  it('binds the kid in the AAD: relabelling fails even where both ids resolve to the same key bytes', async () => {
    // A store that answers an alias with the very same key isolates the AAD check from the key lookup.
    const aliasing: KeyStore = {
      getOrCreate: (id) => keyStore.getOrCreate(id === 'review:alias' ? 'review:aad' : id),
      get: async (id): Promise<DataKey | null> => {
        const found = await keyStore.get(id === 'review:alias' ? 'review:aad' : id);
        return found === null ? null : { keyId: id, key: found.key };
      },
      destroy: (id) => keyStore.destroy(id),
      isDestroyed: (id) => keyStore.isDestroyed(id),
      close: () => Promise.resolve(),
    };
    const viaAlias = new Envelope(aliasing);
    const sealed = await viaAlias.seal('review:aad', 'bound');
    expect(await viaAlias.open(sealed)).toBe('bound');
    await expect(viaAlias.open({ ...sealed, kid: 'review:alias' })).rejects.toBeInstanceOf(DecryptionFailedError);
  });

  it('refuses another format version and things that are not sealed values', async () => {
    const sealed = await envelope.seal('review:version', 'v');
    const v2 = { ...sealed, $sealed: 2 } as unknown as Sealed;
    expect(isSealed(v2)).toBe(false);
    await expect(envelope.open(v2)).rejects.toBeInstanceOf(DecryptionFailedError);
    for (const notSealed of [null, 'x', 1, [], {}, { $sealed: 1, kid: 'k', iv: 'a', ct: 'b' }]) {
      expect(isSealed(notSealed)).toBe(false);
    }
  });

  it('fails with KeyDestroyedError after the key was destroyed, and openOrNull answers null', async () => {
    const sealed = await envelope.seal('review:shredded', { name: 'Max Mustermann' });
    const kept = await envelope.seal('review:kept', 'still here');
    await keyStore.destroy('review:shredded');
    const failure = await failureOf(envelope.open(sealed));
    expect(failure).toBeInstanceOf(KeyDestroyedError);
    expect((failure as KeyDestroyedError).keyId).toBe('review:shredded');
    expect(await envelope.openOrNull(sealed)).toBeNull();
    expect(await envelope.openOrNull(kept)).toBe('still here');
    await expect(envelope.seal('review:shredded', 'new')).rejects.toBeInstanceOf(KeyDestroyedError);
  });

  it('refuses to seal undefined, null and values JSON cannot carry', async () => {
    await expect(envelope.seal('review:nothing', undefined)).rejects.toBeInstanceOf(TypeError);
    await expect(envelope.seal('review:nothing', null)).rejects.toBeInstanceOf(TypeError);
    await expect(envelope.seal('review:nothing', () => 1)).rejects.toBeInstanceOf(TypeError);
    await expect(envelope.seal('review:nothing', 10n)).rejects.toBeInstanceOf(TypeError);
  });
});

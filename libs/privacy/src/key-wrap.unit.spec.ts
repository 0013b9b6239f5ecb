import { randomBytes } from 'node:crypto';
import { masterKeyId, unwrapMasterKey, wrapMasterKey } from './key-wrap.js';

describe('master-key ids and handover wrapping', () => {
  it('names a master key by a stable fingerprint that does not contain it', () => {
    const key = randomBytes(32);
    const id = masterKeyId(key);
    expect(id).toMatch(/^[0-9a-f]{32}$/u);
    expect(masterKeyId(Buffer.from(key))).toBe(id);
    expect(masterKeyId(randomBytes(32))).not.toBe(id);
    expect(key.toString('hex')).not.toContain(id);
  });

  it('wraps one master key under another; only the wrapping key and the right id open it', () => {
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const handover = wrapMasterKey(a, b);
    expect(unwrapMasterKey(a, masterKeyId(b), handover)?.equals(b)).toBe(true);
    expect(unwrapMasterKey(c, masterKeyId(b), handover)).toBeNull();
    expect(unwrapMasterKey(a, masterKeyId(c), handover)).toBeNull();
    const changed = Buffer.from(handover);
    changed[changed.length - 1]! ^= 1;
    expect(unwrapMasterKey(a, masterKeyId(b), changed)).toBeNull();
  });
});

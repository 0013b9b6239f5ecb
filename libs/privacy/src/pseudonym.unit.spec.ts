import { randomBytes } from 'node:crypto';
import { normalisePseudonymInput, pseudonymise } from './pseudonym.js';

describe('pseudonymise', () => {
  const key = randomBytes(32);

  it('is deterministic and gives 32 lower-case base32 characters', () => {
    const a = pseudonymise(key, '123D456789', 'customer-ref');
    expect(a).toMatch(/^[a-z2-7]{32}$/u);
    expect(pseudonymise(key, '123D456789', 'customer-ref')).toBe(a);
  });

  it('treats spellings of the same reference alike', () => {
    const canonical = pseudonymise(key, '123 d 456', 'customer-ref');
    for (const variant of [' 123 D 456 ', '123\tD\u00a0 456', '１２３ D ４５６']) {
      expect(pseudonymise(key, variant, 'customer-ref')).toBe(canonical);
    }
    expect(normalisePseudonymInput('  Weiß  STRASSE ')).toBe('weiß strasse');
  });

  it('separates values, purposes and keys', () => {
    const base = pseudonymise(key, '123D456789', 'customer-ref');
    expect(pseudonymise(key, '123D456780', 'customer-ref')).not.toBe(base);
    expect(pseudonymise(key, '123D456789', 'employee')).not.toBe(base);
    expect(pseudonymise(randomBytes(32), '123D456789', 'customer-ref')).not.toBe(base);
  });

  it('matches a known answer, so the format cannot drift unnoticed', () => {
    const fixed = Buffer.alloc(32, 0).map((_, i) => i);
    // Computed independently: Python hmac + base64.b32encode.
    expect(pseudonymise(fixed, ' ABC ', 'test')).toBe('smh4v3sn743qbaowwodbg2rbmakoyejp');
  });

  it('refuses short keys, empty values and free-form purposes', () => {
    expect(() => pseudonymise(randomBytes(16), 'x', 'customer-ref')).toThrow(RangeError);
    expect(() => pseudonymise(key, '   ', 'customer-ref')).toThrow(RangeError);
    expect(() => pseudonymise(key, 'x', 'Customer Ref')).toThrow(RangeError);
    expect(() => pseudonymise(key, 'x', 'a\u0000b')).toThrow(RangeError);
  });
});

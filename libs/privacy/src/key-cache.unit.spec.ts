import { KeyCache } from './key-cache.js';

const key = (fill: number): Buffer => Buffer.alloc(32, fill);

describe('KeyCache (unwrapped keys, with an injected clock)', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('serves an entry until its lifetime ends, then forgets and zeroes it', () => {
    const cache = new KeyCache({ capacity: 10, ttlMs: 2_000, now: clock });
    cache.set('review:a', key(1));
    const held = cache.get('review:a');
    expect(held?.equals(key(1))).toBe(true);
    now += 1_999;
    expect(cache.get('review:a')?.equals(key(1))).toBe(true);
    now += 1;
    expect(cache.get('review:a')).toBeUndefined();
    expect(held?.equals(key(0))).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('keeps its own copy: the caller may zero what it handed in', () => {
    const cache = new KeyCache({ capacity: 10, ttlMs: 2_000, now: clock });
    const mine = key(7);
    cache.set('review:copy', mine);
    mine.fill(0);
    expect(cache.get('review:copy')?.equals(key(7))).toBe(true);
  });

  it('evicts a destroyed key at once and ignores a load that was under way when it was evicted', () => {
    const cache = new KeyCache({ capacity: 10, ttlMs: 60_000, now: clock });
    cache.set('review:x', key(2));
    const token = cache.token();
    cache.delete('review:x');
    expect(cache.get('review:x')).toBeUndefined();
    // The read that started before the destroy returns late: it must not bring the key back.
    cache.set('review:x', key(2), token);
    expect(cache.get('review:x')).toBeUndefined();
    cache.set('review:x', key(3), cache.token());
    expect(cache.get('review:x')?.equals(key(3))).toBe(true);
  });

  it('drops the least recently used entry beyond its capacity', () => {
    const cache = new KeyCache({ capacity: 2, ttlMs: Number.POSITIVE_INFINITY, now: clock });
    cache.set('a', key(1));
    cache.set('b', key(2));
    cache.get('a');
    cache.set('c', key(3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.equals(key(1))).toBe(true);
    expect(cache.get('c')?.equals(key(3))).toBe(true);
  });

  it.each([
    ['capacity 0', { capacity: 0, ttlMs: 1_000 }],
    ['lifetime 0', { capacity: 10, ttlMs: 0 }],
  ])('keeps nothing with %s', (_label, options) => {
    const cache = new KeyCache({ ...options, now: clock });
    cache.set('review:none', key(4));
    expect(cache.get('review:none')).toBeUndefined();
  });

  it('clears and zeroes everything on clear', () => {
    const cache = new KeyCache({ capacity: 10, ttlMs: 60_000, now: clock });
    cache.set('a', key(5));
    const held = cache.get('a')!;
    cache.clear();
    expect(held.equals(key(0))).toBe(true);
    expect(cache.get('a')).toBeUndefined();
  });
});

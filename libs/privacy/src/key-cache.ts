/**
 * Unwrapped data keys kept in memory by a key store: least recently used first, each entry for at most
 * `ttlMs` (Infinity for stores that learn of other processes' destroys otherwise, like the embedded one
 * through `PRAGMA data_version`). Evicted entries are zeroed.
 *
 * A load from storage that was under way while a key was evicted (a local destroy) must not put the key
 * back: callers take a `token()` before they read and hand it to `set`, which ignores results read before
 * the last eviction.
 */
export interface KeyCacheOptions {
  /** Entries kept at most; 0 disables the cache. */
  readonly capacity: number;
  /** Milliseconds an entry may be served after it was loaded; 0 disables the cache. */
  readonly ttlMs: number;
  /** Milliseconds of a monotonic clock (injected by tests). */
  readonly now?: () => number;
}

interface Entry {
  readonly key: Buffer;
  readonly expiresAt: number;
}

export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private evictions = 0;

  constructor(private readonly options: KeyCacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  private get enabled(): boolean {
    return this.options.capacity > 0 && this.options.ttlMs > 0;
  }

  /** The cached key (the cache's own buffer: copy it before handing it out), or undefined. */
  get(keyId: string): Buffer | undefined {
    const entry = this.entries.get(keyId);
    if (entry === undefined) return undefined;
    this.entries.delete(keyId);
    if (entry.expiresAt <= this.now()) {
      entry.key.fill(0);
      return undefined;
    }
    this.entries.set(keyId, entry);
    return entry.key;
  }

  /** Taken before reading a key from storage; see `set`. */
  token(): number {
    return this.evictions;
  }

  /** Keeps a copy of `key`, unless something was evicted since `token` was taken. */
  set(keyId: string, key: Uint8Array, token: number = this.evictions): void {
    if (!this.enabled || token !== this.evictions) return;
    this.drop(keyId);
    this.entries.set(keyId, { key: Buffer.from(key), expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.drop(oldest.value);
    }
  }

  /** Evicts one key at once (a local destroy) and voids loads under way. */
  delete(keyId: string): void {
    this.evictions += 1;
    this.drop(keyId);
  }

  clear(): void {
    this.evictions += 1;
    for (const entry of this.entries.values()) entry.key.fill(0);
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(keyId: string): void {
    const entry = this.entries.get(keyId);
    if (entry === undefined) return;
    entry.key.fill(0);
    this.entries.delete(keyId);
  }
}

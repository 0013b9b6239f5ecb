import type { Doc } from '../read-store.port.js';

/**
 * The parsed, frozen documents of one physical collection as of global write `seq`. Frozen, so a caller
 * holding a query result cannot change what the next caller sees.
 */
export class CollectionCache {
  private readonly docs = new Map<string, Doc>();
  private list: Doc[] | null = null;

  constructor(
    /** `rs_collections.generation` this cache was loaded from. */
    readonly generation: number,
    /** Global `rs_meta.seq` this cache reflects. */
    public seq: number,
  ) {}

  /** Applies one row: a document's JSON, or null for a tombstone. */
  apply(id: string, json: string | null): void {
    if (json === null) this.docs.delete(id);
    else this.docs.set(id, deepFreeze(JSON.parse(json)) as Doc);
    this.list = null;
  }

  get size(): number {
    return this.docs.size;
  }

  /** The documents as one array for mingo; rebuilt only after a change. */
  all(): readonly Doc[] {
    this.list ??= Array.from(this.docs.values());
    return this.list;
  }
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

import type { Doc, DocumentWrite } from '@pruefpfad/read-store';
import type { DocumentLoader } from './fold-batch.js';

/**
 * The final documents of a batch whose commit is still in flight (a put's document, or null for a
 * delete). While it is in flight the store may not show them yet, so the next batch's fold is served these
 * for the ids the batch wrote, and only the other ids are loaded from the store (which that commit does
 * not change). Dropped once the commit resolved: from then on the store has them.
 */
export class InFlightDocuments {
  private readonly byId = new Map<string, Doc | null>();

  constructor(writes: readonly DocumentWrite[]) {
    // In order: a later write to the same document wins, as in the commit.
    for (const write of writes) {
      if (write.op === 'put') this.byId.set(write.doc._id, write.doc);
      else this.byId.set(write.id, null);
    }
  }

  /** `load`, with the ids this batch wrote answered from memory. */
  over(load: DocumentLoader): DocumentLoader {
    return async (ids) => {
      const rest: string[] = [];
      const found = new Map<string, Doc | null>();
      for (const id of ids) {
        const doc = this.byId.get(id);
        if (doc === undefined) rest.push(id);
        // A copy as the store would return it (JSON values; `undefined` members gone): the commit may
        // still be serialising the original, and `evolve` must not be able to change what it writes.
        else found.set(id, doc === null ? null : (JSON.parse(JSON.stringify(doc)) as Doc));
      }
      if (rest.length === 0) return found;
      const loaded = await load(rest);
      for (const id of rest) found.set(id, loaded.get(id) ?? null);
      return found;
    };
  }
}

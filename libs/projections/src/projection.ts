import type { RecordedEvent } from '../../event-store/src/event-store.port.js';
import type { Doc } from '../../read-store/src/read-store.port.js';

/**
 * A read model: pure functions only. The runner feeds it events of `eventTypes` in global order, folds
 * them per document in memory and writes the documents with the checkpoint. `evolve` returns the new
 * document, or null to delete it. It never sees the document's `_position` bookkeeping: the runner
 * skips events at or below a document's `_position`, so replays change nothing.
 */
export interface ProjectionDefinition<D extends Doc = Doc> {
  /** Stable name, also the logical collection that readers query. */
  readonly name: string;
  /** Bump when `evolve` or the rules it applies change: a rebuild then fills `<name>_v<version>`. */
  readonly version: number;
  readonly eventTypes: readonly string[];
  /** Ids of the documents an event affects (usually one). */
  documentIds(event: RecordedEvent): readonly string[];
  evolve(doc: D | null, event: RecordedEvent, documentId: string): D | null;
}

export function physicalCollection(definition: Pick<ProjectionDefinition, 'name' | 'version'>): string {
  return `${definition.name}_v${definition.version}`;
}

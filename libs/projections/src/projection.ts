import type { RecordedEvent } from '@pruefpfad/event-store';
import type { Doc, IndexSpec } from '@pruefpfad/read-store';

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
  /**
   * Indexes the read model's queries need (the filters and sorts its readers use), created on each
   * physical collection when a projection or rebuild starts writing it (`DocumentStore.ensureIndexes`).
   * `_id` is always indexed. Declare only what queries use: every index costs on each write.
   */
  readonly indexes?: readonly IndexSpec[];
}

export function physicalCollection(definition: Pick<ProjectionDefinition, 'name' | 'version'>): string {
  return `${definition.name}_v${definition.version}`;
}

/**
 * Physical collections of one projection version: `<name>_v<version>` and rebuild targets
 * `<name>_v<version>_r<n>` (a same-version rebuild after a rule change cannot reuse the name that serves).
 */
export function buildCollection(definition: Pick<ProjectionDefinition, 'name' | 'version'>, build: number): string {
  return build === 0 ? physicalCollection(definition) : `${physicalCollection(definition)}_r${build}`;
}

/** The build number of `physical` when it belongs to this definition's version (0 for `<name>_v<n>`), else null. */
export function buildNumberOf(
  definition: Pick<ProjectionDefinition, 'name' | 'version'>,
  physical: string,
): number | null {
  const base = physicalCollection(definition);
  if (physical === base) return 0;
  if (!physical.startsWith(`${base}_r`)) return null;
  const suffix = physical.slice(base.length + 2);
  return /^[1-9][0-9]*$/.test(suffix) ? Number(suffix) : null;
}

/** True when `physical` is some version or build of this projection (`<name>_v<n>` or `<name>_v<n>_r<k>`). */
export function isCollectionOf(definition: Pick<ProjectionDefinition, 'name'>, physical: string): boolean {
  return new RegExp(`^${escapeRegExp(definition.name)}_v[1-9][0-9]*(_r[1-9][0-9]*)?$`).test(physical);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

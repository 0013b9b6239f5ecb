import type { RecordedEvent } from '@pruefpfad/event-store';
import type { Doc, DocumentWrite } from '@pruefpfad/read-store';
import { errorMessage } from './backoff.js';
import type { ProjectionDefinition } from './projection.js';
import type { PoisonEventReport } from './projection-status.js';

/** Loads the current documents of one batch (absent ones as null or missing from the map). */
export type DocumentLoader = (ids: readonly string[]) => Promise<ReadonlyMap<string, Doc | null>>;

export interface FoldedBatch {
  /** Puts and deletes for every document the batch changed, each stamped with `_position`. */
  readonly writes: DocumentWrite[];
  /** Checkpoint to commit with the writes: the batch's `lastPosition`, or just before a poison event. */
  readonly checkpoint: number;
  /** Events of the batch that were folded (all of them, or those before a poison event). */
  readonly events: number;
  /** Document changes applied by `evolve` (replayed events are skipped and not counted). */
  readonly applied: number;
  readonly poison: PoisonEventReport | null;
}

interface Entry {
  doc: Doc | null;
  position: number;
  readonly existed: boolean;
  dirty: boolean;
}

/**
 * Folds one batch into documents: every affected document is loaded once, all of its events are applied
 * in memory in global order, and only the final state is written. Events at or below a document's
 * `_position` were applied before (a replay), so they are skipped: feeding a batch twice changes nothing.
 *
 * An exception from `documentIds` or `evolve` is a poison event. The events before it are folded and
 * returned with a checkpoint just before it, so the read model stays as fresh as it can be and the
 * poison event is the first one delivered when the projection is restarted after a fix. (Documents the
 * poison event already changed keep their `_position`, so a restart does not apply it to them twice.)
 */
export async function foldBatch(
  definition: ProjectionDefinition,
  collection: string,
  events: readonly RecordedEvent[],
  lastPosition: number,
  load: DocumentLoader,
  now: () => Date = () => new Date(),
): Promise<FoldedBatch> {
  const handled = new Set(definition.eventTypes);
  const plan: (readonly string[])[] = [];
  const ids = new Set<string>();
  let poison: PoisonEventReport | null = null;
  let end = events.length;

  // Pass 1 (synchronous): which documents does the batch touch?
  for (let i = 0; i < events.length; i += 1) {
    const event = events[i]!;
    if (!handled.has(event.type)) {
      plan.push([]);
      continue;
    }
    let documentIds: readonly string[];
    try {
      documentIds = definition.documentIds(event);
    } catch (error) {
      poison = report(definition, collection, event, null, error, now);
      end = i;
      break;
    }
    plan.push(documentIds);
    for (const id of documentIds) ids.add(id);
  }

  // Pass 2: one load for the whole batch instead of an await per event.
  const loaded = ids.size > 0 ? await load([...ids]) : new Map<string, Doc | null>();
  const entries = new Map<string, Entry>();
  for (const id of ids) {
    const stored = loaded.get(id) ?? null;
    if (stored === null) {
      entries.set(id, { doc: null, position: 0, existed: false, dirty: false });
      continue;
    }
    // evolve never sees the bookkeeping field; it is stamped again on write.
    const { _position, ...doc } = stored;
    entries.set(id, { doc, position: _position ?? 0, existed: true, dirty: false });
  }

  // Pass 3 (synchronous): fold in global order.
  let applied = 0;
  fold: for (let i = 0; i < end; i += 1) {
    const event = events[i]!;
    for (const id of plan[i]!) {
      const entry = entries.get(id)!;
      if (event.position <= entry.position) continue;
      let next: Doc | null;
      try {
        next = definition.evolve(entry.doc, event, id);
        if (next !== null && next._id !== undefined && next._id !== id) {
          throw new Error(`evolve returned a document with _id ${String(next._id)} for document ${id}`);
        }
      } catch (error) {
        poison = report(definition, collection, event, id, error, now);
        end = i;
        break fold;
      }
      entry.doc = next;
      entry.position = event.position;
      entry.dirty = true;
      applied += 1;
    }
  }

  const writes: DocumentWrite[] = [];
  for (const [id, entry] of entries) {
    if (!entry.dirty) continue;
    if (entry.doc === null) {
      if (entry.existed) writes.push({ op: 'delete', collection, id });
    } else {
      writes.push({ op: 'put', collection, doc: { ...entry.doc, _id: id, _position: entry.position } });
    }
  }

  const checkpoint = poison === null ? lastPosition : poison.position - 1;
  return { writes, checkpoint, events: end, applied, poison };
}

function report(
  definition: ProjectionDefinition,
  collection: string,
  event: RecordedEvent,
  documentId: string | null,
  error: unknown,
  now: () => Date,
): PoisonEventReport {
  return {
    projection: definition.name,
    collection,
    eventId: event.id,
    eventType: event.type,
    streamId: event.streamId,
    position: event.position,
    documentId,
    error: errorMessage(error),
    at: now().toISOString(),
  };
}

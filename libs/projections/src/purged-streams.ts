import type { EventStore } from '@pruefpfad/event-store';
import type { Doc } from '@pruefpfad/read-store';
import type { ProjectionDefinition } from './projection.js';

/** The purge records' events: they list the streams a retention purge deleted (ids only). */
const PURGE_RECORD_TYPES = ['ReviewPurged', 'PopulationPurged'];

/**
 * Streams deleted by retention purges, from their purge records. KurrentDB keeps returning a deleted
 * stream's events from `$all` until a scavenge has run; a rebuild must not bring them back into read models
 * (the embedded store has removed them already, so there the set only confirms what is gone).
 */
export async function purgedStreams(eventStore: EventStore, pageSize = 1000): Promise<ReadonlySet<string>> {
  const streams = new Set<string>();
  let after = 0;
  for (;;) {
    const page = await eventStore.readAll({ after, maxCount: pageSize, filter: { eventTypes: PURGE_RECORD_TYPES } });
    for (const event of page.events) {
      const deleted = (event.data as { streamsDeleted?: unknown }).streamsDeleted;
      if (Array.isArray(deleted))
        for (const streamId of deleted) if (typeof streamId === 'string') streams.add(streamId);
    }
    after = page.lastPosition;
    if (page.isEnd) return streams;
  }
}

/** The projection with every event of `skipped` streams passed over (it touches no document). */
export function skippingStreams<D extends Doc>(
  definition: ProjectionDefinition<D>,
  skipped: ReadonlySet<string>,
): ProjectionDefinition<D> {
  if (skipped.size === 0) return definition;
  return {
    ...definition,
    documentIds: (event) => (skipped.has(event.streamId) ? [] : definition.documentIds(event)),
  };
}

import {
  type PopulationEvent,
  type PopulationImported,
  type PopulationRow,
  populationDecider,
  populationStreamId,
} from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';

export interface StoredPopulation {
  readonly tenant: string;
  readonly imported: PopulationImported['data'];
  readonly rows: readonly PopulationRow[];
}

/**
 * A complete population as stored (its import event and every row, in chunk order), or null when the
 * stream does not exist or its import is not complete: one written in bounded appends whose
 * `PopulationImportCompleted` is missing (a crash or timeout part-way; a retry of the import resumes
 * it) does not exist for drawing, verification or opening reviews. Shared by the draw, verification and
 * the reactor that opens reviews: all of them work from the event stream, the record, not from a read
 * model.
 */
export async function readPopulation(eventStore: EventStore, populationId: string): Promise<StoredPopulation | null> {
  const events = await eventStore.readStream(populationStreamId(populationId));
  const first = events[0];
  if (!first || first.type !== 'PopulationImported') return null;
  let state = populationDecider.initialState();
  const rows: PopulationRow[] = [];
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as PopulationEvent;
    state = populationDecider.evolve(state, event);
    if (event.type === 'PopulationRowsAdded') rows.push(...event.data.rows);
  }
  if (state.status !== 'imported' || !state.complete) return null;
  return { tenant: first.metadata.tenant, imported: first.data as PopulationImported['data'], rows };
}

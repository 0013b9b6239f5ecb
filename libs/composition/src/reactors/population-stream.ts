import {
  type PopulationImported,
  type PopulationRow,
  type PopulationRowsAdded,
  populationStreamId,
} from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';

export interface StoredPopulation {
  readonly tenant: string;
  readonly imported: PopulationImported['data'];
  readonly rows: readonly PopulationRow[];
}

/**
 * A population as stored (its import event and every row, in chunk order), or null when the stream does
 * not exist. Shared by the draw, verification and the reactor that opens reviews: all of them work from
 * the event stream, the record, not from a read model.
 */
export async function readPopulation(eventStore: EventStore, populationId: string): Promise<StoredPopulation | null> {
  const events = await eventStore.readStream(populationStreamId(populationId));
  const first = events[0];
  if (!first || first.type !== 'PopulationImported') return null;
  const rows: PopulationRow[] = [];
  for (const event of events)
    if (event.type === 'PopulationRowsAdded') rows.push(...(event.data as PopulationRowsAdded['data']).rows);
  return { tenant: first.metadata.tenant, imported: first.data as PopulationImported['data'], rows };
}

import { readStreamState } from '../../../../libs/application/src/stream-state.js';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port.js';
import { organisationAggregate } from './organisation.aggregate.js';

/**
 * The teams of an area as the organisation's stream has them (sorted), for decisions that write: a
 * population imported or a sample drawn right after the organisation was loaded sees its teams.
 */
export async function teamsOfArea(eventStore: EventStore, tenant: string, areaId: string): Promise<string[]> {
  const loaded = await readStreamState(eventStore, organisationAggregate, tenant);
  if (loaded === null || loaded.tenant !== tenant) return [];
  return [...loaded.state.units.entries()]
    .filter(([, unit]) => unit.kind === 'team' && unit.parentId === areaId)
    .map(([unitId]) => unitId)
    .sort();
}

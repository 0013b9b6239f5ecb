import type { StreamReader } from '@pruefpfad/application';
import { organisationAggregate } from './organisation.aggregate.js';

/**
 * The teams of an area as the organisation's stream has them (sorted), for decisions that write: a
 * population imported or a sample drawn right after the organisation was loaded sees its teams.
 */
export async function teamsOfArea(streams: StreamReader, tenant: string, areaId: string): Promise<string[]> {
  const loaded = await streams.read(organisationAggregate, tenant);
  if (loaded === null || loaded.tenant !== tenant) return [];
  return [...loaded.state.units.entries()]
    .filter(([, unit]) => unit.kind === 'team' && unit.parentId === areaId)
    .map(([unitId]) => unitId)
    .sort();
}

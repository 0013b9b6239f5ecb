import type { TenantRegionEvent } from '@pruefpfad/domain';
import type { ProjectionDefinition } from '../../projection.js';
import { CROSS_LEVEL_TENANT_REGIONS, type TenantRegionDoc } from './cross-level.docs.js';

/** Read model `cross-level-tenant-regions`: each Jobcenter's region, so a region lists its tenants. */
export const tenantRegionsProjection: ProjectionDefinition<TenantRegionDoc> = {
  name: CROSS_LEVEL_TENANT_REGIONS,
  version: 1,
  // The Jobcenters of a region, by tenant.
  indexes: [{ fields: { region: 1, tenant: 1 } }],
  eventTypes: ['RegionAssigned'],
  documentIds: (recorded) => [(recorded.data as TenantRegionEvent['data']).tenant],
  evolve: (_doc, recorded, id) => {
    const data = recorded.data as TenantRegionEvent['data'];
    return { _id: id, tenant: data.tenant, region: data.region, since: data.since };
  },
};

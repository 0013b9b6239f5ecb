import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@pruefpfad/application';
import { DomainError, type Principal } from '@pruefpfad/domain';
import { CROSS_LEVEL_TENANT_REGIONS, type TenantRegionDoc } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DOCUMENT_STORE } from '../runtime/tokens.js';

/**
 * Who reaches which Jobcenters across levels. A regional principal (Regionaldirektion) reaches the
 * Jobcenters recorded in the region its token names; a central one (Zentrale) every Jobcenter with a
 * recorded region. A Jobcenter without a recorded region is in no cross-level view. Anything out of
 * reach is reported as not found, never as forbidden.
 */
export type CrossLevelReach = { readonly level: 'region'; readonly region: string } | { readonly level: 'nation' };

@Injectable()
export class CrossLevelScope {
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  /** The reach of a request for `region` (optional): a regional caller only its own, central any or all. */
  reach(principal: Principal, region: string | undefined): CrossLevelReach {
    if (principal.roles.includes('central'))
      return region === undefined ? { level: 'nation' } : { level: 'region', region };
    if (principal.roles.includes('regional')) {
      const own = principal.region;
      if (own === undefined)
        throw new DomainError('VALIDATION_FAILED', 'Region fehlt im Token / region claim missing', {
          fields: { region: 'Token ohne Region / token has no region claim' },
        });
      if (region !== undefined && region !== own) throw new NotFoundError(`region ${region}`);
      return { level: 'region', region: own };
    }
    throw new NotFoundError(`region ${region ?? ''}`);
  }

  /** Whether the principal reaches a region at all (central: any, regional: its own). */
  reachesRegion(principal: Principal, region: string): boolean {
    return principal.roles.includes('central') || (principal.roles.includes('regional') && principal.region === region);
  }

  /** The Jobcenters of a reach, sorted by tenant id. */
  async tenants(reach: CrossLevelReach): Promise<TenantRegionDoc[]> {
    const filter = reach.level === 'region' ? { region: reach.region } : {};
    return (await this.documents.find(CROSS_LEVEL_TENANT_REGIONS, filter, {
      sort: { tenant: 1 },
    })) as TenantRegionDoc[];
  }

  async regionOf(tenant: string): Promise<TenantRegionDoc | null> {
    return (await this.documents.get(CROSS_LEVEL_TENANT_REGIONS, tenant)) as TenantRegionDoc | null;
  }
}

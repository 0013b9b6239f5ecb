import type { Sealed } from '@pruefpfad/domain';

/**
 * Read model `organisation-units`: one document per area or team, `_id` = `<tenant>:<unitId>`. Other
 * contexts rely on this shape (acting rights, sampling teams of an area, per-team dashboards).
 */
export const ORGANISATION_UNITS = 'organisation-units';

export const organisationUnitDocId = (tenant: string, unitId: string): string => `${tenant}:${unitId}`;

export interface OrganisationUnitDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly unitId: string;
  readonly kind: 'area' | 'team';
  /** The team's area; null for areas. */
  readonly parentId: string | null;
  readonly name: string;
  readonly process: string | null;
  readonly teamLead: { readonly subject: string; readonly name: Sealed | null; readonly since: string } | null;
  readonly deputy: { readonly subject: string; readonly name: Sealed | null } | null;
  /** The team lead's recorded absences (local dates, inclusive); cancelled ones are removed. */
  readonly absences: readonly { readonly absenceId: string; readonly from: string; readonly to: string }[];
  /** Approved delegations beyond the deputy rule (local dates, inclusive). */
  readonly delegations: readonly {
    readonly delegationId: string;
    readonly toSubject: string;
    readonly from: string;
    readonly to: string;
  }[];
}

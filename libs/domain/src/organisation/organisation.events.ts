import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * The organisation of one Jobcenter (tenant) as data: areas (Bereiche) and teams, each team with its team
 * lead and designated deputy. Stream: `organisation-<tenant>`. People are identified by their identity
 * provider subject (a technical id needed for authorisation); their names are sealed.
 */
export type UnitKind = 'area' | 'team';

export type UnitDefined = DomainEvent<
  'UnitDefined',
  {
    readonly unitId: string;
    readonly kind: UnitKind;
    /** The area of a team; null for an area. */
    readonly parentId: string | null;
    readonly name: string;
    /** For teams: the customer process they work in (e.g. `allgemeine-vermittlung`, `leistung`). */
    readonly process: string | null;
  }
>;

/**
 * A unit's name, process or area changed (a reloaded organisation file). The id stays: reviews, programmes
 * and reports keep pointing at the same team.
 */
export type UnitRevised = DomainEvent<
  'UnitRevised',
  {
    readonly unitId: string;
    readonly kind: UnitKind;
    readonly parentId: string | null;
    readonly name: string;
    readonly process: string | null;
  }
>;

/**
 * A team's lead or designated deputy changed (either may stay the same): the team's open reviews stay
 * with the team (reviews belong to teams, not people). Names are sealed under `organisation:<tenant>`;
 * the fingerprints (keyed with the tenant's pseudonym key) let a reloaded file be compared without
 * opening them, so loading the same file twice appends nothing.
 */
export type TeamLeadAssigned = DomainEvent<
  'TeamLeadAssigned',
  {
    readonly teamId: string;
    readonly leadSubject: string;
    readonly leadName: Sealed | null;
    readonly leadNameFingerprint: string | null;
    readonly deputySubject: string | null;
    readonly deputyName: Sealed | null;
    readonly deputyNameFingerprint: string | null;
    /** The local date from which the assignment holds. */
    readonly since: string;
  }
>;

/** The team lead's absence: the deputy's rights are effective only inside it (local dates, inclusive). */
export type AbsenceRecorded = DomainEvent<
  'AbsenceRecorded',
  {
    readonly absenceId: string;
    readonly teamId: string;
    readonly from: string;
    readonly to: string;
    readonly recordedByRole: string;
  }
>;

export type AbsenceCancelled = DomainEvent<'AbsenceCancelled', { readonly absenceId: string; readonly teamId: string }>;

/** Any delegation beyond the deputy rule needs the area head's recorded approval (000:49). */
export type DelegationApproved = DomainEvent<
  'DelegationApproved',
  {
    readonly delegationId: string;
    readonly teamId: string;
    readonly toSubject: string;
    readonly from: string;
    readonly to: string;
    readonly reason: Sealed;
  }
>;

export type OrganisationEvent =
  UnitDefined | UnitRevised | TeamLeadAssigned | AbsenceRecorded | AbsenceCancelled | DelegationApproved;

export const ORGANISATION_EVENT_SCHEMAS = {
  UnitDefined: 1,
  UnitRevised: 1,
  TeamLeadAssigned: 1,
  AbsenceRecorded: 1,
  AbsenceCancelled: 1,
  DelegationApproved: 1,
} as const satisfies Record<OrganisationEvent['type'], number>;

export const organisationStreamId = (tenant: string): string => `organisation-${tenant}`;

/** Data key of the organisation's personal fields (names of team leads and deputies, delegation reasons). */
export const organisationKeyId = (tenant: string): string => `organisation:${tenant}`;

import type { Sealed } from '../shared/sealed.js';
import type { UnitKind } from './organisation.events.js';

/** A person named in the organisation: identity-provider subject, sealed name and its keyed fingerprint. */
export interface PersonInput {
  readonly subject: string;
  readonly name: Sealed;
  readonly nameFingerprint: string;
}

export interface TeamInput {
  readonly id: string;
  readonly name: string;
  readonly process: string;
  readonly lead: PersonInput;
  readonly deputy: PersonInput | null;
}

export interface AreaInput {
  readonly id: string;
  readonly name: string;
  readonly teams: readonly TeamInput[];
}

export type OrganisationCommand =
  /** The structure as data (a loaded file): only what differs from the current state is appended. */
  | { readonly type: 'LoadOrganisation'; readonly areas: readonly AreaInput[] }
  | {
      readonly type: 'DefineUnit';
      readonly unitId: string;
      readonly kind: UnitKind;
      readonly parentId: string | null;
      readonly name: string;
      readonly process: string | null;
    }
  | {
      readonly type: 'AssignTeamLead';
      readonly teamId: string;
      readonly lead: PersonInput;
      readonly deputy: PersonInput | null;
    }
  | {
      readonly type: 'RecordAbsence';
      readonly absenceId: string;
      readonly teamId: string;
      readonly from: string;
      readonly to: string;
    }
  | { readonly type: 'CancelAbsence'; readonly absenceId: string; readonly teamId: string }
  | {
      readonly type: 'ApproveDelegation';
      readonly delegationId: string;
      readonly teamId: string;
      readonly toSubject: string;
      readonly from: string;
      readonly to: string;
      readonly reason: Sealed;
    };

import type { OrganisationEvent, UnitKind } from './organisation.events.js';

/** A person as the decider compares them: the subject and the keyed fingerprint of the sealed name. */
export interface PersonRef {
  readonly subject: string;
  readonly nameFingerprint: string | null;
}

export interface UnitState {
  readonly kind: UnitKind;
  readonly parentId: string | null;
  readonly name: string;
  readonly process: string | null;
  readonly lead: PersonRef | null;
  readonly deputy: PersonRef | null;
}

export interface OrganisationState {
  readonly units: ReadonlyMap<string, UnitState>;
  /** Every absence ever recorded, so an id is never reused and a cancelled one cannot be cancelled again. */
  readonly absences: ReadonlyMap<string, { readonly teamId: string; readonly cancelled: boolean }>;
  readonly delegations: ReadonlySet<string>;
}

export const initialOrganisationState = (): OrganisationState => ({
  units: new Map(),
  absences: new Map(),
  delegations: new Set(),
});

const withUnit = (state: OrganisationState, unitId: string, unit: UnitState): OrganisationState => ({
  ...state,
  units: new Map(state.units).set(unitId, unit),
});

export function evolveOrganisation(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'UnitDefined':
    case 'UnitRevised': {
      const { unitId, kind, parentId, name, process } = event.data;
      const previous = state.units.get(unitId);
      return withUnit(state, unitId, {
        kind,
        parentId,
        name,
        process,
        lead: previous?.lead ?? null,
        deputy: previous?.deputy ?? null,
      });
    }
    case 'TeamLeadAssigned': {
      const team = state.units.get(event.data.teamId);
      if (!team) return state;
      const { leadSubject, leadNameFingerprint, deputySubject, deputyNameFingerprint } = event.data;
      return withUnit(state, event.data.teamId, {
        ...team,
        lead: { subject: leadSubject, nameFingerprint: leadNameFingerprint },
        deputy: deputySubject === null ? null : { subject: deputySubject, nameFingerprint: deputyNameFingerprint },
      });
    }
    case 'AbsenceRecorded':
      return {
        ...state,
        absences: new Map(state.absences).set(event.data.absenceId, { teamId: event.data.teamId, cancelled: false }),
      };
    case 'AbsenceCancelled':
      return {
        ...state,
        absences: new Map(state.absences).set(event.data.absenceId, { teamId: event.data.teamId, cancelled: true }),
      };
    case 'DelegationApproved':
      return { ...state, delegations: new Set(state.delegations).add(event.data.delegationId) };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

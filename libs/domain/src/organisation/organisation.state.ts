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

/** The team lead's absence (local dates, inclusive): the deputy acts only inside one that is not cancelled. */
export interface AbsenceState {
  readonly teamId: string;
  readonly from: string;
  readonly to: string;
  readonly cancelled: boolean;
}

/** An approved delegation beyond the deputy rule (local dates, inclusive). */
export interface DelegationState {
  readonly teamId: string;
  readonly toSubject: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Also what acting rights are decided on (apps/api `ActingRights`): who leads and deputises a team, and
 * the absences and delegations in force, as the stream has them the moment a command arrives.
 */
export interface OrganisationState {
  readonly units: ReadonlyMap<string, UnitState>;
  /** Every absence ever recorded, so an id is never reused and a cancelled one cannot be cancelled again. */
  readonly absences: ReadonlyMap<string, AbsenceState>;
  readonly delegations: ReadonlyMap<string, DelegationState>;
}

export const initialOrganisationState = (): OrganisationState => ({
  units: new Map(),
  absences: new Map(),
  delegations: new Map(),
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
    case 'AbsenceRecorded': {
      const { absenceId, teamId, from, to } = event.data;
      return { ...state, absences: new Map(state.absences).set(absenceId, { teamId, from, to, cancelled: false }) };
    }
    case 'AbsenceCancelled': {
      const recorded = state.absences.get(event.data.absenceId);
      if (!recorded) return state;
      return {
        ...state,
        absences: new Map(state.absences).set(event.data.absenceId, { ...recorded, cancelled: true }),
      };
    }
    case 'DelegationApproved': {
      const { delegationId, teamId, toSubject, from, to } = event.data;
      return { ...state, delegations: new Map(state.delegations).set(delegationId, { teamId, toSubject, from, to }) };
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

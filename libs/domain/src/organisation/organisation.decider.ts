import { isLocalDate } from '../calendar/local-date.js';
import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import { checkSubject, decideLoad, leadershipChanged, teamLeadAssigned, UNIT_ID_PATTERN } from './organisation-load.js';
import type { OrganisationCommand } from './organisation.commands.js';
import type { OrganisationEvent } from './organisation.events.js';
import {
  evolveOrganisation,
  initialOrganisationState,
  type OrganisationState,
  type UnitState,
} from './organisation.state.js';

export type { OrganisationCommand } from './organisation.commands.js';
export type { OrganisationState } from './organisation.state.js';

const teamNotFound = (teamId: string): DomainError =>
  new DomainError('NOT_FOUND', 'Team nicht gefunden / Team not found', { teamId });

function existingTeam(state: OrganisationState, teamId: string): UnitState {
  const team = state.units.get(teamId);
  if (!team || team.kind !== 'team') throw teamNotFound(teamId);
  return team;
}

/** A period of local dates, inclusive; `from` after `to` is a mistake in the input (400 with fields). */
function validatePeriod(from: string, to: string, extra: Record<string, string> = {}): void {
  const problems: Record<string, string> = { ...extra };
  if (!isLocalDate(from)) problems.from = 'ein Datum jjjj-mm-tt / a date yyyy-mm-dd';
  if (!isLocalDate(to)) problems.to = 'ein Datum jjjj-mm-tt / a date yyyy-mm-dd';
  else if (problems.from === undefined && from > to) problems.to = 'nicht vor dem Beginn / not before from';
  if (Object.keys(problems).length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Ungültiger Zeitraum / Invalid period', { fields: problems });
}

function defineUnit(
  command: Extract<OrganisationCommand, { type: 'DefineUnit' }>,
  state: OrganisationState,
): OrganisationEvent[] {
  const problems: Record<string, string> = {};
  if (!UNIT_ID_PATTERN.test(command.unitId)) problems.unitId = 'ein Kürzel / a slug';
  if (command.name.trim() === '') problems.name = 'erforderlich / required';
  if (command.kind === 'team' && (command.process === null || !UNIT_ID_PATTERN.test(command.process)))
    problems.process = 'ein Kürzel / a slug';
  if (Object.keys(problems).length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Ungültige Einheit / Invalid unit', { fields: problems });
  if (state.units.has(command.unitId))
    throw new DomainError('ALREADY_EXISTS', 'Einheit existiert bereits / Unit already exists', {
      unitId: command.unitId,
    });
  if (command.kind === 'area' && command.parentId !== null)
    throw ruleViolation('Ein Bereich hat keine übergeordnete Einheit.', 'An area has no parent unit.');
  if (command.kind === 'team') {
    const area = command.parentId === null ? undefined : state.units.get(command.parentId);
    if (!area || area.kind !== 'area')
      throw ruleViolation('Ein Team gehört zu einem bestehenden Bereich.', 'A team belongs to an existing area.', {
        parentId: command.parentId,
      });
  }
  const { unitId, kind, parentId, name, process } = command;
  return [{ type: 'UnitDefined', data: { unitId, kind, parentId, name, process: kind === 'area' ? null : process } }];
}

export const organisationDecider: Decider<OrganisationCommand, OrganisationState, OrganisationEvent> = {
  initialState: initialOrganisationState,
  evolve: evolveOrganisation,

  decide: (command, state, context: DecisionContext) => {
    switch (command.type) {
      case 'LoadOrganisation':
        return decideLoad(command.areas, state, context);
      case 'DefineUnit':
        return defineUnit(command, state);
      case 'AssignTeamLead': {
        const team = existingTeam(state, command.teamId);
        if (command.deputy?.subject === command.lead.subject)
          throw ruleViolation(
            'Die Stellvertretung ist eine andere Person als die Teamleitung.',
            'The deputy is not the team lead.',
          );
        // Reviews belong to the team (domain brief): a new lead is one event, nothing else moves.
        return leadershipChanged(team, command.lead, command.deputy)
          ? [teamLeadAssigned(command.teamId, command.lead, command.deputy, context)]
          : [];
      }
      case 'RecordAbsence': {
        validatePeriod(command.from, command.to);
        const team = existingTeam(state, command.teamId);
        if (team.lead === null)
          throw ruleViolation('Das Team hat keine Teamleitung.', 'The team has no team lead.', {
            teamId: command.teamId,
          });
        if (state.absences.has(command.absenceId))
          throw new DomainError('ALREADY_EXISTS', 'Abwesenheit existiert bereits / Absence already exists');
        return [
          {
            type: 'AbsenceRecorded',
            data: {
              absenceId: command.absenceId,
              teamId: command.teamId,
              from: command.from,
              to: command.to,
              recordedByRole: context.actor.role,
            },
          },
        ];
      }
      case 'CancelAbsence': {
        existingTeam(state, command.teamId);
        const absence = state.absences.get(command.absenceId);
        if (!absence || absence.teamId !== command.teamId || absence.cancelled)
          throw new DomainError('NOT_FOUND', 'Abwesenheit nicht gefunden / Absence not found', {
            absenceId: command.absenceId,
          });
        return [{ type: 'AbsenceCancelled', data: { absenceId: command.absenceId, teamId: command.teamId } }];
      }
      case 'ApproveDelegation': {
        const problems: Record<string, string> = {};
        checkSubject(problems, 'toSubject', command.toSubject);
        validatePeriod(command.from, command.to, problems);
        const team = existingTeam(state, command.teamId);
        if (team.lead?.subject === command.toSubject)
          throw ruleViolation('Die Teamleitung braucht keine Delegation.', 'The team lead needs no delegation.');
        if (state.delegations.has(command.delegationId))
          throw new DomainError('ALREADY_EXISTS', 'Delegation existiert bereits / Delegation already exists');
        return [
          {
            type: 'DelegationApproved',
            data: {
              delegationId: command.delegationId,
              teamId: command.teamId,
              toSubject: command.toSubject,
              from: command.from,
              to: command.to,
              reason: command.reason,
            },
          },
        ];
      }
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  },
};

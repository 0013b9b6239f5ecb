import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import {
  SAMPLING_SETTINGS,
  type ProgrammeEvent,
  type ProgrammeSettings,
  type StaffCouncilParticipation,
} from './programme.events.js';

export type ProgrammeCommand =
  | {
      readonly type: 'DefineProgramme';
      readonly programmeId: string;
      readonly settings: ProgrammeSettings;
      readonly reason: string;
      readonly note: Sealed | null;
    }
  | {
      readonly type: 'ReviseProgramme';
      readonly programmeId: string;
      readonly changes: Partial<ProgrammeSettings>;
      readonly reason: string;
      readonly staffCouncil: StaffCouncilParticipation | null;
      readonly note: Sealed | null;
    };

export type ProgrammeState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'defined';
      readonly programmeId: string;
      readonly settings: ProgrammeSettings;
      readonly revisions: number;
    };

function validateSettings(settings: ProgrammeSettings): void {
  const problems: Record<string, string> = {};
  if (!Number.isInteger(settings.minimumCasesPerTeamLead) || settings.minimumCasesPerTeamLead < 1)
    problems.minimumCasesPerTeamLead = 'must be a whole number of at least 1';
  if (!Number.isInteger(settings.retentionMonths) || settings.retentionMonths < 1)
    problems.retentionMonths = 'must be a whole number of at least 1';
  if (!Number.isInteger(settings.reportDueDay) || settings.reportDueDay < 1 || settings.reportDueDay > 28)
    problems.reportDueDay = 'must be a day between 1 and 28';
  if (!Number.isInteger(settings.reviewDeadlineDaysAfterMonth) || settings.reviewDeadlineDaysAfterMonth < 0)
    problems.reviewDeadlineDaysAfterMonth = 'must be a whole number of at least 0';
  if (!Number.isInteger(settings.excludeDrawnWithinMonths) || settings.excludeDrawnWithinMonths < 0)
    problems.excludeDrawnWithinMonths = 'must be a whole number of at least 0';
  if (
    settings.errorRatePolicy.kind === 'collect' &&
    !(settings.errorRatePolicy.tolerancePercent > 0 && settings.errorRatePolicy.tolerancePercent < 100)
  )
    problems['errorRatePolicy.tolerancePercent'] = 'must be between 0 and 100 (exclusive)';
  if (Object.keys(problems).length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Ungültige Prüfplan-Einstellungen / Invalid programme settings', {
      fields: problems,
    });
}

export const programmeDecider: Decider<ProgrammeCommand, ProgrammeState, ProgrammeEvent> = {
  initialState: () => ({ status: 'absent' }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'ProgrammeDefined':
        return {
          status: 'defined',
          programmeId: event.data.programmeId,
          settings: event.data.settings,
          revisions: 0,
        };
      case 'ProgrammeRevised':
        if (state.status !== 'defined') return state;
        return {
          ...state,
          settings: { ...state.settings, ...event.data.changes },
          revisions: event.data.revision,
        };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context: DecisionContext) => {
    if (command.reason.trim() === '')
      throw ruleViolation('Jede Änderung braucht eine Begründung.', 'Every change needs a reason.');
    switch (command.type) {
      case 'DefineProgramme':
        if (state.status !== 'absent')
          throw new DomainError('ALREADY_EXISTS', 'Prüfplan existiert bereits / Programme already exists', {
            programmeId: command.programmeId,
          });
        validateSettings(command.settings);
        return [
          {
            type: 'ProgrammeDefined',
            data: {
              programmeId: command.programmeId,
              settings: command.settings,
              reason: command.reason,
              note: command.note,
              definedAt: context.now,
            },
          },
        ];
      case 'ReviseProgramme': {
        if (state.status !== 'defined')
          throw new DomainError('NOT_FOUND', 'Prüfplan nicht gefunden / Programme not found', {
            programmeId: command.programmeId,
          });
        const changed = Object.fromEntries(
          Object.entries(command.changes).filter(
            ([key, value]) => JSON.stringify(state.settings[key as keyof ProgrammeSettings]) !== JSON.stringify(value),
          ),
        ) as Partial<ProgrammeSettings>;
        if (Object.keys(changed).length === 0)
          throw ruleViolation('Die Revision ändert nichts.', 'The revision changes nothing.');
        validateSettings({ ...state.settings, ...changed });
        const touchesSampling = SAMPLING_SETTINGS.some((key) => key in changed);
        if (touchesSampling && command.staffCouncil === null)
          throw ruleViolation(
            'Eine Änderung des Stichprobenverfahrens braucht die Beteiligung des Personalrats.',
            'A change to the sampling procedure needs the staff council’s participation first.',
            { settings: SAMPLING_SETTINGS.filter((key) => key in changed) },
          );
        return [
          {
            type: 'ProgrammeRevised',
            data: {
              programmeId: command.programmeId,
              revision: state.revisions + 1,
              changes: changed,
              reason: command.reason,
              staffCouncil: command.staffCouncil,
              note: command.note,
              revisedAt: context.now,
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

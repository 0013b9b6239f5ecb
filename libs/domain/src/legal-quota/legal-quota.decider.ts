import { isMonth, monthOf } from '../calendar/local-date.js';
import type { Decider, DecisionContext } from '../shared/decider.js';
import { DomainError, ruleViolation } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import { totalsOf } from './legal-quota.arithmetic.js';
import type { LegalQuotaEvent, LegalQuotaRow, LegalQuotaTotals } from './legal-quota.events.js';
import { type LegalQuotaRowInput, validateRows } from './legal-quota.validation.js';

/**
 * A month's appeal figures of the legal department (001:252–280). Recorded once; every later change is a
 * correction of the whole month with its reason, so the record shows what the figures were before.
 */
export type LegalQuotaCommand =
  | {
      readonly type: 'RecordLegalQuotaFigures';
      readonly quotaId: string;
      readonly month: string;
      readonly rows: readonly LegalQuotaRowInput[];
    }
  | {
      readonly type: 'CorrectLegalQuotaFigures';
      readonly quotaId: string;
      readonly month: string;
      readonly rows: readonly LegalQuotaRowInput[];
      readonly reason: Sealed;
    };

export type LegalQuotaState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'recorded';
      readonly rows: readonly LegalQuotaRow[];
      readonly totals: LegalQuotaTotals;
      readonly corrections: number;
    };

/** Rows as stored: legal norm with whitespace normalised, the checked avoidable total dropped, a stable order. */
export function normaliseRows(rows: readonly LegalQuotaRowInput[]): LegalQuotaRow[] {
  return rows
    .map((row) => ({
      legalNorm: row.legalNorm.replace(/\s+/gu, ' ').trim(),
      teamId: row.teamId,
      settled: row.settled,
      upheldFully: row.upheldFully,
      upheldPartly: row.upheldPartly,
      avoidable: {
        documentation: row.avoidable.documentation,
        'application-of-law': row.avoidable['application-of-law'],
        'fact-finding': row.avoidable['fact-finding'],
      },
    }))
    .sort((a, b) => a.legalNorm.localeCompare(b.legalNorm, 'de') || (a.teamId ?? '').localeCompare(b.teamId ?? ''));
}

function assertValid(command: LegalQuotaCommand, today: string): LegalQuotaRow[] {
  const problems = validateRows(command.rows);
  if (!isMonth(command.month)) problems.month = 'yyyy-mm';
  if (Object.keys(problems).length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Ungültige Monatszahlen / Invalid monthly figures', {
      fields: problems,
    });
  // Figures describe appeals settled in the month: a month that has not begun has none yet.
  if (command.month > monthOf(today))
    throw ruleViolation(
      `Zahlen für ${command.month} können erst ab diesem Monat erfasst werden.`,
      `Figures for ${command.month} can be recorded from that month on.`,
    );
  return normaliseRows(command.rows);
}

const sameRows = (a: readonly LegalQuotaRow[], b: readonly LegalQuotaRow[]): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

export const legalQuotaDecider: Decider<LegalQuotaCommand, LegalQuotaState, LegalQuotaEvent> = {
  initialState: () => ({ status: 'absent' }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'LegalQuotaFiguresRecorded':
        return { status: 'recorded', rows: event.data.rows, totals: totalsOf(event.data.rows), corrections: 0 };
      case 'LegalQuotaFiguresCorrected':
        return {
          status: 'recorded',
          rows: event.data.rows,
          totals: totalsOf(event.data.rows),
          corrections: state.status === 'recorded' ? state.corrections + 1 : 1,
        };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state, context: DecisionContext) => {
    switch (command.type) {
      case 'RecordLegalQuotaFigures': {
        if (state.status === 'recorded')
          throw new DomainError(
            'ALREADY_EXISTS',
            'Die Zahlen dieses Monats sind bereits erfasst; Änderungen als Korrektur mit Begründung. / ' +
              "This month's figures are already recorded; change them by a correction with a reason.",
            { quotaId: command.quotaId },
          );
        const rows = assertValid(command, context.today);
        return [
          {
            type: 'LegalQuotaFiguresRecorded',
            data: { quotaId: command.quotaId, month: command.month, rows, recordedAt: context.now },
          },
        ];
      }
      case 'CorrectLegalQuotaFigures': {
        if (state.status === 'absent')
          throw new DomainError(
            'NOT_FOUND',
            'Für diesen Monat sind keine Zahlen erfasst. / No figures are recorded for this month.',
            { quotaId: command.quotaId },
          );
        const rows = assertValid(command, context.today);
        if (sameRows(rows, state.rows))
          throw ruleViolation('Die Korrektur ändert keine Zahl.', 'The correction changes no figure.');
        return [
          {
            type: 'LegalQuotaFiguresCorrected',
            data: {
              quotaId: command.quotaId,
              month: command.month,
              rows,
              previousTotals: state.totals,
              reason: command.reason,
              correctedAt: context.now,
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

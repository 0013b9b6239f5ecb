import type { Decider } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { PopulationEvent, PopulationRow } from './sampling.events.js';

/**
 * A month's population (stream `population-<populationId>`), imported once. Rows arrive already
 * tokenised and sealed (the application layer does the cryptography) and are stored in chunks
 * appended together with `PopulationImported`, so an import is all or nothing.
 */
export type PopulationCommand =
  | ImportPopulation
  | {
      /** Records that the population's data key was destroyed (the caller destroys it first). Idempotent. */
      readonly type: 'RecordReferencesDestroyed';
      readonly populationId: string;
      readonly keptUntil: string;
    };

export interface ImportPopulation {
  readonly type: 'ImportPopulation';
  readonly populationId: string;
  readonly programmeId: string;
  readonly month: string;
  readonly rows: readonly PopulationRow[];
  readonly fingerprint: string;
  readonly source: { readonly format: 'csv' | 'json'; readonly fileName: string | null };
  /** Rows per `PopulationRowsAdded` event (configuration). */
  readonly chunkRows: number;
}

export type PopulationState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'imported';
      readonly programmeId: string;
      readonly month: string;
      readonly rowCount: number;
      readonly chunks: number;
      readonly referencesDestroyed: boolean;
    };

export const populationDecider: Decider<PopulationCommand, PopulationState, PopulationEvent> = {
  initialState: () => ({ status: 'absent' }),

  evolve: (state, event) => {
    switch (event.type) {
      case 'PopulationImported':
        return {
          status: 'imported',
          programmeId: event.data.programmeId,
          month: event.data.month,
          rowCount: event.data.rowCount,
          chunks: 0,
          referencesDestroyed: false,
        };
      case 'PopulationRowsAdded':
        return state.status === 'imported' ? { ...state, chunks: state.chunks + 1 } : state;
      case 'PopulationReferencesDestroyed':
        return state.status === 'imported' ? { ...state, referencesDestroyed: true } : state;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },

  decide: (command, state) => {
    if (command.type === 'RecordReferencesDestroyed') {
      if (state.status !== 'imported')
        throw new DomainError('NOT_FOUND', 'Grundgesamtheit nicht gefunden / Population not found', {
          populationId: command.populationId,
        });
      if (state.referencesDestroyed) return [];
      return [
        {
          type: 'PopulationReferencesDestroyed',
          data: {
            populationId: command.populationId,
            programmeId: state.programmeId,
            month: state.month,
            keptUntil: command.keptUntil,
          },
        },
      ];
    }
    if (state.status !== 'absent')
      throw new DomainError('ALREADY_EXISTS', 'Grundgesamtheit existiert bereits / Population already exists', {
        populationId: command.populationId,
      });
    if (command.rows.length === 0)
      throw new DomainError('VALIDATION_FAILED', 'Die Grundgesamtheit ist leer. / The population is empty.', {
        fields: { rows: 'mindestens eine Zeile / at least one row' },
      });
    if (!Number.isInteger(command.chunkRows) || command.chunkRows < 1)
      throw new RangeError(`chunkRows must be a whole number ≥ 1: ${command.chunkRows}`);
    const chunks: PopulationEvent[] = [];
    for (let start = 0; start < command.rows.length; start += command.chunkRows)
      chunks.push({
        type: 'PopulationRowsAdded',
        data: {
          populationId: command.populationId,
          chunk: chunks.length,
          rows: command.rows.slice(start, start + command.chunkRows),
        },
      });
    return [
      {
        type: 'PopulationImported',
        data: {
          populationId: command.populationId,
          programmeId: command.programmeId,
          month: command.month,
          rowCount: command.rows.length,
          fingerprint: command.fingerprint,
          source: command.source,
        },
      },
      ...chunks,
    ];
  },
};

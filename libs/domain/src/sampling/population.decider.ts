import type { Decider } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type {
  PopulationEvent,
  PopulationImported,
  PopulationImportCompleted,
  PopulationRow,
  PopulationRowsAdded,
} from './sampling.events.js';

/**
 * A month's population (stream `population-<populationId>`). Rows arrive already tokenised and sealed (the
 * application layer does the cryptography).
 *
 * An import is written in appends of bounded size (an event store refuses or times out on one huge
 * append: KurrentDB's `MaxAppendSize` is 1 MiB unless configured otherwise). `ImportPopulation` therefore
 * decides the NEXT append of the import on the stream as it stands, and the caller repeats it, each
 * append against the previous one's revision, until nothing is left to decide:
 * - nothing stored: `PopulationImported` with the first rows; when every row fits into this one append it
 *   is the whole import (complete as imported, like every import before bounded appends);
 * - rows missing: the next rows from where the stored ones end (a retry after a crash or timeout resumes
 *   here, whatever happened to the earlier appends);
 * - every row stored: `PopulationImportCompleted`, the import's last append;
 * - complete: nothing (a repeated import answers with what is stored).
 */
export type PopulationCommand =
  | ImportPopulation
  | {
      /** Records that the population's data key was destroyed (the caller destroys it first). Idempotent. */
      readonly type: 'RecordReferencesDestroyed';
      readonly populationId: string;
      readonly keptUntil: string;
    };

/** Bounds of one append (configuration). */
export interface AppendBounds {
  /** Rows per append, over all its `PopulationRowsAdded` events. */
  readonly maxRows: number;
  /** Bytes per append: events' JSON data plus `eventOverheadBytes` for each event. */
  readonly maxBytes: number;
  /** What the store adds to each event besides its data (metadata, type, ids, chain), as an upper bound. */
  readonly eventOverheadBytes: number;
}

export interface ImportPopulation {
  readonly type: 'ImportPopulation';
  readonly populationId: string;
  readonly programmeId: string;
  readonly month: string;
  /** Every row of the import, in file order (each retry of the same import passes the same rows). */
  readonly rows: readonly PopulationRow[];
  readonly fingerprint: string;
  /** The import's content key (see `PopulationImported.importKey`). */
  readonly importKey?: string;
  readonly source: { readonly format: 'csv' | 'json'; readonly fileName: string | null };
  /** Rows per `PopulationRowsAdded` event (configuration). */
  readonly chunkRows: number;
  readonly append: AppendBounds;
}

export type PopulationState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'imported';
      readonly programmeId: string;
      readonly month: string;
      readonly rowCount: number;
      readonly fingerprint: string;
      /** `PopulationRowsAdded` events stored. */
      readonly chunks: number;
      readonly rowsStored: number;
      /** False while an import written in bounded appends lacks its `PopulationImportCompleted`. */
      readonly complete: boolean;
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
          fingerprint: event.data.fingerprint,
          chunks: 0,
          rowsStored: 0,
          complete: event.data.completion !== 'marker',
          referencesDestroyed: false,
        };
      case 'PopulationRowsAdded':
        return state.status === 'imported'
          ? { ...state, chunks: state.chunks + 1, rowsStored: state.rowsStored + event.data.rows.length }
          : state;
      case 'PopulationImportCompleted':
        return state.status === 'imported' ? { ...state, complete: true } : state;
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
    if (command.rows.length === 0)
      throw new DomainError('VALIDATION_FAILED', 'Die Grundgesamtheit ist leer. / The population is empty.', {
        fields: { rows: 'mindestens eine Zeile / at least one row' },
      });
    checkBounds(command);
    if (state.status === 'absent') return firstAppend(command);
    if (
      state.programmeId !== command.programmeId ||
      state.month !== command.month ||
      state.fingerprint !== command.fingerprint ||
      state.rowCount !== command.rows.length
    )
      throw new DomainError('ALREADY_EXISTS', 'Grundgesamtheit existiert bereits / Population already exists', {
        populationId: command.populationId,
      });
    if (state.complete) return [];
    if (state.rowsStored > state.rowCount)
      throw new Error(`population ${command.populationId}: ${state.rowsStored} rows stored of ${state.rowCount}`);
    if (state.rowsStored === state.rowCount) return [completed(command, state.chunks)];
    const { chunks } = nextChunks(command, state.rowsStored, state.chunks, 0);
    return chunks;
  },
};

function checkBounds(command: ImportPopulation): void {
  const whole = (value: number, min: number) => Number.isSafeInteger(value) && value >= min;
  if (!whole(command.chunkRows, 1)) throw new RangeError(`chunkRows must be a whole number ≥ 1: ${command.chunkRows}`);
  const { maxRows, maxBytes, eventOverheadBytes } = command.append;
  if (!whole(maxRows, 1) || !whole(maxBytes, 1) || !whole(eventOverheadBytes, 0))
    throw new RangeError(`append bounds must be whole numbers ≥ 1: ${JSON.stringify(command.append)}`);
}

function header(command: ImportPopulation, completion: 'marker' | null): PopulationImported {
  return {
    type: 'PopulationImported',
    data: {
      populationId: command.populationId,
      programmeId: command.programmeId,
      month: command.month,
      rowCount: command.rows.length,
      fingerprint: command.fingerprint,
      source: command.source,
      ...(completion === null ? {} : { completion }),
      ...(command.importKey === undefined ? {} : { importKey: command.importKey }),
    },
  };
}

function completed(command: ImportPopulation, chunks: number): PopulationImportCompleted {
  return {
    type: 'PopulationImportCompleted',
    data: {
      populationId: command.populationId,
      programmeId: command.programmeId,
      month: command.month,
      rowCount: command.rows.length,
      chunks,
      fingerprint: command.fingerprint,
    },
  };
}

/** The first append: the import event and as many rows as fit; all of them makes it the whole import. */
function firstAppend(command: ImportPopulation): PopulationEvent[] {
  // Sized with `completion` present, the larger of the two forms.
  const marked = header(command, 'marker');
  const { chunks, next } = nextChunks(command, 0, 0, eventBytes(marked, command.append));
  if (next === command.rows.length) return [header(command, null), ...chunks];
  return [marked, ...chunks];
}

/**
 * The `PopulationRowsAdded` events of one append, from row `from` and chunk number `chunk` on, within
 * the append's row and byte bounds (`usedBytes` already taken by other events of the append).
 */
function nextChunks(
  command: ImportPopulation,
  from: number,
  chunk: number,
  usedBytes: number,
): { chunks: PopulationRowsAdded[]; next: number } {
  const { rows, chunkRows, append } = command;
  const chunks: PopulationRowsAdded[] = [];
  let bytes = usedBytes;
  let next = from;
  let rowsInAppend = 0;
  while (next < rows.length && rowsInAppend < append.maxRows) {
    const data = { populationId: command.populationId, chunk: chunk + chunks.length, rows: [] as PopulationRow[] };
    // An empty chunk's JSON, the event's overhead, and per row its JSON and a comma.
    let chunkBytes = eventBytes({ type: 'PopulationRowsAdded', data }, append);
    if (bytes + chunkBytes > append.maxBytes) break;
    while (next < rows.length && data.rows.length < chunkRows && rowsInAppend + data.rows.length < append.maxRows) {
      const row = rows[next]!;
      const rowBytes = jsonBytes(row) + 1;
      if (bytes + chunkBytes + rowBytes > append.maxBytes) break;
      data.rows.push(row);
      chunkBytes += rowBytes;
      next += 1;
    }
    if (data.rows.length === 0) break;
    chunks.push({ type: 'PopulationRowsAdded', data });
    bytes += chunkBytes;
    rowsInAppend += data.rows.length;
  }
  if (chunks.length === 0 && next < rows.length)
    throw new RangeError(
      `population ${command.populationId}: row ${next + 1} alone exceeds the append bound of ${append.maxBytes} bytes`,
    );
  return { chunks, next };
}

function eventBytes(event: PopulationEvent, append: AppendBounds): number {
  return jsonBytes(event.data) + event.type.length + append.eventOverheadBytes;
}

/** UTF-8 length of the value's JSON (what the store transmits), without encoding it. */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  let bytes = 0;
  for (let index = 0; index < json.length; index += 1) {
    const code = json.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

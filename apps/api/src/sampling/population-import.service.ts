import { createHash, createHmac } from 'node:crypto';
import {
  berlinDate,
  type Clock,
  type CommandContext,
  type CommandResult,
  NotFoundError,
  readStreamState,
  type StreamReader,
} from '@pruefpfad/application';
import {
  isMonth,
  type PopulationEvent,
  populationReferencesKeptUntil,
  type PopulationRow,
  type PopulationState,
  populationStreamId,
  ruleViolation,
  SAMPLING_EVENT_SCHEMAS,
} from '@pruefpfad/domain';
import {
  canonicalJson,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  WrongExpectedRevisionError,
} from '@pruefpfad/event-store';
import {
  CASE_REF_PURPOSE,
  drawToken,
  type Envelope,
  type KeyStore,
  newPopulationTokenKey,
  populationKeyId,
  pseudonymise,
  tenantPseudonymKey,
} from '@pruefpfad/privacy';
import { type PopulationDoc, POPULATIONS } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { teamsOfArea } from '../organisation/organisation.facts.js';
import type { ProgrammeFacts } from '../programmes/programme.facts.js';
import {
  checkAgainstProgramme,
  parsePopulationCsv,
  parsePopulationJson,
  type FieldError,
  type ParseResult,
} from './population-parser.js';
import { populationAggregate, samplingAggregate, samplingAggregateId } from './sampling.aggregates.js';
import { populationFingerprint } from './sampling-crypto.js';
import { COMPLETE_POPULATIONS, LATEST_POPULATIONS_FIRST, SAMPLING_DEFAULTS } from './sampling.defaults.js';

/** The file was refused: every malformed row with its line, nothing imported (400). */
export class PopulationRejectedError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    readonly errors: readonly FieldError[],
    readonly total: number,
  ) {
    super(
      `Die Grundgesamtheit wurde nicht importiert: ${total} fehlerhafte Angabe(n). / ` +
        `The population was not imported: ${total} error(s).`,
    );
    this.name = 'PopulationRejectedError';
  }
}

export interface ImportProgress {
  /** `stored` is reported after each append, with the rows stored so far. */
  readonly phase: 'parsed' | 'sealed' | 'stored';
  readonly rows: number;
  readonly total: number;
}

export interface PopulationImportRequest {
  readonly programme: ProgrammeFacts;
  readonly month: string;
  readonly format: 'csv' | 'json';
  /** CSV text, or the parsed JSON body. */
  readonly content: unknown;
  readonly fileName: string | null;
  readonly context: CommandContext;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface PopulationImportResult extends CommandResult {
  readonly populationId: string;
  readonly rowCount: number;
  readonly fingerprint: string;
  /** Appends this call made (0 when the same import was already complete: a repeated request). */
  readonly appends: number;
}

export interface PopulationImportDependencies {
  readonly eventStore: EventStore;
  /** The organisation's stream, folded and caught up on every read. */
  readonly streams: StreamReader;
  readonly keyStore: KeyStore;
  readonly envelope: Envelope;
  readonly clock: Clock;
  /** Days after a population's month that its clear references are kept (configuration). */
  readonly populationReferenceDays: number;
  /** Recorded in each event's metadata, as the command pipeline does. */
  readonly rulesVersion: string;
  /** The `populations` read model: which population of the month is the latest. */
  readonly documents: DocumentStore;
  /**
   * Resolves once the `populations` read model reflects every event stored so far, rejects when it does
   * not in time: the import's id depends on which population is the month's latest.
   */
  readonly populationsCurrent: () => Promise<void>;
}

const PROGRESS_EVERY = 1000;

/** Errors in file order (`line 3` before `line 17`), whichever check found them. */
function byLine(errors: FieldError[]): FieldError[] {
  const lineOf = (error: FieldError): number => Number(/^(?:line|row) (\d+)/.exec(error.field)?.[1] ?? 0);
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => lineOf(a.error) - lineOf(b.error) || a.index - b.index)
    .map(({ error }) => error);
}

/** A conflict means another run of the same import appended meanwhile; each one re-reads the stream. */
const CONFLICT_RETRIES = 5;

/**
 * Imports a month's population (shared by the HTTP endpoint and `npm run cli -- import-population`):
 * parse and check every row against the programme and the organisation as their streams have them (lines
 * reported, nothing stored on any error), turn each case reference into the population's draw token (see
 * `libs/privacy/src/draw-token.ts`), seal the clear reference under the population's own key, fingerprint
 * the rows without clear data, and append them in bounded appends (`SAMPLING_DEFAULTS.populationAppend`).
 *
 * The import is identified by its content: the population id is derived from the tenant's pseudonym key,
 * programme, month and the rows (pseudonymised case references in file order, and the other fields), so
 * a retry of the same file after a timeout, a crash or a 503 finds the same stream. On it the population
 * decider decides what is still missing: nothing (the import is complete: the stored result is the
 * answer), the rows after the last stored ones, or the completion marker. Each append names the revision
 * the previous one produced, so no row is ever stored twice however the earlier attempts ended; event ids
 * are derived from the population and the chunk, so a re-sent append is recognised by both stores as the
 * one already written (KurrentDB's idempotent append; the embedded store does the same).
 *
 * An import that fits into one append is one append, complete at once, as before. A larger one counts
 * only once its `PopulationImportCompleted` is stored: until then it is not listed, not drawn from and
 * not counted (see `readPopulation` and the `populations` read model), and only a retry completes it.
 */
export class PopulationImportService {
  constructor(private readonly deps: PopulationImportDependencies) {}

  async import(request: PopulationImportRequest): Promise<PopulationImportResult> {
    const { programme, month, context } = request;
    if (!isMonth(month)) throw new PopulationRejectedError([{ field: 'month', message: 'yyyy-mm' }], 1);
    const parsed: ParseResult =
      request.format === 'csv'
        ? parsePopulationCsv(typeof request.content === 'string' ? request.content : '')
        : parsePopulationJson(request.content);
    const errors = byLine([...parsed.errors, ...(await this.semanticErrors(programme, parsed))]);
    if (errors.length > 0)
      throw new PopulationRejectedError(errors.slice(0, SAMPLING_DEFAULTS.maxReportedErrors), errors.length);
    const total = parsed.rows.length;
    request.onProgress?.({ phase: 'parsed', rows: total, total });

    const keptUntil = populationReferencesKeptUntil(month, this.deps.populationReferenceDays);
    if (berlinDate(this.deps.clock.now()) > keptUntil)
      throw ruleViolation(
        `Die Frist für Fallnummern aus ${month} endete am ${keptUntil}; eine Grundgesamtheit dieses Monats würde ` +
          'sofort gelöscht und kann nicht mehr gezogen werden.',
        `The window for case references of ${month} ended on ${keptUntil}; a population of that month would be ` +
          'destroyed at once and can no longer be drawn.',
        { month, keptUntil },
      );

    // A drawn month's population is fixed while any of its samples stands; once every one was voided (a
    // wrong population drawn by mistake), the right one may be imported and drawn.
    const sampling = await readStreamState(
      this.deps.eventStore,
      samplingAggregate,
      samplingAggregateId(programme._id, month),
    );
    if (Object.keys(sampling?.state.teams ?? {}).length > 0)
      throw ruleViolation(
        'Für diesen Monat wurde bereits gezogen; die Grundgesamtheit ist festgeschrieben. ' +
          'Eine irrtümliche Ziehung vorher aufheben.',
        'A sample was already drawn for this month; its population is fixed. Void a mistaken draw first.',
        { month },
      );

    const key = await tenantPseudonymKey(this.deps.keyStore, context.tenant);
    const pseudonyms = parsed.rows.map((row) => pseudonymise(key, row.caseReference, CASE_REF_PURPOSE));
    const importKey = populationImportId(key, {
      tenant: context.tenant,
      programmeId: programme._id,
      month,
      rows: parsed.rows.map((row, index) => [
        pseudonyms[index]!,
        row.customerGroup,
        row.teamId,
        row.process,
        row.needs16a,
      ]),
    });
    // The month's latest population decides what a re-import of the same content means: that population
    // itself (a retry whose first attempt completed, or the same file sent twice) or, after another
    // population, a new one (going back from a corrected file to the first). A retry of an unfinished
    // import finds the same latest population and so the same id.
    await this.deps.populationsCurrent();
    const [latest] = (await this.deps.documents.find(
      POPULATIONS,
      { tenant: context.tenant, programmeId: programme._id, month, ...COMPLETE_POPULATIONS },
      { sort: LATEST_POPULATIONS_FIRST, limit: 1 },
    )) as PopulationDoc[];
    const populationId =
      latest === undefined || latest.importKey === importKey
        ? (latest?._id ?? importKey)
        : successorId(importKey, latest._id);
    const streamId = populationStreamId(populationId);
    let stream = await this.load(streamId, context);
    // The same import, already complete (a retry whose first attempt succeeded): its result, nothing written.
    if (stream?.state.status === 'imported' && stream.state.complete) {
      request.onProgress?.({ phase: 'stored', rows: total, total });
      return {
        id: populationId,
        populationId,
        revision: stream.revision,
        position: stream.position,
        rowCount: stream.state.rowCount,
        fingerprint: stream.state.fingerprint,
        appends: 0,
      };
    }

    // The population's key outlives a failed attempt (created once, found again by the retry), so a
    // resumed import computes the same tokens and fingerprint; only the seals differ, which they may.
    const tokenKey = await newPopulationTokenKey(this.deps.keyStore, populationId);
    const keyId = populationKeyId(populationId);
    const rows: PopulationRow[] = [];
    for (const [index, row] of parsed.rows.entries()) {
      rows.push({
        token: drawToken(tokenKey, pseudonyms[index]!),
        caseRef: await this.deps.envelope.seal(keyId, row.caseReference),
        customerGroup: row.customerGroup,
        teamId: row.teamId,
        process: row.process,
        needs16a: row.needs16a,
      });
      if (rows.length % PROGRESS_EVERY === 0) request.onProgress?.({ phase: 'sealed', rows: rows.length, total });
    }
    request.onProgress?.({ phase: 'sealed', rows: total, total });
    const fingerprint = populationFingerprint(rows);
    const command = {
      type: 'ImportPopulation' as const,
      populationId,
      programmeId: programme._id,
      month,
      rows,
      fingerprint,
      importKey,
      source: { format: request.format, fileName: request.fileName },
      chunkRows: SAMPLING_DEFAULTS.populationChunkRows,
      append: SAMPLING_DEFAULTS.populationAppend,
    };

    const decider = populationAggregate.decider;
    let appends = 0;
    let conflicts = 0;
    let last: { revision: number; position: number } | null = stream;
    for (;;) {
      const state = stream?.state ?? decider.initialState();
      const instant = this.deps.clock.now();
      const decided = decider.decide(command, state, {
        now: instant.toISOString(),
        today: berlinDate(instant),
        actor: context.actor,
        tenant: context.tenant,
      });
      if (decided.length === 0) break;
      // The marker says every row is stored as fingerprinted: check the record itself, once, before saying so.
      if (decided[0]!.type === 'PopulationImportCompleted') await this.verifyStored(streamId, fingerprint, total);
      const events = decided.map((event) => this.toNewEvent(populationId, event, instant, context));
      try {
        const appended = await this.deps.eventStore.append(streamId, events, {
          expectedRevision: stream?.revision ?? 'no_stream',
        });
        let next = state;
        for (const event of decided) next = decider.evolve(next, event);
        stream = { state: next, revision: appended.revision, position: appended.position };
        last = appended;
        appends += 1;
        conflicts = 0;
        if (next.status === 'imported')
          request.onProgress?.({ phase: 'stored', rows: next.rowsStored, total: next.rowCount });
      } catch (error) {
        // Another attempt at the same import (a client retry while this one runs) appended first:
        // continue from what the stream now holds.
        if (!(error instanceof WrongExpectedRevisionError) || ++conflicts > CONFLICT_RETRIES) throw error;
        stream = await this.load(streamId, context);
      }
    }
    if (stream?.state.status !== 'imported' || last === null)
      throw new Error(`population ${populationId}: the import ended without a stored population`);
    return {
      id: populationId,
      populationId,
      revision: last.revision,
      position: last.position,
      rowCount: stream.state.rowCount,
      fingerprint: stream.state.fingerprint,
      appends,
    };
  }

  /** The population stream folded, with its last revision and position; null when it does not exist. */
  private async load(
    streamId: string,
    context: CommandContext,
  ): Promise<{ state: PopulationState; revision: number; position: number } | null> {
    const history = await this.deps.eventStore.readStream(streamId);
    const first = history[0];
    const lastEvent = history.at(-1);
    if (!first || !lastEvent) return null;
    // Ids are derived with the tenant's own key: another tenant's stream cannot be this one; refuse anyway.
    if (first.metadata.tenant !== context.tenant) throw new NotFoundError(`population ${streamId}`);
    let state = populationAggregate.decider.initialState();
    for (const event of history)
      state = populationAggregate.decider.evolve(state, { type: event.type, data: event.data } as PopulationEvent);
    return { state, revision: lastEvent.revision, position: lastEvent.position };
  }

  /** Every stored row, once, matching the fingerprint recorded at the start of the import. */
  private async verifyStored(streamId: string, fingerprint: string, total: number): Promise<void> {
    const rows: PopulationRow[] = [];
    for (const event of await this.deps.eventStore.readStream(streamId))
      if (event.type === 'PopulationRowsAdded') rows.push(...(event.data as { rows: PopulationRow[] }).rows);
    if (rows.length !== total || populationFingerprint(rows) !== fingerprint)
      throw new Error(`${streamId}: the stored rows do not match the import's fingerprint; not completing it`);
  }

  private toNewEvent(populationId: string, event: PopulationEvent, instant: Date, context: CommandContext): NewEvent {
    const metadata: EventMetadata = {
      occurredAt: instant.toISOString(),
      actor: context.actor,
      tenant: context.tenant,
      correlationId: context.correlationId,
      causationId: context.causationId,
      rulesVersion: this.deps.rulesVersion,
    };
    return {
      id: importEventId(populationId, event),
      type: event.type,
      schemaVersion: SAMPLING_EVENT_SCHEMAS[event.type],
      data: event.data,
      metadata,
    };
  }

  /**
   * Teams of the programme's area (from the organisation's stream), the programme's customer process, no
   * case twice: checked on refused rows too, so a row reports these errors together with its field errors.
   */
  private async semanticErrors(programme: ProgrammeFacts, parsed: ParseResult): Promise<FieldError[]> {
    const teamIds = new Set(await teamsOfArea(this.deps.streams, programme.tenant, programme.areaId));
    return checkAgainstProgramme(parsed, {
      areaId: programme.areaId,
      teamIds,
      customerProcess: programme.settings.customerProcess,
    });
  }
}

/** RFC 9562 version 8 (custom) UUID from the first 16 bytes of a digest. */
function uuidFromDigest(digest: Buffer): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The population id of an import: the same tenant, programme, month and rows (in file order) give the
 * same id, so every retry of an import finds its stream. Keyed with the tenant's pseudonym key (the case
 * references enter only as their pseudonyms), so the id says nothing about the rows to anyone without it.
 */
export function populationImportId(
  tenantKey: Uint8Array,
  input: {
    readonly tenant: string;
    readonly programmeId: string;
    readonly month: string;
    readonly rows: readonly (readonly [string, string, string, string, boolean])[];
  },
): string {
  const digest = createHmac('sha256', tenantKey)
    .update(
      canonicalJson(['pruefpfad/population-import/v1', input.tenant, input.programmeId, input.month, input.rows]),
      'utf8',
    )
    .digest();
  return uuidFromDigest(digest);
}

/** The id of an import of `importKey` made after the population `after`: the same for every retry. */
function successorId(importKey: string, after: string): string {
  return uuidFromDigest(
    createHash('sha256')
      .update(canonicalJson(['pruefpfad/population-import-after/v1', importKey, after]), 'utf8')
      .digest(),
  );
}

/**
 * Event id of one event of an import, the same in every attempt that decides the same event: the import
 * event and the marker by type; a chunk by its number, size and first row's token (a chunk cut
 * differently is a different event, so it is never taken for the stored one).
 */
function importEventId(populationId: string, event: PopulationEvent): string {
  const part =
    event.type === 'PopulationRowsAdded'
      ? [event.data.chunk, event.data.rows.length, event.data.rows[0]?.token ?? '']
      : [];
  return uuidFromDigest(
    createHash('sha256')
      .update(canonicalJson(['pruefpfad/population-import-event/v1', populationId, event.type, ...part]), 'utf8')
      .digest(),
  );
}

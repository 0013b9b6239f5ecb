import {
  berlinDate,
  type Clock,
  type CommandContext,
  type CommandResult,
  type IdGenerator,
  readStreamState,
  type StreamReader,
} from '@pruefpfad/application';
import { isMonth, populationReferencesKeptUntil, type PopulationRow, ruleViolation } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
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
import { teamsOfArea } from '../organisation/organisation.facts.js';
import type { ProgrammeFacts } from '../programmes/programme.facts.js';
import {
  checkAgainstProgramme,
  parsePopulationCsv,
  parsePopulationJson,
  type FieldError,
  type ParseResult,
} from './population-parser.js';
import { populationAggregate, samplingAggregate, samplingAggregateId, type ExecuteFn } from './sampling.aggregates.js';
import { populationFingerprint } from './sampling-crypto.js';
import { SAMPLING_DEFAULTS } from './sampling.defaults.js';

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
}

export interface PopulationImportDependencies {
  readonly eventStore: EventStore;
  /** The organisation's stream, folded and caught up on every read. */
  readonly streams: StreamReader;
  readonly keyStore: KeyStore;
  readonly envelope: Envelope;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Days after a population's month that its clear references are kept (configuration). */
  readonly populationReferenceDays: number;
  readonly execute: ExecuteFn;
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

/**
 * Imports a month's population (shared by the HTTP endpoint and `npm run cli -- import-population`):
 * parse and check every row against the programme and the organisation as their streams have them (lines
 * reported, nothing stored on any error), turn each case reference into the population's draw token (see
 * `libs/privacy/src/draw-token.ts`), seal the clear reference under the population's own key, fingerprint
 * the rows without clear data, and append everything in one append.
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

    const populationId = this.deps.ids.next();
    const key = await tenantPseudonymKey(this.deps.keyStore, context.tenant);
    const tokenKey = await newPopulationTokenKey(this.deps.keyStore, populationId);
    const keyId = populationKeyId(populationId);
    const rows: PopulationRow[] = [];
    // A failed append leaves at most an unused key behind: no data was stored under it.
    for (const row of parsed.rows) {
      rows.push({
        token: drawToken(tokenKey, pseudonymise(key, row.caseReference, CASE_REF_PURPOSE)),
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
    const result = await this.deps.execute(populationAggregate, {
      aggregateId: populationId,
      command: {
        type: 'ImportPopulation',
        populationId,
        programmeId: programme._id,
        month,
        rows,
        fingerprint,
        source: { format: request.format, fileName: request.fileName },
        chunkRows: SAMPLING_DEFAULTS.populationChunkRows,
      },
      context,
    });
    request.onProgress?.({ phase: 'stored', rows: total, total });
    return { ...result, id: populationId, populationId, rowCount: total, fingerprint };
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

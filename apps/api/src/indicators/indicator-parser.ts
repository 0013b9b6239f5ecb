import {
  type CapacityInput,
  type CounsellingCase,
  FIRST_CONSULTATION_EXCEPTIONS,
  type FirstConsultationCase,
  type FirstConsultationException,
  type GraduateCase,
  type GraduateFigure,
  type IndicatorCases,
  isLocalDate,
  NEW_CUSTOMER_REASONS,
  type NewCustomerReason,
  PLACEMENT_STATUSES,
  type PlacementStatus,
  type ShareFigure,
} from '@pruefpfad/domain';
import type { FieldError } from '../errors/problem-details.js';

/**
 * Parses a team's monthly indicator file (CSV or JSON) into case rows or ready counts, reporting every
 * malformed row with its line (CSV, 1-based, header = line 1) or row number (JSON), like the population
 * import. Nothing is stored when any error is reported, and the case pseudonyms are used only here (to
 * refuse a case listed twice): the figures are counts, the rows are never kept.
 *
 * One row per case (or per ready figure); column `kind` says which indicator it belongs to:
 * - `first-consultation`: case, reason (first-application | re-application | new-bg-number), applicationDate,
 *   exception (empty or one-off-payment | alg-top-up | compulsory-schooling | termination-or-special-case |
 *   application-rejected), firstConsultationDate (empty: none documented);
 * - `counselling-contact`: case, placementStatus (job-seeking | unemployed | advice-seeking | unset |
 *   not-registered), compulsorySchooling (yes/no), lastContactDate (empty: none);
 * - `graduate`: case, participationEnd, counsellingDates (dates separated by `|` or blanks; empty: none);
 * - `capacity` (at most one): usedSlots and either possibleSlots or workingHours;
 * - `count` (a Jobcenter that only has figures): indicator (first-consultation | counselling-contact |
 *   graduate-management), eligible, fulfilled, fulfilledWide (graduate-management only).
 * An indicator comes either as cases or as a count, not both. Dates are `yyyy-mm-dd`; CSV separates by `,`
 * or `;` (detected from the header), unknown columns are ignored.
 */
export const INDICATOR_COLUMNS = [
  'kind',
  'case',
  'reason',
  'applicationDate',
  'exception',
  'firstConsultationDate',
  'placementStatus',
  'compulsorySchooling',
  'lastContactDate',
  'participationEnd',
  'counsellingDates',
  'usedSlots',
  'possibleSlots',
  'workingHours',
  'indicator',
  'eligible',
  'fulfilled',
  'fulfilledWide',
] as const;
type Column = (typeof INDICATOR_COLUMNS)[number];
type Record_ = Partial<Record<Column, unknown>>;

const KINDS = ['first-consultation', 'counselling-contact', 'graduate', 'capacity', 'count'] as const;
const COUNT_INDICATORS = ['first-consultation', 'counselling-contact', 'graduate-management'] as const;
type CountIndicator = (typeof COUNT_INDICATORS)[number];
const PSEUDONYM = /^[A-Za-z0-9._:-]{1,100}$/;
const TRUE = new Set(['true', 'ja', 'yes', 'j', 'y', '1', 'x']);
const FALSE = new Set(['false', 'nein', 'no', 'n', '0']);
const MAX_NUMBER = 1_000_000;

export interface ParsedIndicators {
  readonly cases: IndicatorCases;
  /** Ready counts per indicator (null where the indicator came as cases or not at all). */
  readonly counts: {
    readonly firstConsultation: ShareFigure | null;
    readonly counsellingContact: ShareFigure | null;
    readonly graduateManagement: GraduateFigure | null;
  };
  readonly rowCount: number;
  readonly hasCaseRows: boolean;
}

export interface IndicatorParseResult {
  readonly parsed: ParsedIndicators | null;
  readonly errors: FieldError[];
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

class RowReader {
  constructor(
    private readonly where: string,
    private readonly record: Record_,
    private readonly errors: FieldError[],
  ) {}

  private fail(column: Column, message: string): undefined {
    this.errors.push({ field: `${this.where}: ${column}`, message });
    return undefined;
  }

  required(column: Column): string | undefined {
    const value = text(this.record[column]);
    return value === '' ? this.fail(column, 'fehlt / missing') : value;
  }

  pseudonym(): string | undefined {
    const value = this.required('case');
    if (value === undefined) return undefined;
    return PSEUDONYM.test(value)
      ? value
      : this.fail('case', 'Pseudonym: 1–100 Zeichen A–Z, 0–9, . _ : - / pseudonym: 1–100 characters A–Z, 0–9, . _ : -');
  }

  oneOf<T extends string>(column: Column, allowed: readonly T[], optional = false): T | null | undefined {
    const value = text(this.record[column]);
    if (value === '') return optional ? null : this.fail(column, 'fehlt / missing');
    return (allowed as readonly string[]).includes(value)
      ? (value as T)
      : this.fail(column, `erlaubt / allowed: ${allowed.join(', ')}`);
  }

  date(column: Column, optional = false): string | null | undefined {
    const value = text(this.record[column]);
    if (value === '') return optional ? null : this.fail(column, 'fehlt / missing');
    return isLocalDate(value) ? value : this.fail(column, 'Datum jjjj-mm-tt / date yyyy-mm-dd');
  }

  dates(column: Column): string[] | undefined {
    const raw = this.record[column];
    const values = Array.isArray(raw)
      ? raw.map(text)
      : text(raw)
          .split(/[|\s]+/)
          .filter((value) => value !== '');
    const bad = values.filter((value) => !isLocalDate(value));
    return bad.length > 0
      ? this.fail(
          column,
          `Daten jjjj-mm-tt, getrennt durch | / dates yyyy-mm-dd separated by |: ${bad.slice(0, 3).join(', ')}`,
        )
      : values;
  }

  flag(column: Column): boolean | undefined {
    const raw = this.record[column];
    if (typeof raw === 'boolean') return raw;
    const value = text(raw).toLowerCase();
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    return this.fail(column, 'ja/nein erwartet / expected yes/no');
  }

  count(column: Column, optional = false): number | null | undefined {
    const value = text(this.record[column]);
    if (value === '') return optional ? null : this.fail(column, 'fehlt / missing');
    const number = Number(value);
    return /^\d+$/.test(value) && number <= MAX_NUMBER
      ? number
      : this.fail(column, `ganze Zahl 0–${MAX_NUMBER} / whole number 0–${MAX_NUMBER}`);
  }

  hours(column: Column): number | null | undefined {
    const value = text(this.record[column]).replace(',', '.');
    if (value === '') return null;
    const number = Number(value);
    return /^\d+(\.\d{1,2})?$/.test(value) && number <= MAX_NUMBER
      ? number
      : this.fail(column, 'Stunden, z. B. 160 oder 157.5 / hours, e.g. 160 or 157.5');
  }

  fault(column: Column, message: string): void {
    this.fail(column, message);
  }
}

class Collector {
  readonly firstConsultation: FirstConsultationCase[] = [];
  readonly counsellingContact: CounsellingCase[] = [];
  readonly graduateManagement: GraduateCase[] = [];
  capacity: CapacityInput | null = null;
  readonly counts: Partial<
    Record<CountIndicator, { eligible: number; fulfilled: number; fulfilledWide: number | null }>
  > = {};
  private readonly seen = new Map<string, string>();
  private readonly countSeen = new Map<string, string>();
  private capacityAt: string | null = null;
  rowCount = 0;

  constructor(private readonly errors: FieldError[]) {}

  add(where: string, record: Record_): void {
    this.rowCount += 1;
    const row = new RowReader(where, record, this.errors);
    const before = this.errors.length;
    const kind = row.oneOf('kind', KINDS);
    if (!kind) return;
    if (kind === 'capacity') {
      const usedSlots = row.count('usedSlots');
      const possibleSlots = row.count('possibleSlots', true);
      const workingHours = row.hours('workingHours');
      if (possibleSlots === null && workingHours === null)
        row.fault('possibleSlots', 'possibleSlots oder workingHours angeben / give possibleSlots or workingHours');
      if (possibleSlots !== null && possibleSlots !== undefined && workingHours !== null && workingHours !== undefined)
        row.fault(
          'workingHours',
          'nur eins von possibleSlots und workingHours / only one of possibleSlots and workingHours',
        );
      if (this.capacityAt !== null) row.fault('kind', `Kapazität schon in / capacity already in ${this.capacityAt}`);
      this.capacityAt ??= where;
      if (this.errors.length === before && usedSlots != null)
        this.capacity = { usedSlots, possibleSlots: possibleSlots ?? null, workingHours: workingHours ?? null };
      return;
    }
    if (kind === 'count') {
      const indicator = row.oneOf('indicator', COUNT_INDICATORS);
      const eligible = row.count('eligible');
      const fulfilled = row.count('fulfilled');
      const wide = row.count('fulfilledWide', indicator !== 'graduate-management');
      if (indicator && indicator !== 'graduate-management' && wide !== null)
        row.fault('fulfilledWide', 'nur für graduate-management / only for graduate-management');
      if (eligible != null && fulfilled != null && fulfilled > eligible)
        row.fault('fulfilled', 'größer als eligible / greater than eligible');
      if (eligible != null && wide != null && (wide > eligible || (fulfilled != null && wide < fulfilled)))
        row.fault('fulfilledWide', 'zwischen fulfilled und eligible / between fulfilled and eligible');
      if (indicator) {
        const earlier = this.countSeen.get(indicator);
        if (earlier !== undefined) row.fault('indicator', `doppelt, schon in / duplicate, already in ${earlier}`);
        else this.countSeen.set(indicator, where);
      }
      if (this.errors.length === before && indicator && eligible != null && fulfilled != null)
        this.counts[indicator] = { eligible, fulfilled, fulfilledWide: wide ?? null };
      return;
    }
    const pseudonym = row.pseudonym();
    if (pseudonym !== undefined) {
      const key = `${kind}\u0000${pseudonym}`;
      const earlier = this.seen.get(key);
      if (earlier !== undefined) row.fault('case', `Fall doppelt, schon in / case listed twice, already in ${earlier}`);
      else this.seen.set(key, where);
    }
    switch (kind) {
      case 'first-consultation': {
        const reason = row.oneOf<NewCustomerReason>('reason', NEW_CUSTOMER_REASONS);
        const applicationDate = row.date('applicationDate');
        const exception = row.oneOf<FirstConsultationException>('exception', FIRST_CONSULTATION_EXCEPTIONS, true);
        const firstConsultationDate = row.date('firstConsultationDate', true);
        if (
          this.errors.length === before &&
          reason &&
          applicationDate &&
          exception !== undefined &&
          firstConsultationDate !== undefined
        )
          this.firstConsultation.push({ reason, applicationDate, exception, firstConsultationDate });
        return;
      }
      case 'counselling-contact': {
        const placementStatus = row.oneOf<PlacementStatus>('placementStatus', PLACEMENT_STATUSES);
        const compulsorySchooling = row.flag('compulsorySchooling');
        const lastContactDate = row.date('lastContactDate', true);
        if (
          this.errors.length === before &&
          placementStatus &&
          compulsorySchooling !== undefined &&
          lastContactDate !== undefined
        )
          this.counsellingContact.push({ placementStatus, compulsorySchooling, lastContactDate });
        return;
      }
      case 'graduate': {
        const participationEnd = row.date('participationEnd');
        const counsellingDates = row.dates('counsellingDates');
        if (this.errors.length === before && participationEnd && counsellingDates)
          this.graduateManagement.push({ participationEnd, counsellingDates });
        return;
      }
      default: {
        const unknown: never = kind;
        throw new Error(`unknown kind ${String(unknown)}`);
      }
    }
  }

  result(): IndicatorParseResult {
    const mixed = (indicator: CountIndicator, cases: number): void => {
      if (cases > 0 && this.counts[indicator])
        this.errors.push({
          field: `${this.countSeen.get(indicator) ?? 'rows'}: indicator`,
          message: `${indicator}: Fallzeilen und fertige Zahl zugleich / case rows and a ready count together`,
        });
    };
    mixed('first-consultation', this.firstConsultation.length);
    mixed('counselling-contact', this.counsellingContact.length);
    mixed('graduate-management', this.graduateManagement.length);
    if (this.rowCount === 0) this.errors.push({ field: 'rows', message: 'keine Zeilen / no rows' });
    if (this.errors.length > 0) return { parsed: null, errors: this.errors };
    const share = (count: { eligible: number; fulfilled: number } | undefined): ShareFigure | null =>
      count ? { eligible: count.eligible, fulfilled: count.fulfilled, excluded: null } : null;
    const graduate = this.counts['graduate-management'];
    const hasCaseRows =
      this.firstConsultation.length + this.counsellingContact.length + this.graduateManagement.length > 0;
    return {
      errors: [],
      parsed: {
        rowCount: this.rowCount,
        hasCaseRows,
        cases: {
          firstConsultation: this.firstConsultation.length > 0 ? this.firstConsultation : null,
          counsellingContact: this.counsellingContact.length > 0 ? this.counsellingContact : null,
          graduateManagement: this.graduateManagement.length > 0 ? this.graduateManagement : null,
          counsellingCapacity: this.capacity,
        },
        counts: {
          firstConsultation: share(this.counts['first-consultation']),
          counsellingContact: share(this.counts['counselling-contact']),
          graduateManagement: graduate
            ? {
                eligible: graduate.eligible,
                fulfilledNarrow: graduate.fulfilled,
                fulfilledWide: graduate.fulfilledWide ?? graduate.fulfilled,
                pending: null,
              }
            : null,
        },
      },
    };
  }
}

/** Splits CSV text into records of fields with the line each starts on (RFC 4180 quoting). */
function* csvRecords(text: string, delimiter: string): Generator<{ line: number; fields: string[] | null }> {
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let broken = false;
    for (; i < text.length; i += 1) {
      const char = text[i]!;
      if (quoted) {
        if (char === '"' && text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else if (char === '"') quoted = false;
        else {
          if (char === '\n') line += 1;
          field += char;
        }
      } else if (char === '"') {
        if (field.trim() !== '') broken = true;
        quoted = true;
      } else if (char === delimiter) {
        fields.push(field);
        field = '';
      } else if (char === '\n' || char === '\r') {
        if (char === '\r' && text[i + 1] === '\n') i += 1;
        i += 1;
        line += 1;
        break;
      } else field += char;
    }
    fields.push(field);
    if (quoted || broken) yield { line: start, fields: null };
    else if (!(fields.length === 1 && fields[0]!.trim() === '')) yield { line: start, fields };
  }
}

export function parseIndicatorCsv(input: string): IndicatorParseResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const errors: FieldError[] = [];
  const records = csvRecords(text, delimiter);
  const header = records.next();
  if (header.done || header.value.fields === null)
    return { parsed: null, errors: [{ field: 'line 1', message: 'Kopfzeile fehlt / header missing' }] };
  const names = header.value.fields.map((name) => name.trim().toLowerCase());
  if (!names.includes('kind'))
    return { parsed: null, errors: [{ field: 'line 1: kind', message: 'Spalte fehlt / column missing' }] };
  const collector = new Collector(errors);
  for (const record of records) {
    const where = `line ${record.line}`;
    if (record.fields === null) {
      errors.push({ field: where, message: 'Anführungszeichen fehlerhaft / broken quotes' });
      continue;
    }
    if (record.fields.length !== names.length) {
      errors.push({
        field: where,
        message: `${record.fields.length} statt ${names.length} Spalten / ${record.fields.length} instead of ${names.length} columns`,
      });
      continue;
    }
    const values: Record_ = {};
    for (const column of INDICATOR_COLUMNS) {
      const at = names.indexOf(column.toLowerCase());
      if (at >= 0) values[column] = record.fields[at];
    }
    collector.add(where, values);
  }
  return collector.result();
}

/** `{ "rows": [ { kind, case, … }, … ] }` or the bare array. */
export function parseIndicatorJson(body: unknown): IndicatorParseResult {
  const errors: FieldError[] = [];
  const list: unknown =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { rows?: unknown }).rows : body;
  if (!Array.isArray(list))
    return {
      parsed: null,
      errors: [{ field: 'rows', message: 'eine Liste von Zeilen erwartet / expected a list of rows' }],
    };
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    for (const key of Object.keys(body))
      if (key !== 'rows') errors.push({ field: key, message: 'Unbekanntes Feld / Unknown field' });
  const collector = new Collector(errors);
  list.forEach((item: unknown, i) => {
    const where = `row ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ field: where, message: 'ein Objekt erwartet / expected an object' });
      return;
    }
    for (const key of Object.keys(item))
      if (!(INDICATOR_COLUMNS as readonly string[]).includes(key))
        errors.push({ field: `${where}: ${key}`, message: 'Unbekanntes Feld / Unknown field' });
    collector.add(where, item);
  });
  return collector.result();
}

/**
 * Parses a month's population (CSV or JSON) into rows, reporting every malformed row with its line (CSV,
 * 1-based, the header is line 1) or row number (JSON, 1-based). Nothing here is stored: the import service
 * refuses the whole file when any error is reported.
 *
 * CSV: RFC 4180 quoting, `,` or `;` (German spreadsheet exports) detected from the header, optional BOM,
 * blank lines skipped, unknown columns ignored (exports carry more than we need).
 * Required columns (case-insensitive): caseReference, customerGroup, team, process, needs16a.
 * `needs16a` (§ 16a SGB II, 003:53) accepts true/false, ja/nein, yes/no, j/n, 1/0, x/empty-is-an-error.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface ParsedRow {
  /** `line 17` (CSV) or `row 17` (JSON): where the row came from, for error messages. */
  readonly where: string;
  readonly caseReference: string;
  readonly customerGroup: string;
  readonly teamId: string;
  readonly process: string;
  readonly needs16a: boolean;
}

export interface ParseResult {
  readonly rows: ParsedRow[];
  readonly errors: FieldError[];
}

export const POPULATION_COLUMNS = ['caseReference', 'customerGroup', 'team', 'process', 'needs16a'] as const;
type Column = (typeof POPULATION_COLUMNS)[number];

const TRUE = new Set(['true', 'ja', 'yes', 'j', 'y', '1', 'x']);
const FALSE = new Set(['false', 'nein', 'no', 'n', '0']);
const MAX_TEXT = 200;
/** No `.` or `$`: group names are keys of recorded inputs (`lastCovered`), which MongoDB documents may hold. */
const TOKEN = /^[\p{L}\p{N}][\p{L}\p{N} _/&+-]*$/u;

function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value !== 'string') return null;
  const normalised = value.trim().toLowerCase();
  return TRUE.has(normalised) ? true : FALSE.has(normalised) ? false : null;
}

/** Checks one record's values; returns the row or pushes its errors. */
function validateRecord(
  where: string,
  record: Readonly<Record<Column, unknown>>,
  errors: FieldError[],
): ParsedRow | null {
  const before = errors.length;
  const text = (column: Column, pattern: RegExp | null): string => {
    const value = record[column];
    const trimmed = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
    if (trimmed === '') errors.push({ field: `${where}: ${column}`, message: 'fehlt / missing' });
    else if (trimmed.length > MAX_TEXT)
      errors.push({ field: `${where}: ${column}`, message: `höchstens / at most ${MAX_TEXT} Zeichen / characters` });
    else if (pattern && !pattern.test(trimmed))
      errors.push({ field: `${where}: ${column}`, message: 'ungültige Zeichen / invalid characters' });
    return trimmed;
  };
  const caseReference = text('caseReference', null);
  const customerGroup = text('customerGroup', TOKEN);
  const teamId = text('team', TOKEN);
  const process = text('process', TOKEN);
  const needs16a = flag(record.needs16a);
  if (needs16a === null)
    errors.push({ field: `${where}: needs16a`, message: 'ja/nein erwartet / expected yes/no (true/false, 1/0)' });
  if (errors.length > before || needs16a === null) return null;
  return { where, caseReference, customerGroup, teamId, process, needs16a };
}

/** Splits CSV text into records of fields, each with the line it starts on. */
function* csvRecords(
  text: string,
  delimiter: string,
): Generator<{ line: number; fields: string[] } | { line: number; error: string }> {
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let wasQuoted = false;
    let broken: string | null = null;
    for (; i < n; i += 1) {
      const char = text[i]!;
      if (quoted) {
        if (char === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 1;
          } else quoted = false;
        } else {
          if (char === '\n') line += 1;
          field += char;
        }
        continue;
      }
      if (char === '"') {
        if (field.trim() !== '' || wasQuoted) broken ??= 'Anführungszeichen mitten im Feld / quote inside a field';
        quoted = true;
        wasQuoted = true;
        field = '';
      } else if (char === delimiter) {
        fields.push(field);
        field = '';
        wasQuoted = false;
      } else if (char === '\n' || char === '\r') {
        if (char === '\r' && text[i + 1] === '\n') i += 1;
        i += 1;
        line += 1;
        break;
      } else field += char;
    }
    if (quoted) broken ??= 'Anführungszeichen nicht geschlossen / unterminated quote';
    fields.push(field);
    if (broken !== null) yield { line: start, error: broken };
    else if (!(fields.length === 1 && fields[0]!.trim() === '')) yield { line: start, fields };
  }
}

export function parsePopulationCsv(input: string): ParseResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const errors: FieldError[] = [];
  const rows: ParsedRow[] = [];
  const records = csvRecords(text, delimiter);
  const header = records.next();
  if (header.done || 'error' in header.value) {
    errors.push({ field: 'line 1', message: 'Kopfzeile fehlt oder ist ungültig / header missing or invalid' });
    return { rows, errors };
  }
  const names = header.value.fields.map((name) => name.trim().toLowerCase());
  const index = {} as Record<Column, number>;
  for (const column of POPULATION_COLUMNS) {
    index[column] = names.indexOf(column.toLowerCase());
    if (index[column] < 0) errors.push({ field: `line 1: ${column}`, message: 'Spalte fehlt / column missing' });
  }
  if (errors.length > 0) return { rows, errors };
  for (const record of records) {
    const where = `line ${record.line}`;
    if ('error' in record) {
      errors.push({ field: where, message: record.error });
      continue;
    }
    if (record.fields.length !== names.length) {
      errors.push({
        field: where,
        message: `${record.fields.length} statt ${names.length} Spalten / ${record.fields.length} instead of ${names.length} columns`,
      });
      continue;
    }
    const values = Object.fromEntries(POPULATION_COLUMNS.map((c) => [c, record.fields[index[c]]])) as Record<
      Column,
      string
    >;
    const row = validateRecord(where, values, errors);
    if (row) rows.push(row);
  }
  return { rows, errors };
}

/** `{ "rows": [ { caseReference, customerGroup, team, process, needs16a }, … ] }` or the bare array. */
export function parsePopulationJson(body: unknown): ParseResult {
  const errors: FieldError[] = [];
  const rows: ParsedRow[] = [];
  const list: unknown =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { rows?: unknown }).rows : body;
  if (!Array.isArray(list)) {
    errors.push({ field: 'rows', message: 'eine Liste von Zeilen erwartet / expected a list of rows' });
    return { rows, errors };
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    for (const key of Object.keys(body))
      if (key !== 'rows') errors.push({ field: key, message: 'Unbekanntes Feld / Unknown field' });
  list.forEach((item: unknown, i) => {
    const where = `row ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ field: where, message: 'ein Objekt erwartet / expected an object' });
      return;
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (!(POPULATION_COLUMNS as readonly string[]).includes(key))
        errors.push({ field: `${where}: ${key}`, message: 'Unbekanntes Feld / Unknown field' });
    const row = validateRecord(where, record as Record<Column, unknown>, errors);
    if (row) rows.push(row);
  });
  return { rows, errors };
}

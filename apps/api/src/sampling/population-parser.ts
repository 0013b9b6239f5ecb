import { normalisePseudonymInput } from '@pruefpfad/privacy';

/**
 * Parses a month's population (CSV or JSON) into rows, reporting every malformed row with its line (CSV,
 * 1-based, the header is line 1) or row number (JSON, 1-based). Nothing here is stored: the import service
 * refuses the whole file when any error is reported.
 *
 * A row reports all of its errors at once: every field is checked, a field may have more than one error
 * (too long and an invalid character), an invalid character is named (code point, and the character in
 * quotes where it is visible), and `checkAgainstProgramme` checks refused rows too, with whatever fields
 * of theirs were well-formed. Only a row whose fields cannot be told apart (wrong number of columns, a
 * broken quote) reports that one error.
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

/** A row that reached the field checks, accepted or not: its well-formed fields (a malformed one is absent). */
export type CheckedRecord = Pick<ParsedRow, 'where'> & Partial<Omit<ParsedRow, 'where'>>;

export interface ParseResult {
  /** The rows without any error, in file order. */
  readonly rows: ParsedRow[];
  readonly errors: FieldError[];
  /** Every row whose fields were checked, accepted or refused, in file order: what `checkAgainstProgramme` reads. */
  readonly records: CheckedRecord[];
}

export const POPULATION_COLUMNS = ['caseReference', 'customerGroup', 'team', 'process', 'needs16a'] as const;
type Column = (typeof POPULATION_COLUMNS)[number];

const TRUE = new Set(['true', 'ja', 'yes', 'j', 'y', '1', 'x']);
const FALSE = new Set(['false', 'nein', 'no', 'n', '0']);
const MAX_TEXT = 200;
/** No `.` or `$`: group names are keys of recorded inputs (`lastCovered`), which MongoDB documents may hold. */
const TOKEN_CHARACTER = /^[\p{L}\p{N} _/&+-]$/u;
const TOKEN_START = /^[\p{L}\p{N}]$/u;
/**
 * Not in a case reference: control and format characters (zero-width ones included), line and paragraph
 * separators, private-use code points, lone surrogates, and U+FFFD (what is left of a character when a file
 * that is not UTF-8 is read as UTF-8). Each would make a reference that matches no case in the source
 * system, and a pseudonym that differs from the same case's clean reference (duplicates and the exclusion
 * window would miss it).
 */
const CASE_REFERENCE_FORBIDDEN = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\uFFFD]$/u;
/** Invalid characters named per field; the rest are counted. */
const NAMED_CHARACTERS = 3;

/** Invisible or easily confused characters a spreadsheet export carries, by their names. */
const CHARACTER_NAMES: Readonly<Record<number, readonly [de: string, en: string]>> = {
  0x00: ['Nullzeichen NUL', 'null character NUL'],
  0x09: ['Tabulator', 'tab'],
  0x0a: ['Zeilenumbruch', 'line feed'],
  0x0d: ['Wagenrücklauf', 'carriage return'],
  0xa0: ['geschütztes Leerzeichen', 'no-break space'],
  0xad: ['weiches Trennzeichen', 'soft hyphen'],
  0x200b: ['Leerzeichen ohne Breite', 'zero-width space'],
  0x200c: ['Bindungsverhinderer ohne Breite', 'zero-width non-joiner'],
  0x200d: ['Verbinder ohne Breite', 'zero-width joiner'],
  0x200e: ['Links-nach-rechts-Markierung', 'left-to-right mark'],
  0x200f: ['Rechts-nach-links-Markierung', 'right-to-left mark'],
  0x2028: ['Zeilentrenner', 'line separator'],
  0x2029: ['Absatztrenner', 'paragraph separator'],
  0x2060: ['Wortverbinder', 'word joiner'],
  0xfeff: ['Byte-Order-Mark (Leerzeichen ohne Breite)', 'byte order mark (zero-width no-break space)'],
  0xfffd: ['Ersatzzeichen: Datei nicht als UTF-8 gespeichert?', 'replacement character: file not saved as UTF-8?'],
};

/** What kind of invisible character it is, for those without a name above. */
function characterKind(character: string): readonly [de: string, en: string] {
  if (/\p{Cc}/u.test(character)) return ['Steuerzeichen', 'control character'];
  if (/\p{Cf}/u.test(character)) return ['unsichtbares Formatzeichen', 'invisible format character'];
  if (/\p{Z}/u.test(character)) return ['Leerraum', 'white space'];
  if (/\p{M}/u.test(character)) return ['kombinierendes Zeichen', 'combining mark'];
  if (/\p{Co}/u.test(character)) return ['Zeichen für private Nutzung', 'private-use character'];
  if (/\p{Cs}/u.test(character)) return ['einzelnes Surrogat', 'lone surrogate'];
  return ['nicht zugewiesenes Zeichen', 'unassigned character'];
}

/** `„$“ (U+0024)` for a visible character, `U+200B (Leerzeichen ohne Breite)` for an invisible one. */
function describeCharacter(character: string): { de: string; en: string } {
  const codePoint = character.codePointAt(0)!;
  const code = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const named = CHARACTER_NAMES[codePoint];
  if (named) return { de: `${code} (${named[0]})`, en: `${code} (${named[1]})` };
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character))
    return { de: `„${character}“ (${code})`, en: `"${character}" (${code})` };
  const [de, en] = characterKind(character);
  return { de: `${code} (${de})`, en: `${code} (${en})` };
}

/**
 * One error naming the invalid characters of a value: each distinct character once, with the position
 * where it first occurs (1-based, in characters, counted after `offset` leading blanks that were trimmed);
 * after three, a count of the rest.
 */
function invalidCharacters(value: string, offset: number, isInvalid: (character: string) => boolean): string | null {
  const first = new Map<string, number>();
  [...value].forEach((character, index) => {
    if (isInvalid(character) && !first.has(character)) first.set(character, offset + index + 1);
  });
  if (first.size === 0) return null;
  const named = [...first].slice(0, NAMED_CHARACTERS).map(([character, position]) => ({
    ...describeCharacter(character),
    position,
  }));
  const more = first.size - named.length;
  const de = named.map((entry) => `${entry.de} an Stelle ${entry.position}`).join(', ');
  const en = named.map((entry) => `${entry.en} at position ${entry.position}`).join(', ');
  return (
    `${first.size === 1 ? 'ungültiges Zeichen' : 'ungültige Zeichen'} ${de}${more > 0 ? ` und ${more} weitere` : ''} / ` +
    `${first.size === 1 ? 'invalid character' : 'invalid characters'} ${en}${more > 0 ? ` and ${more} more` : ''}`
  );
}

function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  if (typeof value !== 'string') return null;
  const normalised = value.trim().toLowerCase();
  return TRUE.has(normalised) ? true : FALSE.has(normalised) ? false : null;
}

/** The errors of one text field (all of them: too long and invalid characters may come together). */
function textErrors(column: Column, value: unknown): { value: string; errors: string[] } {
  if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number')
    return { value: '', errors: ['Text erwartet / expected text'] };
  const raw = typeof value === 'number' ? String(value) : (value ?? '');
  const trimmed = raw.trim();
  if (trimmed === '') return { value: trimmed, errors: ['fehlt / missing'] };
  const errors: string[] = [];
  if (trimmed.length > MAX_TEXT) errors.push(`höchstens / at most ${MAX_TEXT} Zeichen / characters`);
  // Positions count from the value as given, leading blanks included: what the person sees in the cell.
  const offset = [...raw.slice(0, raw.length - raw.trimStart().length)].length;
  const characters =
    column === 'caseReference'
      ? invalidCharacters(trimmed, offset, (character) => CASE_REFERENCE_FORBIDDEN.test(character))
      : invalidCharacters(trimmed, offset, (character) => !TOKEN_CHARACTER.test(character));
  if (characters !== null) errors.push(characters);
  const start = [...trimmed][0]!;
  if (column !== 'caseReference' && TOKEN_CHARACTER.test(start) && !TOKEN_START.test(start))
    errors.push(
      `muss mit einem Buchstaben oder einer Ziffer beginnen, nicht mit „${start}“ / ` +
        `must begin with a letter or digit, not "${start}"`,
    );
  return { value: trimmed, errors };
}

/** Checks one record's values: the row if it has no error, and its well-formed fields either way. */
function validateRecord(
  where: string,
  record: Readonly<Record<Column, unknown>>,
  errors: FieldError[],
): { row: ParsedRow | null; record: CheckedRecord } {
  const before = errors.length;
  const text = (column: Column): string | undefined => {
    const checked = textErrors(column, record[column]);
    for (const message of checked.errors) errors.push({ field: `${where}: ${column}`, message });
    return checked.errors.length === 0 ? checked.value : undefined;
  };
  const caseReference = text('caseReference');
  const customerGroup = text('customerGroup');
  const teamId = text('team');
  const process = text('process');
  const needs16a = flag(record.needs16a);
  if (needs16a === null)
    errors.push({ field: `${where}: needs16a`, message: 'ja/nein erwartet / expected yes/no (true/false, 1/0)' });
  const checked: CheckedRecord = {
    where,
    ...(caseReference === undefined ? {} : { caseReference }),
    ...(customerGroup === undefined ? {} : { customerGroup }),
    ...(teamId === undefined ? {} : { teamId }),
    ...(process === undefined ? {} : { process }),
    ...(needs16a === null ? {} : { needs16a }),
  };
  if (
    errors.length > before ||
    caseReference === undefined ||
    customerGroup === undefined ||
    teamId === undefined ||
    process === undefined ||
    needs16a === null
  )
    return { row: null, record: checked };
  return { row: { where, caseReference, customerGroup, teamId, process, needs16a }, record: checked };
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
  const checked: CheckedRecord[] = [];
  const records = csvRecords(text, delimiter);
  const header = records.next();
  if (header.done || 'error' in header.value) {
    errors.push({ field: 'line 1', message: 'Kopfzeile fehlt oder ist ungültig / header missing or invalid' });
    return { rows, errors, records: checked };
  }
  const names = header.value.fields.map((name) => name.trim().toLowerCase());
  const index = {} as Record<Column, number>;
  for (const column of POPULATION_COLUMNS) {
    index[column] = names.indexOf(column.toLowerCase());
    if (index[column] < 0) errors.push({ field: `line 1: ${column}`, message: 'Spalte fehlt / column missing' });
  }
  if (errors.length > 0) return { rows, errors, records: checked };
  for (const record of records) {
    const where = `line ${record.line}`;
    if ('error' in record) {
      errors.push({ field: where, message: record.error });
      continue;
    }
    // With a column too many or too few, no value can be trusted to be in its column: the count is the error.
    if (record.fields.length !== names.length) {
      const found = record.fields.length;
      const german = `${found} statt ${names.length} Spalten wie in der Kopfzeile`;
      const english = `${found} instead of ${names.length} columns as in the header`;
      errors.push({
        field: where,
        message:
          found > names.length
            ? `${german}; Werte, die „${delimiter}“ enthalten, in Anführungszeichen setzen / ` +
              `${english}; quote values that contain "${delimiter}"`
            : `${german} / ${english}`,
      });
      continue;
    }
    const values = Object.fromEntries(POPULATION_COLUMNS.map((c) => [c, record.fields[index[c]]])) as Record<
      Column,
      string
    >;
    const { row, record: fields } = validateRecord(where, values, errors);
    checked.push(fields);
    if (row) rows.push(row);
  }
  return { rows, errors, records: checked };
}

/** `{ "rows": [ { caseReference, customerGroup, team, process, needs16a }, … ] }` or the bare array. */
export function parsePopulationJson(body: unknown): ParseResult {
  const errors: FieldError[] = [];
  const rows: ParsedRow[] = [];
  const checked: CheckedRecord[] = [];
  const list: unknown =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { rows?: unknown }).rows : body;
  if (!Array.isArray(list)) {
    errors.push({ field: 'rows', message: 'eine Liste von Zeilen erwartet / expected a list of rows' });
    return { rows, errors, records: checked };
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
    const { row, record: fields } = validateRecord(where, record as Record<Column, unknown>, errors);
    checked.push(fields);
    if (row) rows.push(row);
  });
  return { rows, errors, records: checked };
}

/** What the rows of a population must match: the programme's area (its teams) and customer process. */
export interface ProgrammeScope {
  readonly areaId: string;
  /** The teams of the area. */
  readonly teamIds: ReadonlySet<string>;
  readonly customerProcess: string;
}

/**
 * Checks every row that reached the field checks, refused ones included (with the fields of theirs that
 * were well-formed), against the programme: a team of its area, its customer process, no case twice
 * (compared as pseudonymised: case and blanks do not make two cases). So a row reports these errors
 * together with its field errors instead of one after the other.
 */
export function checkAgainstProgramme(parsed: ParseResult, scope: ProgrammeScope): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const record of parsed.records) {
    if (record.teamId !== undefined && !scope.teamIds.has(record.teamId))
      errors.push({
        field: `${record.where}: team`,
        message: `kein Team des Bereichs ${scope.areaId} / not a team of area ${scope.areaId}`,
      });
    if (record.process !== undefined && record.process !== scope.customerProcess)
      errors.push({ field: `${record.where}: process`, message: `erwartet / expected ${scope.customerProcess}` });
    if (record.caseReference === undefined) continue;
    const normalised = normalisePseudonymInput(record.caseReference);
    const first = seen.get(normalised);
    if (first !== undefined)
      errors.push({ field: `${record.where}: caseReference`, message: `doppelt, wie / duplicate of ${first}` });
    else seen.set(normalised, record.where);
  }
  return errors;
}

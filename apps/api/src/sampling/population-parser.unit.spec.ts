import { createHmac } from 'node:crypto';
import {
  checkAgainstProgramme,
  parsePopulationCsv,
  parsePopulationJson,
  type ParseResult,
} from './population-parser.js';
import { hmacRank, newSeed, populationFingerprint } from './sampling-crypto.js';

const HEADER = 'caseReference,customerGroup,team,process,needs16a';

describe('population CSV', () => {
  it('parses rows with quoting, a semicolon delimiter, a BOM, CRLF and extra columns', () => {
    const csv =
      '\uFEFFKundennummer;caseReference;customerGroup;team;process;needs16a\r\n' +
      'x;123D000001;u25;team-1;allgemeine-vermittlung;ja\r\n' +
      '\r\n' +
      'y;"123D;000002";ue25;team-2;allgemeine-vermittlung;0\r\n';
    const result = parsePopulationCsv(csv);
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      {
        where: 'line 2',
        caseReference: '123D000001',
        customerGroup: 'u25',
        teamId: 'team-1',
        process: 'allgemeine-vermittlung',
        needs16a: true,
      },
      {
        where: 'line 4',
        caseReference: '123D;000002',
        customerGroup: 'ue25',
        teamId: 'team-2',
        process: 'allgemeine-vermittlung',
        needs16a: false,
      },
    ]);
  });

  it('reports every malformed row with its line number (a quoted line break counts)', () => {
    const csv = [
      HEADER,
      'A1,u25,team-1,allgemeine-vermittlung,false',
      'A2,,team-1,allgemeine-vermittlung,false',
      '"A3\nmit Umbruch",u25,team-1,allgemeine-vermittlung,vielleicht',
      'A4,u25,team-1',
      'A5,u$25,team-1,allgemeine-vermittlung,true',
      '"A6,u25,team-1,allgemeine-vermittlung,true',
    ].join('\n');
    const result = parsePopulationCsv(csv);
    expect(result.errors).toEqual([
      { field: 'line 3: customerGroup', message: expect.any(String) },
      { field: 'line 4: caseReference', message: expect.stringContaining('U+000A (Zeilenumbruch) an Stelle 3') },
      { field: 'line 4: needs16a', message: expect.any(String) },
      { field: 'line 6', message: expect.stringContaining('columns') },
      { field: 'line 7: customerGroup', message: expect.stringContaining('invalid') },
      { field: 'line 8', message: expect.stringContaining('unterminated') },
    ]);
    expect(result.rows.map((row) => row.where)).toEqual(['line 2']);
  });

  it('names missing columns in the header', () => {
    const result = parsePopulationCsv('caseReference,team\nA1,team-1\n');
    expect(result.errors.map((error) => error.field)).toEqual([
      'line 1: customerGroup',
      'line 1: process',
      'line 1: needs16a',
    ]);
    expect(parsePopulationCsv('').errors).toEqual([{ field: 'line 1', message: expect.any(String) }]);
  });
});

describe('population rows report all their errors at once', () => {
  const row = (fields: string) => parsePopulationCsv(`${HEADER}\n${fields}\n`);
  const messages = (result: ParseResult) => result.errors.map((error) => `${error.field} → ${error.message}`);

  it('reports every error of a row, invalid characters of the case reference included', () => {
    const result = row('A\u00001,u$25,team-1,allgemeine-vermittlung,vielleicht');
    expect(result.errors.map((error) => error.field)).toEqual([
      'line 2: caseReference',
      'line 2: customerGroup',
      'line 2: needs16a',
    ]);
    expect(result.rows).toEqual([]);
  });

  it('names an invalid character: code point, the character in quotes where visible, its position', () => {
    expect(messages(row('A\u00001,u25,team-1,p,ja'))).toEqual([
      'line 2: caseReference → ungültiges Zeichen U+0000 (Nullzeichen NUL) an Stelle 2 / ' +
        'invalid character U+0000 (null character NUL) at position 2',
    ]);
    expect(messages(row('A1,u\u000725,team-1,p,ja'))).toEqual([
      'line 2: customerGroup → ungültiges Zeichen U+0007 (Steuerzeichen) an Stelle 2 / ' +
        'invalid character U+0007 (control character) at position 2',
    ]);
    expect(messages(row('A1\u200b,u25,team\u200b-1,p,ja'))).toEqual([
      'line 2: caseReference → ungültiges Zeichen U+200B (Leerzeichen ohne Breite) an Stelle 3 / ' +
        'invalid character U+200B (zero-width space) at position 3',
      'line 2: team → ungültiges Zeichen U+200B (Leerzeichen ohne Breite) an Stelle 5 / ' +
        'invalid character U+200B (zero-width space) at position 5',
    ]);
    // Visible characters in quotes; positions count from the cell as given; a fourth distinct one is counted.
    expect(messages(row('A1,  u$2.5!€,team-1,p,ja'))).toEqual([
      'line 2: customerGroup → ungültige Zeichen „$“ (U+0024) an Stelle 4, „.“ (U+002E) an Stelle 6, ' +
        '„!“ (U+0021) an Stelle 8 und 1 weitere / invalid characters "$" (U+0024) at position 4, ' +
        '"." (U+002E) at position 6, "!" (U+0021) at position 8 and 1 more',
    ]);
    expect(messages(row('A1,u25,team-1,allgemeine\ufffdvermittlung,ja'))[0]).toContain(
      'U+FFFD (Ersatzzeichen: Datei nicht als UTF-8 gespeichert?) an Stelle 11',
    );
  });

  it('gives a field every error it has, and says how a token must begin', () => {
    expect(row(`A1,${'ü'.repeat(201)}$,team-1,p,ja`).errors).toEqual([
      { field: 'line 2: customerGroup', message: expect.stringContaining('200') },
      { field: 'line 2: customerGroup', message: expect.stringContaining('„$“ (U+0024) an Stelle 202') },
    ]);
    expect(messages(row('A1,-u25,team-1,p,ja'))).toEqual([
      'line 2: customerGroup → muss mit einem Buchstaben oder einer Ziffer beginnen, nicht mit „-“ / ' +
        'must begin with a letter or digit, not "-"',
    ]);
  });

  it('says how to fix a row with a column too many', () => {
    expect(
      parsePopulationCsv('caseReference;customerGroup;team;process;needs16a\n123;4;u25;team-1;p;ja\n').errors,
    ).toEqual([
      {
        field: 'line 2',
        message:
          '6 statt 5 Spalten wie in der Kopfzeile; Werte, die „;“ enthalten, in Anführungszeichen setzen / ' +
          '6 instead of 5 columns as in the header; quote values that contain ";"',
      },
    ]);
  });

  it('checks refused rows against the programme too: team, process and duplicates with the field errors', () => {
    const scope = { areaId: 'mi', teamIds: new Set(['team-1']), customerProcess: 'allgemeine-vermittlung' };
    const parsed = parsePopulationCsv(
      [
        HEADER,
        'A1,u25,team-1,allgemeine-vermittlung,ja',
        ' a1 ,u$25,team-9,leistung,vielleicht',
        'A2,u25,,leistung\u0000,nein',
      ].join('\n'),
    );
    const all = [...parsed.errors, ...checkAgainstProgramme(parsed, scope)].filter((error) =>
      error.field.startsWith('line 3'),
    );
    expect(all.map((error) => error.field)).toEqual([
      'line 3: customerGroup',
      'line 3: needs16a',
      'line 3: team',
      'line 3: process',
      'line 3: caseReference',
    ]);
    expect(all.at(-1)!.message).toContain('line 2');
    // A malformed field is reported once, as malformed: no "not a team" for a missing team.
    expect(checkAgainstProgramme(parsed, scope).filter((error) => error.field.startsWith('line 4'))).toEqual([]);
    expect(parsed.records.map((record) => record.where)).toEqual(['line 2', 'line 3', 'line 4']);
  });
});

describe('population JSON', () => {
  it('accepts { rows } or a bare array and reports rows by number, with unknown fields', () => {
    const good = { caseReference: 'A1', customerGroup: 'u25', team: 'team-1', process: 'p', needs16a: false };
    expect(parsePopulationJson([good]).rows).toHaveLength(1);
    const result = parsePopulationJson({ rows: [good, { ...good, needs16a: 'maybe', colour: 'red' }, 7] });
    expect(result.errors).toEqual([
      { field: 'row 2: colour', message: expect.any(String) },
      { field: 'row 2: needs16a', message: expect.any(String) },
      { field: 'row 3', message: expect.any(String) },
    ]);
    expect(parsePopulationJson({ invalid: true }).errors).toEqual([{ field: 'rows', message: expect.any(String) }]);
    expect(parsePopulationJson([{ ...good, team: { id: 'team-1' } }]).errors).toEqual([
      { field: 'row 1: team', message: 'Text erwartet / expected text' },
    ]);
  });
});

describe('sampling cryptography', () => {
  it('ranks with HMAC-SHA256 keyed by the seed bytes over the draw token', () => {
    const seed = newSeed();
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(newSeed()).not.toBe(seed);
    const expected = createHmac('sha256', Buffer.from(seed, 'hex')).update('abc', 'utf8').digest('hex');
    expect(hmacRank(seed, 'abc')).toBe(expected);
    expect(() => hmacRank('not-hex', 'abc')).toThrow(RangeError);
  });

  it('fingerprints rows without clear data, independent of row order, sensitive to every field', () => {
    const row = (token: string, needs16a = false) => ({
      token,
      customerGroup: 'u25',
      teamId: 'team-1',
      process: 'p',
      needs16a,
    });
    const a = populationFingerprint([row('a'), row('b')]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(populationFingerprint([row('b'), row('a')])).toBe(a);
    expect(populationFingerprint([row('a'), row('b', true)])).not.toBe(a);
    const withSealed = [{ ...row('a'), caseRef: { ct: 'x' } }, row('b')];
    expect(populationFingerprint(withSealed)).toBe(a);
  });
});

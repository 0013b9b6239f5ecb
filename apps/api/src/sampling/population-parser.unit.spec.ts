import { createHmac } from 'node:crypto';
import { parsePopulationCsv, parsePopulationJson } from './population-parser.js';
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
  });
});

describe('sampling cryptography', () => {
  it('ranks with HMAC-SHA256 keyed by the seed bytes over the pseudonym', () => {
    const seed = newSeed();
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(newSeed()).not.toBe(seed);
    const expected = createHmac('sha256', Buffer.from(seed, 'hex')).update('abc', 'utf8').digest('hex');
    expect(hmacRank(seed, 'abc')).toBe(expected);
    expect(() => hmacRank('not-hex', 'abc')).toThrow(RangeError);
  });

  it('fingerprints rows without clear data, independent of row order, sensitive to every field', () => {
    const row = (pseudonym: string, needs16a = false) => ({
      pseudonym,
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

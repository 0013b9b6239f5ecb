import { type LegalQuotaRowInput, validateRows } from './legal-quota.validation.js';

const valid: LegalQuotaRowInput = {
  legalNorm: '§ 22 SGB II',
  teamId: 't1',
  settled: 10,
  upheldFully: 3,
  upheldPartly: 2,
  avoidableTotal: 5,
  avoidable: { documentation: 1, 'application-of-law': 2, 'fact-finding': 2 },
};

describe('legal quota rows validation', () => {
  it('accepts consistent rows at every boundary (upheld = settled, avoidable = upheld, all zero)', () => {
    expect(validateRows([valid])).toEqual({});
    expect(
      validateRows([
        { ...valid, settled: 5 },
        {
          ...valid,
          teamId: null,
          settled: 0,
          upheldFully: 0,
          upheldPartly: 0,
          avoidableTotal: 0,
          avoidable: { documentation: 0, 'application-of-law': 0, 'fact-finding': 0 },
        },
      ]),
    ).toEqual({});
  });

  it('refuses upheld above settled by one', () => {
    expect(Object.keys(validateRows([{ ...valid, settled: 4 }]))).toEqual(['rows.0.upheldFully']);
  });

  it('refuses avoidable above upheld by one', () => {
    const problems = validateRows([
      { ...valid, avoidableTotal: 6, avoidable: { documentation: 2, 'application-of-law': 2, 'fact-finding': 2 } },
    ]);
    expect(Object.keys(problems)).toEqual(['rows.0.avoidable']);
  });

  it('refuses reasons that do not add up to the avoidable count', () => {
    expect(Object.keys(validateRows([{ ...valid, avoidableTotal: 4 }]))).toEqual(['rows.0.avoidableByReason']);
  });

  it('refuses negative, fractional and non-numeric counts, naming each field', () => {
    const problems = validateRows([
      {
        ...valid,
        settled: -1,
        upheldPartly: 1.5,
        avoidableTotal: Number.NaN,
        avoidable: { documentation: '1' as unknown as number, 'application-of-law': 2, 'fact-finding': 2 },
      },
    ]);
    expect(Object.keys(problems).sort()).toEqual([
      'rows.0.avoidable',
      'rows.0.avoidableByReason.documentation',
      'rows.0.settled',
      'rows.0.upheldPartly',
    ]);
  });

  it('refuses an empty legal norm and a second row for the same norm and team (whitespace normalised)', () => {
    const problems = validateRows([valid, { ...valid, legalNorm: '§ 22  SGB II' }, { ...valid, legalNorm: '  ' }]);
    expect(Object.keys(problems).sort()).toEqual(['rows.1.legalNorm', 'rows.2.legalNorm']);
    expect(validateRows([valid, { ...valid, teamId: 't2' }])).toEqual({});
  });
});

import { computeIndicatorFigures, DEFAULT_INDICATOR_SETTINGS } from '@pruefpfad/domain';
import { parseIndicatorCsv, parseIndicatorJson } from './indicator-parser.js';

describe('indicator file parser', () => {
  it('reads case rows of every kind and the capacity into figures at the reference date', () => {
    const csv = [
      'kind;case;reason;applicationDate;exception;firstConsultationDate;placementStatus;compulsorySchooling;lastContactDate;participationEnd;counsellingDates;usedSlots;workingHours',
      'first-consultation;P1;first-application;2025-06-02;;2025-06-05;;;;;;;',
      'first-consultation;P2;re-application;2025-06-03;alg-top-up;;;;;;;;',
      'counselling-contact;P3;;;;;unemployed;nein;2024-12-30;;;;',
      'graduate;P4;;;;;;;;2025-06-10;2025-03-11|2025-06-24;;',
      'capacity;;;;;;;;;;;72;160',
    ].join('\n');
    const { parsed, errors } = parseIndicatorCsv(csv);
    expect(errors).toEqual([]);
    const figures = computeIndicatorFigures(parsed!.cases, '2025-06-30', DEFAULT_INDICATOR_SETTINGS);
    expect(figures).toEqual({
      firstConsultation: { eligible: 1, fulfilled: 1, excluded: 1 },
      counsellingContact: { eligible: 1, fulfilled: 1, excluded: 0 },
      graduateManagement: { eligible: 1, fulfilledNarrow: 1, fulfilledWide: 1, pending: 0 },
      counsellingCapacity: { usedSlots: 72, possibleSlots: 96, workingHours: 160 },
    });
    expect(parsed!.rowCount).toBe(5);
  });

  it('reports every malformed row with its line and returns nothing', () => {
    const csv = [
      'kind,case,reason,applicationDate,participationEnd',
      'first-consultation,P1,first-application,2025-02-30,',
      'graduate,P2,,,2025-06-10',
      'graduate,P2,,,2025-06-11',
      'unknown,P3,,,',
      'graduate,P4,,',
    ].join('\n');
    const { parsed, errors } = parseIndicatorCsv(csv);
    expect(parsed).toBeNull();
    expect(errors.map((error) => error.field)).toEqual([
      'line 2: applicationDate',
      'line 4: case',
      'line 5: kind',
      'line 6',
    ]);
  });

  it('takes ready counts in JSON, and refuses cases and a count for the same indicator', () => {
    const counts = parseIndicatorJson({
      rows: [
        { kind: 'count', indicator: 'graduate-management', eligible: 10, fulfilled: 6, fulfilledWide: 8 },
        { kind: 'capacity', usedSlots: 50, possibleSlots: 80 },
      ],
    });
    expect(counts.errors).toEqual([]);
    expect(counts.parsed!.counts.graduateManagement).toEqual({
      eligible: 10,
      fulfilledNarrow: 6,
      fulfilledWide: 8,
      pending: null,
    });
    expect(counts.parsed!.hasCaseRows).toBe(false);
    const mixed = parseIndicatorJson([
      { kind: 'count', indicator: 'counselling-contact', eligible: 3, fulfilled: 4 },
      { kind: 'count', indicator: 'first-consultation', eligible: 3, fulfilled: 2 },
      { kind: 'first-consultation', case: 'P1', reason: 'first-application', applicationDate: '2025-06-01' },
    ]);
    expect(mixed.parsed).toBeNull();
    expect(mixed.errors.map((error) => error.field)).toEqual(['row 1: fulfilled', 'row 2: indicator']);
  });
});

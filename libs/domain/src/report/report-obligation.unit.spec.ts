import {
  inForceIn,
  legalReportObligation,
  reportStatus,
  teamReportObligation,
  type ReportingProgramme,
} from './report-obligation.js';

const programme = (definedOn: string, overrides: Partial<ReportingProgramme> = {}): ReportingProgramme => ({
  areaId: 'mi',
  customerProcess: 'allgemeine-vermittlung',
  reportDueDay: 15,
  // A revision's entry comes first on purpose: the earliest date is the definition, not the first entry.
  minimumHistory: [{ from: '2027-01-05' }, { from: definedOn }],
  ...overrides,
});
const team = { areaId: 'mi', process: 'allgemeine-vermittlung' };

describe('report obligation', () => {
  it('a programme is in force from the quarter of its definition, up to its last day', () => {
    expect(inForceIn(programme('2026-03-31'), 2026, 1)).toBe(true);
    expect(inForceIn(programme('2026-04-01'), 2026, 1)).toBe(false);
    expect(inForceIn(programme('2026-04-01'), 2026, 2)).toBe(true);
    expect(inForceIn(programme('2025-01-10'), 2026, 4)).toBe(true);
    expect(inForceIn({ ...programme('2026-01-01'), minimumHistory: [] }, 2026, 1)).toBe(false);
  });

  it('a team owes a report only under a programme of its area and process in force; due on the earliest day', () => {
    const programmes = [
      programme('2026-02-10', { reportDueDay: 20 }),
      programme('2026-05-02', { reportDueDay: 5 }),
      programme('2025-01-01', { areaId: 'leistung', reportDueDay: 1 }),
      programme('2025-01-01', { customerProcess: 'leistung', reportDueDay: 2 }),
    ];
    expect(teamReportObligation(team, programmes, 2025, 4, 15)).toEqual({ owed: false, dueDate: '2026-01-15' });
    expect(teamReportObligation(team, programmes, 2026, 1, 15)).toEqual({ owed: true, dueDate: '2026-04-20' });
    expect(teamReportObligation(team, programmes, 2026, 2, 15)).toEqual({ owed: true, dueDate: '2026-07-05' });
    // A team without a process works under every programme of its area.
    expect(teamReportObligation({ areaId: 'mi', process: null }, programmes, 2025, 4, 15)).toEqual({
      owed: true,
      dueDate: '2026-01-02',
    });
  });

  it('the legal department owes from the tenant’s first programme on, whatever its area', () => {
    const programmes = [programme('2026-05-02', { areaId: 'leistung' })];
    expect(legalReportObligation(programmes, 2026, 1, 15)).toEqual({ owed: false, dueDate: '2026-04-15' });
    expect(legalReportObligation(programmes, 2026, 2, 15)).toEqual({ owed: true, dueDate: '2026-07-15' });
    expect(legalReportObligation([], 2026, 2, 15).owed).toBe(false);
  });

  it('status: submitted wins, then not owed, due up to and including the due date, overdue after it', () => {
    const owed = { owed: true, dueDate: '2026-04-15' };
    expect(reportStatus(owed, false, '2026-04-15')).toBe('due');
    expect(reportStatus(owed, false, '2026-04-16')).toBe('overdue');
    expect(reportStatus(owed, true, '2026-04-16')).toBe('submitted');
    expect(reportStatus({ owed: false, dueDate: '2026-04-15' }, false, '2027-01-01')).toBe('not-owed');
    expect(reportStatus({ owed: false, dueDate: '2026-04-15' }, true, '2027-01-01')).toBe('submitted');
  });
});

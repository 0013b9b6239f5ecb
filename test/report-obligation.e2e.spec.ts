import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { ORGANISATION_UNITS } from '@pruefpfad/projections';
import {
  defineProgramme,
  mintTokens,
  organisationFacts,
  projected,
  seed,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Which quarterly reports are owed, over HTTP: report status, dashboards, the area summary, the draft and
 * trends must agree. A unit owes a report only for a quarter in which one of its programmes was in force
 * (from its definition, Europe/Berlin date); the legal department from the tenant's first programme on.
 *
 * The organisation is loaded and Markt & Integration's programme defined on 10 February 2026 (Q1); the
 * Leistung programme at 00:30 Berlin time on 1 April 2026 (22:30 UTC on 31 March), so in Q2, not Q1.
 */

const TENANT = 'jc-a';
type Unit = 'team-1' | 'team-2' | 'team-3' | 'legal';
type Quarter = readonly [year: number, quarter: 1 | 2 | 3 | 4];

const QUARTERS: readonly Quarter[] = [
  [2025, 3],
  [2025, 4],
  [2026, 1],
  [2026, 2],
];
/** Units that owe a report per quarter, by this file's own reading of the rule. */
const OWED: Record<string, readonly Unit[]> = {
  '2025-Q3': [],
  '2025-Q4': [],
  '2026-Q1': ['team-1', 'team-2', 'legal'],
  '2026-Q2': ['team-1', 'team-2', 'team-3', 'legal'],
};
const TEAMS: readonly Unit[] = ['team-1', 'team-2', 'team-3'];
const dueDate = ([year, quarter]: Quarter): string =>
  quarter === 4 ? `${year + 1}-01-15` : `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-15`;
const key = ([year, quarter]: Quarter): string => `${year}-Q${quarter}`;
/** The month after the quarter: the trend period in which its report falls due. */
const monthAfter = ([year, quarter]: Quarter): string =>
  quarter === 4 ? `${year + 1}-01` : `${year}-${String(quarter * 3 + 1).padStart(2, '0')}`;

describe('owed quarterly reports: status, dashboards and trends agree (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-02-10T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let position = 0;

  const as = (who: string) => `Bearer ${tokens[who]}`;
  const get = (url: string, who: string, query: Record<string, string> = {}) =>
    request(app.getHttpServer())
      .get(url)
      .query(query)
      .set('Authorization', as(who))
      .set('X-Min-Position', String(position));

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    tokens = await mintTokens(config, {
      management: { roles: ['management'], tenant: TENANT, units: [], subject: 'gf-1' },
      areaMi: { roles: ['area_head'], tenant: TENANT, units: ['mi'], subject: 'ah-1' },
      lead1: { roles: ['team_lead'], tenant: TENANT, units: ['team-1'], subject: 'tl-1' },
      legal: { roles: ['legal'], tenant: TENANT, units: ['legal'], subject: 'sgg-1' },
    });
    const organisation = await seed(app, organisationFacts, TENANT, [
      unitDefined('mi', 'area', null),
      unitDefined('leistung', 'area', null),
      unitDefined('team-1', 'team', 'mi'),
      unitDefined('team-2', 'team', 'mi'),
      unitDefined('team-3', 'team', 'leistung', { process: 'leistung' }),
    ]);
    await projected(app, ORGANISATION_UNITS, organisation);
    position = Math.max(
      position,
      (
        await defineProgramme(app, as('management'), {
          settings: {
            title: 'Verlaufsbezogene Kundenbetrachtung',
            areaId: 'mi',
            customerProcess: 'allgemeine-vermittlung',
            minimumCasesPerTeamLead: 10,
            errorRatePolicy: { kind: 'none' },
          },
          reason: 'Weisung 2021 (003:45)',
        })
      ).position,
    );
    clock.set('2026-03-31T22:30:00.000Z');
    position = Math.max(
      position,
      (
        await defineProgramme(app, as('management'), {
          settings: {
            title: 'Leistung (IKS)',
            areaId: 'leistung',
            customerProcess: 'leistung',
            minimumCasesPerTeamLead: 5,
            drawnBy: 'management',
            errorRatePolicy: { kind: 'collect', tolerancePercent: 10 },
          },
          reason: 'IKS-Verfügung Leistungsrecht (001:202)',
        })
      ).position,
    );
    // After every due date of the quarters above: an owed report nobody submitted is overdue.
    clock.set('2026-07-20T09:00:00.000Z');
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('report status: nothing is owed for quarters before the programmes; overdue from the quarter of the definition', async () => {
    for (const quarter of QUARTERS) {
      const response = await get('/api/v1/reports/status', 'management', {
        year: String(quarter[0]),
        quarter: String(quarter[1]),
      });
      expect(response.status).toBe(200);
      const owed = OWED[key(quarter)]!;
      expect(response.body.units).toEqual(
        [...TEAMS, 'legal' as const].map((unitId): unknown =>
          expect.objectContaining({
            unitId,
            status: owed.includes(unitId) ? 'overdue' : 'not-owed',
            dueDate: owed.includes(unitId) ? dueDate(quarter) : null,
            submittedOn: null,
          }),
        ),
      );
      expect(response.body.counts).toEqual({ submitted: 0, due: 0, overdue: owed.length });
    }
    // Legal sees its own row by the same rule.
    const legal = await get('/api/v1/reports/status', 'legal', { year: '2025', quarter: '4' });
    expect(legal.body.units).toEqual([expect.objectContaining({ unitId: 'legal', status: 'not-owed' })]);
  });

  it('trends expect exactly the team reports the status lists as owed, quarter by quarter', async () => {
    const response = await get('/api/v1/trends', 'management', { from: '2025-10', to: '2026-07' });
    expect(response.status).toBe(200);
    const periods = new Map(
      (response.body.periods as { period: string; reports: { expected: number; missing: number } }[]).map((period) => [
        period.period,
        period.reports,
      ]),
    );
    for (const quarter of QUARTERS) {
      const owedTeams = OWED[key(quarter)]!.filter((unit) => unit !== 'legal').length;
      const status = await get('/api/v1/reports/status', 'management', {
        year: String(quarter[0]),
        quarter: String(quarter[1]),
      });
      const listedTeams = (status.body.units as { kind: string; status: string }[]).filter(
        (unit) => unit.kind === 'team' && unit.status !== 'not-owed',
      ).length;
      expect(listedTeams).toBe(owedTeams);
      expect(periods.get(monthAfter(quarter))).toEqual({
        expected: owedTeams,
        onTime: 0,
        late: 0,
        missing: owedTeams,
        pending: 0,
      });
    }
  });

  it('dashboards, the area summary and the draft say the same', async () => {
    const reportsOf = (body: unknown) => (body as { teams: { report: unknown }[] }).teams.map((row) => row.report);
    const before = await get('/api/v1/dashboards/area/mi', 'areaMi', { month: '2026-01' });
    expect(before.status).toBe(200);
    expect(reportsOf(before.body)).toEqual([
      { year: 2025, quarter: 4, status: 'not-owed', dueDate: null },
      { year: 2025, quarter: 4, status: 'not-owed', dueDate: null },
    ]);
    expect(before.body.totals.reports).toEqual({ submitted: 0, due: 0, overdue: 0 });
    const after = await get('/api/v1/dashboards/area/mi', 'areaMi', { month: '2026-04' });
    expect(reportsOf(after.body)).toEqual([
      { year: 2026, quarter: 1, status: 'overdue', dueDate: '2026-04-15' },
      { year: 2026, quarter: 1, status: 'overdue', dueDate: '2026-04-15' },
    ]);

    const summary = await get('/api/v1/areas/mi/reports/2025/Q4/summary', 'areaMi');
    expect(summary.status).toBe(200);
    const rows = (summary.body as { teams: { status: string; dueDate: string | null }[] }).teams;
    expect(rows.map((row) => [row.status, row.dueDate])).toEqual([
      ['not-owed', null],
      ['not-owed', null],
    ]);
    expect(summary.body.reports).toEqual({ submitted: 0, due: 0, overdue: 0 });
    expect(summary.body.legal).toMatchObject({ status: 'not-owed' });
    const owedSummary = await get('/api/v1/areas/mi/reports/2026/Q1/summary', 'areaMi');
    expect(owedSummary.body.reports).toEqual({ submitted: 0, due: 0, overdue: 2 });
    expect(owedSummary.body.legal).toMatchObject({ status: 'overdue' });

    const draft = await get('/api/v1/teams/team-1/reports/2025/Q4/draft', 'lead1');
    expect(draft.status).toBe(200);
    // The draft keeps the date a report would fall due (one submitted anyway is judged against it).
    expect(draft.body).toMatchObject({ status: 'not-owed', dueDate: '2026-01-15' });
    const owedDraft = await get('/api/v1/teams/team-1/reports/2026/Q1/draft', 'lead1');
    expect(owedDraft.body).toMatchObject({ status: 'overdue', dueDate: '2026-04-15' });
  });
});

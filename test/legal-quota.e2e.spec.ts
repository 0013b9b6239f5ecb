import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type AppConfig, uuidV7Ids } from '@pruefpfad/application';
import type { RunningProjections } from '@pruefpfad/composition';
import type { EventStore, NewEvent } from '@pruefpfad/event-store';
import type { Doc, DocumentStore } from '@pruefpfad/read-store';
import type { Runtime } from '../apps/api/src/runtime/runtime.js';
import { EVENT_STORE, RUNTIME } from '../apps/api/src/runtime/tokens.js';
import {
  expectAuthorizationMatrix,
  expectNoClearTextInStores,
  mintTokens,
  testClock,
  unitDefined,
  type TokenClaims,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * The legal department's avoidable-appeal quota (issue 12, 001:252–280) over HTTP: monthly figures
 * recorded and corrected, validation with field names, both shares with their targets, the trend, the
 * small-cell rule outside the legal department, the quarterly legal report (JSON, CSV, PDF) and the
 * management dashboard. Every expected figure is worked out by hand in this file.
 */

interface Row {
  legalNorm: string;
  teamId: string | null;
  settled: number;
  upheldFully: number;
  upheldPartly: number;
  avoidable: number;
  avoidableByReason: { documentation: number; 'application-of-law': number; 'fact-finding': number };
}

const row = (
  legalNorm: string,
  teamId: string | null,
  settled: number,
  upheldFully: number,
  upheldPartly: number,
  [documentation, law, fact]: [number, number, number],
): Row => ({
  legalNorm,
  teamId,
  settled,
  upheldFully,
  upheldPartly,
  avoidable: documentation + law + fact,
  avoidableByReason: { documentation, 'application-of-law': law, 'fact-finding': fact },
});

// January: settled 40, upheld 11 (8 fully, 3 partly), avoidable 5 → 45.5 % of upheld (above 30 %), 12.5 % of settled.
const JANUARY = [
  row('§ 22 SGB II', 'team-1', 20, 4, 2, [1, 1, 1]),
  row('§ 22 SGB II', 'team-2', 10, 2, 0, [0, 1, 0]),
  row('§ 31 SGB II', 'team-3', 2, 1, 0, [0, 0, 1]),
  row('§ 11 SGB II', null, 8, 1, 1, [0, 0, 0]),
];
// March: settled 35, upheld 3, avoidable 1 → 33.3 % and 2.9 %; corrected below to 37, 3, 2.
const MARCH = [row('§ 22 SGB II', 'team-1', 30, 3, 0, [1, 0, 0]), row('§ 11 SGB II', 'team-2', 5, 0, 0, [0, 0, 0])];
const MARCH_CORRECTED = [
  row('§ 22 SGB II', 'team-1', 32, 3, 0, [1, 1, 0]),
  row('§ 11 SGB II', 'team-2', 5, 0, 0, [0, 0, 0]),
];
const REASON = 'Nachmeldung aus FALKE für Team 1, Geheimwort Zitronenfalter';

describe("the legal department's avoidable-appeal quota over HTTP (embedded stores)", () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-04-02T10:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let position = 0;
  let tokens: Record<string, string> = {};

  const http = () => request(app.getHttpServer());
  const get = (url: string, token: string) =>
    http().get(url).set('Authorization', `Bearer ${token}`).set('X-Min-Position', String(position));
  const post = async (url: string, token: string, body: object, headers: Record<string, string> = {}) => {
    let call = http().post(url).set('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
    const response = await call.send(body);
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position as number);
    return response;
  };
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field).sort();

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    const claims = (roles: TokenClaims['roles'], units: string[], tenant = 'jc-a'): TokenClaims => ({
      roles,
      units,
      tenant,
      subject: `${roles[0]}-${units.join('-')}-${tenant}`,
    });
    tokens = await mintTokens(config, {
      legal: claims(['legal'], ['legal']),
      management: claims(['management'], []),
      areaMi: claims(['area_head'], ['mi']),
      auditor: claims(['auditor'], []),
      lead1: claims(['team_lead'], ['team-1']),
      employee: claims(['employee'], ['team-1']),
      otherLegal: claims(['legal'], ['legal'], 'jc-b'),
    });
    const store = app.get<EventStore>(EVENT_STORE);
    const units = [
      unitDefined('mi', 'area', null),
      unitDefined('leistung', 'area', null),
      unitDefined('team-1', 'team', 'mi'),
      unitDefined('team-2', 'team', 'mi'),
      unitDefined('team-3', 'team', 'leistung'),
    ];
    const events: NewEvent[] = units.map((event) => ({
      id: uuidV7Ids.next(),
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: {
        occurredAt: '2025-12-01T09:00:00.000Z',
        actor: { userId: 'seed', role: 'management' },
        tenant: 'jc-a',
        correlationId: 'seed',
        causationId: null,
        rulesVersion: 'test',
      },
    }));
    position = (await store.append('organisation-jc-a', events, { expectedRevision: 'any' })).position;
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('refuses inconsistent figures with 400 naming each field, and writes nothing', async () => {
    const bad = await post('/api/v1/legal/quota/2026-01', tokens.legal!, {
      rows: [
        row('§ 22 SGB II', 'team-1', 5, 4, 2, [0, 0, 0]), // upheld 6 > settled 5
        { ...row('§ 22 SGB II', 'team-2', 10, 2, 0, [1, 1, 1]) }, // avoidable 3 > upheld 2
        { ...row('§ 31 SGB II', 'team-3', 10, 2, 0, [1, 0, 0]), avoidable: 2 }, // reasons 1 ≠ 2
      ],
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body as { errors: { field: string }[] })).toEqual(
      ['rows.0.upheldFully', 'rows.1.avoidable', 'rows.2.avoidableByReason'].sort(),
    );
    const unknownTeam = await post('/api/v1/legal/quota/2026-01', tokens.legal!, {
      rows: [row('§ 22 SGB II', 'team-1', 1, 0, 0, [0, 0, 0]), row('§ 11 SGB II', 'team-9', 1, 0, 0, [0, 0, 0])],
    });
    expect(unknownTeam.status).toBe(400);
    expect(fieldsOf(unknownTeam.body as { errors: { field: string }[] })).toEqual(['rows.1.teamId']);
    const malformed = await post('/api/v1/legal/quota/2026-01', tokens.legal!, {
      rows: [{ ...row('§ 22 SGB II', 'team-1', -1, 1.5, 0, [0, 0, 0]), extra: true }],
    });
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed.body as { errors: { field: string }[] })).toEqual(
      expect.arrayContaining(['rows.0.settled', 'rows.0.upheldFully']),
    );
    expect((await post('/api/v1/legal/quota/2026-13', tokens.legal!, { rows: [] })).status).toBe(400);
    expect((await get('/api/v1/legal/quota/2026-01', tokens.legal!)).status).toBe(404);
  });

  it('records months once; a month not yet begun is refused; only the legal department writes', async () => {
    const january = await post('/api/v1/legal/quota/2026-01', tokens.legal!, { rows: JANUARY });
    expect(january.status).toBe(201);
    expect(january.headers['location']).toBe('/api/v1/legal/quota/2026-01');
    expect(january.headers['etag']).toBe('"0"');
    expect((await post('/api/v1/legal/quota/2026-02', tokens.legal!, { rows: [] })).status).toBe(201);
    expect((await post('/api/v1/legal/quota/2026-03', tokens.legal!, { rows: MARCH })).status).toBe(201);
    expect((await post('/api/v1/legal/quota/2026-01', tokens.legal!, { rows: JANUARY })).status).toBe(409);
    expect((await post('/api/v1/legal/quota/2026-04', tokens.legal!, { rows: [] })).status).toBe(201);
    expect((await post('/api/v1/legal/quota/2026-05', tokens.legal!, { rows: [] })).status).toBe(422);
    expect((await post('/api/v1/legal/quota/2025-12', tokens.management!, { rows: [] })).status).toBe(403);
    expect((await get('/api/v1/legal/quota/2026-01', tokens.lead1!)).status).toBe(403);
    expect((await get('/api/v1/legal/quota/2026-01', tokens.otherLegal!)).status).toBe(404);
  });

  it('computes both shares exactly against the targets; a zero denominator has no figure', async () => {
    const january = await get('/api/v1/legal/quota/2026-01', tokens.legal!);
    expect(january.status).toBe(200);
    expect(january.body).toMatchObject({
      month: '2026-01',
      totals: {
        settled: 40,
        upheld: 11,
        upheldFully: 8,
        upheldPartly: 3,
        avoidable: 5,
        avoidableByReason: { documentation: 1, 'application-of-law': 2, 'fact-finding': 2 },
      },
      quota: {
        avoidableAmongUpheld: {
          numerator: 5,
          denominator: 11,
          percent: 45.5,
          targetPercent: 30,
          status: 'above-target',
        },
        avoidableAmongSettled: {
          numerator: 5,
          denominator: 40,
          percent: 12.5,
          targetPercent: 10,
          status: 'above-target',
          informational: true,
        },
      },
      byReason: { documentation: 1, 'application-of-law': 2, 'fact-finding': 2 },
      suppressedTeams: 0,
      corrections: 0,
    });
    // The legal department sees its rows (legal norm × team) and every team.
    expect((january.body as { rows: unknown[] }).rows).toHaveLength(4);
    const february = await get('/api/v1/legal/quota/2026-02', tokens.management!);
    expect(february.body.quota).toMatchObject({
      avoidableAmongUpheld: { denominator: 0, percent: null, status: 'no-figure' },
      avoidableAmongSettled: { denominator: 0, percent: null, status: 'no-figure' },
    });
  });

  it('hides small team cells where the figures leave the legal department (PRUEFPFAD_MIN_CELL_COUNT)', async () => {
    expect(config.minCellCount).toBe(3);
    const january = await get('/api/v1/legal/quota/2026-01', tokens.management!);
    const body = january.body as { rows: unknown; byTeam: { teamId: string | null; suppressed: boolean }[] };
    expect(body.rows).toBeNull();
    // team-3 settled 2 (< 3) is hidden; one hidden cell alone could be recomputed from the total, so the
    // smallest other cell (no team, 8) is hidden as well.
    expect(body.byTeam.map((cell) => [cell.teamId, cell.suppressed])).toEqual([
      ['team-1', false],
      ['team-2', false],
      ['team-3', true],
      [null, true],
    ]);
    expect(body.byTeam[2]).toEqual({ teamId: 'team-3', suppressed: true, totals: null, quota: null });
    expect(january.body).toMatchObject({ suppressedTeams: 2, totals: { settled: 40 } });
  });

  it('corrects a month with a reason under If-Match; the reason is sealed, the record keeps the figures before', async () => {
    const wrong = await post(
      '/api/v1/legal/quota/2026-03/corrections',
      tokens.legal!,
      { rows: MARCH_CORRECTED, reason: REASON },
      { 'If-Match': '"7"' },
    );
    expect([409, 412]).toContain(wrong.status);
    const noReason = await post('/api/v1/legal/quota/2026-03/corrections', tokens.legal!, {
      rows: MARCH_CORRECTED,
      reason: '  ',
    });
    expect(noReason.status).toBe(400);
    expect(fieldsOf(noReason.body as { errors: { field: string }[] })).toEqual(['reason']);
    const corrected = await post(
      '/api/v1/legal/quota/2026-03/corrections',
      tokens.legal!,
      { rows: MARCH_CORRECTED, reason: REASON },
      { 'If-Match': '"0"' },
    );
    expect(corrected.status).toBe(200);
    expect(corrected.headers['etag']).toBe('"1"');
    const same = await post('/api/v1/legal/quota/2026-03/corrections', tokens.legal!, {
      rows: MARCH_CORRECTED,
      reason: REASON,
    });
    expect(same.status).toBe(422);
    const march = await get('/api/v1/legal/quota/2026-03', tokens.legal!);
    expect(march.headers['etag']).toBe('"1"');
    expect(march.body).toMatchObject({
      corrections: 1,
      totals: { settled: 37, upheld: 3, avoidable: 2 },
      quota: {
        avoidableAmongUpheld: { percent: 66.7, status: 'above-target' },
        avoidableAmongSettled: { percent: 5.4, status: 'within-target' },
      },
    });
    const store = app.get<EventStore>(EVENT_STORE);
    const events = await store.readStream('legal-quota-jc-a-2026-03');
    expect(events.map((event) => event.type)).toEqual(['LegalQuotaFiguresRecorded', 'LegalQuotaFiguresCorrected']);
    expect(events[1]!.data).toMatchObject({ previousTotals: { settled: 35, upheld: 3, avoidable: 1 } });
    expect(JSON.stringify(events[1]!.data)).not.toContain('Zitronenfalter');
    expectNoClearTextInStores(config, ['Zitronenfalter']);
  });

  it('shows the trend by month and year with the targets in force', async () => {
    const trend = await get('/api/v1/legal/quota?from=2025-12&to=2026-03', tokens.management!);
    expect(trend.status).toBe(200);
    expect(trend.body).toMatchObject({
      from: '2025-12',
      to: '2026-03',
      targets: { avoidableAmongUpheldPercent: 30, avoidableAmongSettledPercent: 10 },
      totals: { settled: 77, upheld: 14, avoidable: 7 },
      quota: {
        avoidableAmongUpheld: { percent: 50 },
        avoidableAmongSettled: { percent: 9.1, status: 'within-target' },
      },
    });
    const months = trend.body.months as {
      month: string;
      recorded: boolean;
      quota: { avoidableAmongUpheld: { percent: number | null } };
    }[];
    expect(months.map((month) => [month.month, month.recorded, month.quota.avoidableAmongUpheld.percent])).toEqual([
      ['2025-12', false, null],
      ['2026-01', true, 45.5],
      ['2026-02', true, null],
      ['2026-03', true, 66.7],
    ]);
    expect(
      (trend.body.years as { year: number; months: number; totals: { settled: number } }[]).map((year) => [
        year.year,
        year.months,
        year.totals.settled,
      ]),
    ).toEqual([
      [2025, 0, 0],
      [2026, 3, 77],
    ]);
    const inverted = await get('/api/v1/legal/quota?from=2026-04&to=2026-03', tokens.management!);
    expect(inverted.status).toBe(400);
    expect((await get('/api/v1/legal/quota?from=2026-4', tokens.management!)).status).toBe(400);
  });

  it("carries the quarter's quota in the legal report, its CSV and PDF, and on the management dashboard", async () => {
    const submitted = await post('/api/v1/legal/reports/2026/Q1', tokens.legal!, { nil: true });
    expect(submitted.status).toBe(201);
    const report = await get('/api/v1/legal/reports/2026/Q1', tokens.areaMi!);
    expect(report.status).toBe(200);
    // Quarter: January 40/11/5, February 0, March (corrected) 37/3/2 → 77/14/7: 50.0 % and 9.1 %.
    expect(report.body.quota).toMatchObject({
      totals: { settled: 77, upheld: 14, avoidable: 7 },
      quota: { avoidableAmongUpheld: { percent: 50, status: 'above-target' } },
      byReason: { documentation: 2, 'application-of-law': 3, 'fact-finding': 2 },
      rows: null,
    });
    const quarterTeams = report.body.quota.byTeam as { teamId: string | null; suppressed: boolean }[];
    // Quarter settled per team: team-1 52, team-2 15, team-3 2 (hidden), no team 8 (hidden as cover).
    expect(quarterTeams.map((cell) => [cell.teamId, cell.suppressed])).toEqual([
      ['team-1', false],
      ['team-2', false],
      ['team-3', true],
      [null, true],
    ]);
    const csv = await get('/api/v1/legal/reports/2026/Q1.csv', tokens.management!);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(
      'Widerspruchsquote (vermeidbare Stattgaben);Anteil an allen Stattgaben (Ziel ≤ 30 %);2026-01;über dem Ziel;45,5 %',
    );
    expect(csv.text).toContain(';2026-02;;keine Angabe / no figure');
    expect(csv.text).toContain('Quartal;über dem Ziel;50,0 %');
    expect(csv.text).toContain('Vermeidbare Stattgaben nach Team;Zahlen;team-3;;unterdrückt (weniger als 3 Fälle)');
    const pdf = await get('/api/v1/legal/reports/2026/Q1.pdf', tokens.management!)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const dashboard = await get('/api/v1/dashboards/management?month=2026-03', tokens.management!);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.legalQuota.month).toMatchObject({
      month: '2026-03',
      recorded: true,
      totals: { settled: 37, upheld: 3, avoidable: 2 },
      quota: { avoidableAmongUpheld: { percent: 66.7 } },
    });
    expect(dashboard.body.legalQuota.trend.months).toHaveLength(12);
    expect(dashboard.body.legalQuota.trend.from).toBe('2025-04');
  });

  it('rebuilds the legal-quota read model to the live documents', async () => {
    const runtime = app.get<Runtime>(RUNTIME, { strict: false });
    const projections = runtime.projections as RunningProjections;
    const documents: DocumentStore = runtime.infrastructure.documents;
    const sorted = async (collection: string): Promise<Doc[]> =>
      (await documents.find(collection)).sort((a, b) => a._id.localeCompare(b._id));
    const operator = await tokenFor(config, { roles: ['operator'], tenant: 'betrieb', subject: 'op-1' });
    const view = await http()
      .get('/api/v1/operations/projections/legal-quota')
      .set('Authorization', `Bearer ${operator}`);
    const live = view.body.serving as string;
    const liveDocs = await sorted(live);
    expect(liveDocs).toHaveLength(4);
    const started = await http()
      .post('/api/v1/operations/projections/legal-quota/rebuild')
      .set('Authorization', `Bearer ${operator}`)
      .send({});
    expect(started.status).toBe(202);
    expect(await projections.operations.settled('legal-quota')).toMatchObject({ ok: true, target: `${live}_r1` });
    expect(await sorted(`${live}_r1`)).toEqual(liveDocs);
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: 'jc-a',
      units: ['team-1', 'mi'],
      pathParams: { month: '2026-01', teamId: 'team-1', areaId: 'mi', year: '2026', quarter: '1' },
    });
  });
});

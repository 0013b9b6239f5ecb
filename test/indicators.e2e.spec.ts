import { IndicatorRatingDeadlines } from '../apps/api/src/indicators/indicator-rating.deadlines.js';
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
  teamLeadAssigned,
  testClock,
  unitDefined,
  type TokenClaims,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * The monthly team indicators (issue 12, 004:40–100) over HTTP on the built service: a team month imported
 * as CSV case rows and as JSON ready counts, every calendar rule visible at its boundary in the figures,
 * malformed files refused with their lines and nothing imported, the team lead's ratings with sealed
 * comments (opened for the team's leadership and recorded in the access log), the team's risk rated
 * jointly on the matrix in force, the area head's overview under the small-cell rule, the policy, the
 * rebuild and the retention purge. Every expected figure is worked out by hand in this file.
 *
 * Reference date (Stichtag) 2026-03-31, the last day of March (the default), today 2026-04-02.
 */

const HEADER =
  'kind;case;reason;applicationDate;exception;firstConsultationDate;placementStatus;compulsorySchooling;lastContactDate;participationEnd;counsellingDates;usedSlots;workingHours';
const line = (...fields: string[]): string => [...fields, ...Array(13 - fields.length).fill('')].join(';');
const first = (id: string, reason: string, applied: string, exception: string, consulted: string) =>
  line('first-consultation', id, reason, applied, exception, consulted);
const contact = (id: string, status: string, pupil: string, last: string) =>
  line('counselling-contact', id, '', '', '', '', status, pupil, last);
const graduate = (id: string, end: string, dates: string) =>
  line('graduate', id, '', '', '', '', '', '', '', end, dates);

const MARCH_CSV = [
  HEADER,
  // a. First consultation at 2026-03-31: eligible 3 (F1, F2, F5), fulfilled 1 (F1), excluded 3.
  first('F1', 'first-application', '2026-03-02', '', '2026-03-05'), // documented → fulfilled
  first('F2', 're-application', '2026-03-10', '', ''), // none documented → missed
  first('F3', 'new-bg-number', '2026-03-12', 'alg-top-up', ''), // listed exception → excluded
  first('F4', 'first-application', '2026-03-20', 'compulsory-schooling', ''), // pupil → excluded
  first('F5', 'first-application', '2026-03-25', '', '2026-04-01'), // documented after the Stichtag → missed
  first('F6', 'first-application', '2026-04-01', '', ''), // applied after the Stichtag → excluded
  // b. Contact within 6 months at 2026-03-31: the window starts 2025-09-30. Eligible 5, fulfilled 2, excluded 2.
  contact('C1', 'unemployed', 'nein', '2025-09-30'), // first day of the window → fulfilled
  contact('C2', 'job-seeking', 'nein', '2025-09-29'), // one day before → missed
  contact('C3', 'advice-seeking', 'nein', '2026-03-31'), // on the Stichtag → fulfilled
  contact('C4', 'unset', 'nein', ''), // no contact → missed
  contact('C5', 'unemployed', 'ja', ''), // pupil in full-time compulsory schooling → excluded
  contact('C6', 'not-registered', 'nein', ''), // not registered for placement → excluded
  contact('C7', 'unemployed', 'nein', '2026-04-01'), // after the Stichtag → missed
  // c. Graduate management around the end of participation 2026-03-10: −91 days = 2025-12-09.
  graduate('G1', '2026-03-10', '2025-12-09'), // −91 → narrow and wide
  graduate('G2', '2026-03-10', '2025-12-08'), // −92 → missed
  graduate('G3', '2026-03-10', '2026-03-10'), // 0 → narrow and wide
  graduate('G4', '2026-03-10', '2026-03-24'), // +14 → wide only
  graduate('G5', '2026-03-10', '2026-03-25|2025-12-08'), // +15 and −92 → missed
  graduate('G6', '2026-03-18', ''), // +14 = 2026-04-01 lies past the Stichtag → pending
  graduate('G7', '2026-03-17', ''), // +14 = 2026-03-31, the Stichtag → no longer pending
  // d. Capacity: 160 h × 60 % = 96 one-hour slots possible, 72 used → 75.0 %.
  line('capacity', '', '', '', '', '', '', '', '', '', '', '72', '160'),
].join('\n');

const MARCH_FIGURES = {
  firstConsultation: { eligible: 3, fulfilled: 1, excluded: 3 },
  counsellingContact: { eligible: 5, fulfilled: 2, excluded: 2 },
  graduateManagement: { eligible: 7, fulfilledNarrow: 2, fulfilledWide: 3, pending: 1 },
  counsellingCapacity: { usedSlots: 72, possibleSlots: 96, workingHours: 160 },
};

/** team-2 only has ready counts (JSON); 2 new customers are a small cell outside the team. */
const TEAM2_COUNTS = {
  rows: [
    { kind: 'count', indicator: 'first-consultation', eligible: 2, fulfilled: 2 },
    { kind: 'count', indicator: 'counselling-contact', eligible: 40, fulfilled: 30 },
    { kind: 'count', indicator: 'graduate-management', eligible: 10, fulfilled: 6, fulfilledWide: 8 },
    { kind: 'capacity', usedSlots: 50, possibleSlots: 80 },
  ],
};

const COMMENT = 'Rückstand bei Kontakten, Geheimwort Kiebitzflug: Sprechstunde zusätzlich';
const RISK_REASON = 'Kontaktdichte gesunken, Geheimwort Wiedehopf';

describe('the monthly team indicators over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-04-02T10:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let position = 0;
  let tokens: Record<string, string> = {};
  let measureId = '';

  const http = () => request(app.getHttpServer());
  const track = (response: request.Response): request.Response => {
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position as number);
    return response;
  };
  const get = (url: string, token: string) =>
    http().get(url).set('Authorization', `Bearer ${token}`).set('X-Min-Position', String(position));
  const send = async (method: 'post' | 'put', url: string, token: string, body: object) =>
    track(await http()[method](url).set('Authorization', `Bearer ${token}`).send(body));
  const post = (url: string, token: string, body: object = {}) => send('post', url, token, body);
  const importCsv = async (url: string, token: string, csv: string) =>
    track(await http().post(url).set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/csv').send(csv));
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);
  const MARCH = '/api/v1/teams/team-1/indicators/2026-03';

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    const claims = (roles: TokenClaims['roles'], units: string[], subject?: string): TokenClaims => ({
      roles,
      units,
      tenant: 'jc-a',
      subject: subject ?? `${roles[0]}-${units.join('-')}`,
    });
    tokens = await mintTokens(config, {
      lead1: claims(['team_lead'], ['team-1'], 'tl-1'),
      lead2: claims(['team_lead'], ['team-2'], 'tl-2'),
      areaMi: claims(['area_head'], ['mi']),
      areaLe: claims(['area_head'], ['leistung']),
      management: claims(['management'], []),
      auditor: claims(['auditor'], []),
      employee: claims(['employee'], ['team-1']),
      legal: claims(['legal'], ['legal']),
    });
    const store = app.get<EventStore>(EVENT_STORE);
    const organisation = [
      unitDefined('mi', 'area', null),
      unitDefined('leistung', 'area', null),
      unitDefined('team-1', 'team', 'mi'),
      unitDefined('team-2', 'team', 'mi'),
      unitDefined('team-3', 'team', 'leistung'),
      teamLeadAssigned('team-1', 'tl-1', null),
      teamLeadAssigned('team-2', 'tl-2', null),
    ];
    const events: NewEvent[] = organisation.map((event) => ({
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

  it('refuses a malformed file with every bad line named, and imports nothing', async () => {
    const bad = [
      HEADER,
      first('F1', 'first-application', '2026-03-02', '', '2026-03-05'),
      first('F2', 'first-application', '2026-02-30', '', ''), // no such day
      contact('C1', 'retired', 'nein', ''), // unknown placement status
      graduate('G1', '2026-03-10', '2026-3-1'), // not yyyy-mm-dd
      first('F1', 'first-application', '2026-03-03', '', ''), // case listed twice
      'graduate;G9', // too few columns
    ].join('\n');
    const refused = await importCsv(`${MARCH}/import`, tokens.lead1!, bad);
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.body as { errors: { field: string }[] })).toEqual([
      'line 3: applicationDate',
      'line 4: placementStatus',
      'line 5: counsellingDates',
      'line 6: case',
      'line 7',
    ]);
    const json = await post(`${MARCH}/import`, tokens.lead1!, {
      rows: [
        { kind: 'count', indicator: 'counselling-contact', eligible: 3, fulfilled: 4 },
        { kind: 'capacity', usedSlots: 5 },
      ],
    });
    expect(json.status).toBe(400);
    expect(fieldsOf(json.body as { errors: { field: string }[] })).toEqual([
      'row 1: fulfilled',
      'row 2: possibleSlots',
    ]);
    expect((await get(MARCH, tokens.lead1!)).status).toBe(404);
    const store = app.get<EventStore>(EVENT_STORE);
    expect(await store.readStream('indicators-jc-a-team-1-2026-03')).toEqual([]);
    expect((await post('/api/v1/teams/team-1/indicators/2026-13/import', tokens.lead1!, TEAM2_COUNTS)).status).toBe(
      400,
    );
  });

  it('imports case rows as CSV and shows every rule at its boundary in the figures', async () => {
    const imported = await importCsv(`${MARCH}/import`, tokens.lead1!, MARCH_CSV);
    expect(imported.status).toBe(201);
    expect(imported.headers['location']).toBe(MARCH);
    expect(imported.body.figures).toEqual(MARCH_FIGURES);
    const month = await get(MARCH, tokens.lead1!);
    expect(month.status).toBe(200);
    expect(month.body).toMatchObject({
      teamId: 'team-1',
      areaId: 'mi',
      month: '2026-03',
      referenceDate: '2026-03-31',
      importNumber: 1,
      source: 'cases',
      rowCount: 21,
      settings: { contactIntervalMonths: 6, counsellingSharePercent: 60, slotMinutes: 60 },
      figures: MARCH_FIGURES,
    });
    const percents = (month.body.indicators as { indicator: string; percent: number | null }[]).map((entry) => [
      entry.indicator,
      entry.percent,
    ]);
    // 1/3, 2/5, narrow 2/7, 72/96.
    expect(percents).toEqual([
      ['first-consultation', 33.3],
      ['counselling-contact', 40],
      ['graduate-management', 28.6],
      ['counselling-capacity', 75],
    ]);
    // The same file again changes nothing (no second event).
    const again = await importCsv(`${MARCH}/import`, tokens.lead1!, MARCH_CSV);
    expect(again.status).toBe(201);
    const store = app.get<EventStore>(EVENT_STORE);
    const events = await store.readStream('indicators-jc-a-team-1-2026-03');
    expect(events.map((event) => event.type)).toEqual(['IndicatorDataImported']);
    // The pseudonyms are judged at import and never stored.
    expect(JSON.stringify(events[0]!.data)).not.toContain('G1');
  });

  it('imports ready counts as JSON for a team that only has figures', async () => {
    const imported = await post('/api/v1/teams/team-2/indicators/2026-03/import', tokens.lead2!, TEAM2_COUNTS);
    expect(imported.status).toBe(201);
    expect(imported.body.figures).toEqual({
      firstConsultation: { eligible: 2, fulfilled: 2, excluded: null },
      counsellingContact: { eligible: 40, fulfilled: 30, excluded: null },
      graduateManagement: { eligible: 10, fulfilledNarrow: 6, fulfilledWide: 8, pending: null },
      counsellingCapacity: { usedSlots: 50, possibleSlots: 80, workingHours: null },
    });
    const month = await get('/api/v1/teams/team-2/indicators/2026-03', tokens.areaMi!);
    expect(month.status).toBe(200);
    expect(month.body).toMatchObject({ source: 'counts', rowCount: 4 });
  });

  it("applies the team's agreed shorter contact interval to a replacement import, which needs a reason", async () => {
    const settings = await send('put', '/api/v1/teams/team-1/indicator-settings', tokens.lead1!, {
      contactIntervalMonths: 3,
      reason: 'Teamvereinbarung U25: Kontakt alle 3 Monate',
    });
    expect(settings.status).toBe(200);
    expect(
      (
        await send('put', '/api/v1/teams/team-1/indicator-settings', tokens.lead1!, {
          contactIntervalMonths: 7,
          reason: 'x',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await send('put', '/api/v1/teams/team-1/indicator-settings', tokens.areaMi!, {
          contactIntervalMonths: 3,
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    const read = await get('/api/v1/teams/team-1/indicator-settings', tokens.lead1!);
    expect(read.body).toEqual({
      teamId: 'team-1',
      agreed: true,
      settings: { contactIntervalMonths: 3, counsellingSharePercent: 60, slotMinutes: 60 },
    });
    // The same file, now with 3 months: a replacement, refused without a reason.
    const noReason = await importCsv(`${MARCH}/import`, tokens.lead1!, MARCH_CSV);
    expect(noReason.status).toBe(400);
    expect(fieldsOf(noReason.body as { errors: { field: string }[] })).toEqual(['reason']);
    const replaced = await importCsv(
      `${MARCH}/import?reason=${encodeURIComponent('Teamvereinbarung gilt ab März')}`,
      tokens.lead1!,
      MARCH_CSV,
    );
    expect(replaced.status).toBe(201);
    // Window from 2025-12-31: C1 (2025-09-30) now misses; C3 alone is within → 1 of 5.
    expect(replaced.body.figures.counsellingContact).toEqual({ eligible: 5, fulfilled: 1, excluded: 2 });
    const month = await get(MARCH, tokens.lead1!);
    expect(month.body).toMatchObject({ importNumber: 2, settings: { contactIntervalMonths: 3 } });
  });

  it('takes the team lead’s rating per indicator with a sealed comment and measures of the team', async () => {
    const measure = await post('/api/v1/teams/team-1/measures', tokens.lead1!, {
      kind: 'process-change',
      scope: 'team',
      owner: 'Teamleitung',
      description: 'Zusätzliche Sprechstunde',
      dueDate: '2026-04-30',
    });
    expect(measure.status).toBe(201);
    measureId = measure.body.id as string;
    const amberBare = await post(`${MARCH}/ratings/counselling-contact`, tokens.lead1!, { rating: 'amber' });
    expect(amberBare.status).toBe(400);
    expect(fieldsOf(amberBare.body as { errors: { field: string }[] })).toEqual(['comment']);
    const foreign = await post(`${MARCH}/ratings/counselling-contact`, tokens.lead1!, {
      rating: 'red',
      comment: COMMENT,
      measureIds: ['0190a000-0000-7000-8000-000000000000'],
    });
    expect(foreign.status).toBe(400);
    expect(fieldsOf(foreign.body as { errors: { field: string }[] })).toEqual(['measureIds.0']);
    expect((await post(`${MARCH}/ratings/unknown`, tokens.lead1!, { rating: 'green' })).status).toBe(400);
    const red = await post(`${MARCH}/ratings/counselling-contact`, tokens.lead1!, {
      rating: 'red',
      comment: COMMENT,
      measureIds: [measureId],
    });
    expect(red.status).toBe(200);
    expect((await post(`${MARCH}/ratings/first-consultation`, tokens.lead1!, { rating: 'green' })).status).toBe(200);
    // Rating is the team lead's (004:100): not the area head's; another team's lead does not reach the team
    // (404, told apart from nothing, as for every resource out of a caller's reach).
    expect((await post(`${MARCH}/ratings/first-consultation`, tokens.areaMi!, { rating: 'green' })).status).toBe(403);
    expect((await post(`${MARCH}/ratings/first-consultation`, tokens.lead2!, { rating: 'green' })).status).toBe(404);

    const month = await get(MARCH, tokens.lead1!);
    const contactRating = (month.body.indicators as { indicator: string; rating: unknown }[]).find(
      (entry) => entry.indicator === 'counselling-contact',
    );
    expect(contactRating!.rating).toMatchObject({
      rating: 'red',
      current: true,
      comment: COMMENT,
      measureIds: [measureId],
      ratedByRole: 'team_lead',
    });
    // The auditor reads the figures, never the comment in clear.
    const audited = await get(MARCH, tokens.auditor!);
    expect(audited.status).toBe(200);
    expect(JSON.stringify(audited.body)).not.toContain('Kiebitzflug');
    expectNoClearTextInStores(config, ['Kiebitzflug']);
  });

  it("asks in the inbox's deadlines for the month's rating until every indicator of the current import is rated", async () => {
    const source = app.get(IndicatorRatingDeadlines);
    const open = async () => {
      expect((await get(MARCH, tokens.lead1!)).status).toBe(200); // the read model has caught up
      return (await source.collect('jc-a'))
        .map((deadline) => `${deadline.ref} ${deadline.dueDate} ${deadline.action}`)
        .sort();
    };
    // team-1 rated two of four indicators, team-2 none: both months are due at the end of April.
    expect(await open()).toEqual([
      'team-1/2026-03 2026-04-30 indicators.rate',
      'team-2/2026-03 2026-04-30 indicators.rate',
    ]);
    for (const indicator of ['graduate-management', 'counselling-capacity'])
      expect((await post(`${MARCH}/ratings/${indicator}`, tokens.lead1!, { rating: 'green' })).status).toBe(200);
    expect(await open()).toEqual(['team-2/2026-03 2026-04-30 indicators.rate']);
  });

  it('records opening the sealed comments in the access log (who, endpoint, fields; no content)', async () => {
    position = await app.get<EventStore>(EVENT_STORE).headPosition();
    const log = await get('/api/v1/access-log', tokens.auditor!);
    expect(log.status).toBe(200);
    const entries = (log.body.items as { endpoint: string; actor: { subject: string }; fields: string[] }[]).filter(
      (entry) => entry.endpoint === 'GET /api/v1/teams/:teamId/indicators/:month',
    );
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]).toMatchObject({
      actor: { subject: 'tl-1' },
      fields: ['ratings.comment'],
      resources: [{ kind: 'report', id: 'indicators-jc-a-team-1-2026-03', reviewId: null }],
    });
    // The auditor's own read opened nothing, so it left no entry.
    expect(entries.every((entry) => entry.actor.subject === 'tl-1')).toBe(true);
    expect(JSON.stringify(log.body)).not.toContain('Kiebitzflug');
  });

  it("rates the team's risk jointly on the matrix in force: the team lead proposes, the area head confirms", async () => {
    // Management's matrix: 5 × 5, appetite up to 6, impact 5 always treated.
    const levels = (names: string[]) => names.map((name, index) => ({ level: index + 1, de: name, en: name }));
    const matrix = await send('put', '/api/v1/risk-matrix', tokens.management!, {
      impact: levels(['sehr gering', 'gering', 'mittel', 'hoch', 'sehr hoch']),
      likelihood: levels(['selten', 'unwahrscheinlich', 'möglich', 'wahrscheinlich', 'fast sicher']),
      appetite: { maxAcceptedScore: 6, alwaysTreatFromImpact: 5 },
      reason: 'Fünfstufige Matrix der Geschäftsführung',
    });
    expect(matrix.status).toBe(200);
    // Level 5 exists only on management's matrix (the default has 4).
    const outside = await post(`${MARCH}/risk`, tokens.lead1!, { impact: 6, likelihood: 1, reason: RISK_REASON });
    expect(outside.status).toBe(400);
    const proposed = await post(`${MARCH}/risk`, tokens.lead1!, { impact: 5, likelihood: 1, reason: RISK_REASON });
    expect(proposed.status).toBe(200);
    // The proposer cannot confirm; another team's lead cannot reach the team.
    expect((await post(`${MARCH}/risk/confirmation`, tokens.lead1!)).status).toBe(422);
    expect((await post(`${MARCH}/risk/confirmation`, tokens.lead2!)).status).toBe(404);
    expect((await post(`${MARCH}/risk/confirmation`, tokens.areaLe!)).status).toBe(404);
    const before = await get(MARCH, tokens.areaMi!);
    expect(before.body.riskProposal).toMatchObject({
      proposedByRole: 'team_lead',
      reason: RISK_REASON,
      placement: { impact: 5, likelihood: 1, score: 5, damagePotential: true, aboveAppetite: true, impactLevels: 5 },
    });
    expect(before.body.teamRisk).toBeNull();
    const confirmed = await post(`${MARCH}/risk/confirmation`, tokens.areaMi!);
    expect(confirmed.status).toBe(200);
    const after = await get(MARCH, tokens.lead1!);
    expect(after.body.riskProposal).toBeNull();
    expect(after.body.teamRisk).toMatchObject({
      proposedByRole: 'team_lead',
      confirmedByRole: 'area_head',
      placement: { impact: 5, likelihood: 1, score: 5, aboveAppetite: true, impactLevels: 5, likelihoodLevels: 5 },
    });
    expectNoClearTextInStores(config, ['Wiedehopf']);
  });

  it("gives the area head the area's teams with small cells suppressed, and no comments", async () => {
    expect(config.minCellCount).toBe(3);
    const overview = await get('/api/v1/areas/mi/indicators/2026-03', tokens.areaMi!);
    expect(overview.status).toBe(200);
    const teams = overview.body.teams as {
      teamId: string;
      indicators: { indicator: string; suppressed: boolean; percent: number | null; rating: string | null }[];
      teamRisk: unknown;
    }[];
    expect(teams.map((team) => team.teamId)).toEqual(['team-1', 'team-2']);
    const cells = teams.map((team) => team.indicators.map((cell) => [cell.indicator, cell.suppressed, cell.percent]));
    // First consultation: team-2 has 2 new customers (< 3), hidden; a single hidden cell next to a visible
    // one could be worked back from an area figure, so team-1's (3) is hidden as cover.
    expect(cells).toEqual([
      [
        ['first-consultation', true, null],
        ['counselling-contact', false, 20],
        ['graduate-management', false, 28.6],
        ['counselling-capacity', false, 75],
      ],
      [
        ['first-consultation', true, null],
        ['counselling-contact', false, 75],
        ['graduate-management', false, 60],
        ['counselling-capacity', false, 62.5],
      ],
    ]);
    expect(teams[0]!.indicators.map((cell) => cell.rating)).toEqual(['green', 'red', 'green', 'green']);
    expect(teams[0]!.teamRisk).toMatchObject({ impact: 5, likelihood: 1, aboveAppetite: true });
    expect(JSON.stringify(overview.body)).not.toContain('Kiebitzflug');
    expect((await get('/api/v1/areas/mi/indicators/2026-03', tokens.management!)).status).toBe(200);
    const other = await get('/api/v1/areas/leistung/indicators/2026-03', tokens.areaLe!);
    expect(other.body.teams).toEqual([]);
  });

  it('answers 403 to roles outside the policy, and 404 to another team’s lead or another area’s head', async () => {
    // Roles the policy does not give the action: 403.
    for (const token of [tokens.employee!, tokens.legal!]) expect((await get(MARCH, token)).status).toBe(403);
    for (const token of [tokens.employee!, tokens.management!, tokens.auditor!, tokens.legal!])
      expect((await importCsv(`${MARCH}/import`, token, MARCH_CSV)).status).toBe(403);
    for (const token of [tokens.lead1!, tokens.employee!, tokens.auditor!])
      expect((await get('/api/v1/areas/mi/indicators/2026-03', token)).status).toBe(403);
    // The right role for another team or area: out of reach reads as not found (README, HTTP conventions).
    for (const token of [tokens.lead2!, tokens.areaLe!]) {
      expect((await get(MARCH, token)).status).toBe(404);
      expect((await importCsv(`${MARCH}/import`, token, MARCH_CSV)).status).toBe(404);
    }
    expect((await get('/api/v1/areas/mi/indicators/2026-03', tokens.areaLe!)).status).toBe(404);
    const store = app.get<EventStore>(EVENT_STORE);
    expect((await store.readStream('indicators-jc-a-team-1-2026-03')).map((event) => event.type)).toEqual([
      'IndicatorDataImported',
      'IndicatorDataImported',
      'IndicatorRated',
      'IndicatorRated',
      'IndicatorRated',
      'IndicatorRated',
      'TeamRiskProposed',
      'TeamRiskRated',
    ]);
  });

  it('rebuilds the indicator-months read model to the live documents', async () => {
    const runtime = app.get<Runtime>(RUNTIME, { strict: false });
    const projections = runtime.projections as RunningProjections;
    const documents: DocumentStore = runtime.infrastructure.documents;
    const sorted = async (collection: string): Promise<Doc[]> =>
      (await documents.find(collection)).sort((a, b) => a._id.localeCompare(b._id));
    const operator = await tokenFor(config, { roles: ['operator'], tenant: 'betrieb', subject: 'op-1' });
    const view = await http()
      .get('/api/v1/operations/projections/indicator-months')
      .set('Authorization', `Bearer ${operator}`);
    expect(view.status).toBe(200);
    const live = view.body.serving as string;
    const liveDocs = await sorted(live);
    expect(liveDocs).toHaveLength(2);
    const started = await http()
      .post('/api/v1/operations/projections/indicator-months/rebuild')
      .set('Authorization', `Bearer ${operator}`)
      .send({});
    expect(started.status).toBe(202);
    expect(await projections.operations.settled('indicator-months')).toMatchObject({ ok: true, target: `${live}_r1` });
    expect(await sorted(`${live}_r1`)).toEqual(liveDocs);
  });

  it('lists every indicator route in the OpenAPI document, with X-Min-Position for reads', async () => {
    const docs = await http().get('/api/docs-json');
    expect(docs.status).toBe(200);
    const paths = docs.body.paths as Record<string, Record<string, unknown>>;
    const routes = Object.entries(paths)
      .filter(([path]) => path.includes('indicator'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(routes).toEqual([
      'GET /api/v1/areas/{areaId}/indicators/{month}',
      'GET /api/v1/teams/{teamId}/indicator-settings',
      'GET /api/v1/teams/{teamId}/indicators/{month}',
      'POST /api/v1/teams/{teamId}/indicators/{month}/import',
      'POST /api/v1/teams/{teamId}/indicators/{month}/ratings/{indicator}',
      'POST /api/v1/teams/{teamId}/indicators/{month}/risk',
      'POST /api/v1/teams/{teamId}/indicators/{month}/risk/confirmation',
      'PUT /api/v1/teams/{teamId}/indicator-settings',
    ]);
    const global = (docs.body.components?.parameters ?? {}) as Record<string, { name: string }>;
    const read = paths['/api/v1/teams/{teamId}/indicators/{month}']!['get'] as {
      parameters: { name?: string; $ref?: string }[];
    };
    const names = read.parameters.map((parameter) =>
      parameter.$ref === undefined ? parameter.name : global[parameter.$ref.split('/').pop()!]?.name,
    );
    expect(names).toContain('X-Min-Position');
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: 'jc-a',
      units: ['team-1', 'mi'],
      pathParams: { month: '2026-03', teamId: 'team-1', areaId: 'mi', indicator: 'first-consultation' },
    });
  });
});

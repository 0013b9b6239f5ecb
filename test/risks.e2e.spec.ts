import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type AppConfig, uuidV7Ids } from '@pruefpfad/application';
import type { RunningProjections } from '@pruefpfad/composition';
import type { EventStore, NewEvent } from '@pruefpfad/event-store';
import type { Doc, DocumentStore } from '@pruefpfad/read-store';
import type { Runtime } from '../apps/api/src/runtime/runtime.js';
import { EVENT_STORE, RUNTIME } from '../apps/api/src/runtime/tokens.js';
import { assertAuthorizationMatrix } from '../apps/api/src/security/authorization-matrix.js';
import { loadOrCreateSigningSecret } from '../apps/api/src/security/signing-secret.js';
import { mintTokens, testClock, unitDefined, type TokenClaims } from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * The risk register (issue 12, 001:107–125) over HTTP on the service as `npm start` composes it: risks from
 * every source, assessment on the default 4 × 4 matrix, the four strategies with their rules (an accepted
 * risk's re-check date bounded like a suspended routine's, never for a damage potential), closure, the area
 * head's consolidation, the heat map and list, the quarterly risk report (PDF, CSV), the auditor's history
 * with pseudonymised actors and time travel, validation, the policy, rebuilds and the OpenAPI listing.
 * Every expected figure is worked out in this file from the table below, not by the code under test.
 */

type Source = { kind: string; auditor?: string; reference?: string };
interface RiskSpec {
  readonly key: string;
  readonly source: Source;
  readonly areaId: 'mi' | 'leistung' | null;
  /** The final assessment, or null (never assessed). */
  readonly assessment: readonly [impact: number, likelihood: number] | null;
}

// One risk per source, the three external auditors each named; mi risks are the area head's, the others management's.
const RISKS: readonly RiskSpec[] = [
  { key: 'supervision', source: { kind: 'supervision' }, areaId: 'mi', assessment: [2, 1] }, // reassessed from 2 × 2
  {
    key: 'brh',
    source: { kind: 'external-audit', auditor: 'bundesrechnungshof', reference: 'Prüfungsmitteilung 2025, Tz. 4' },
    areaId: null,
    assessment: [4, 1], // damage potential (impact 4), score 4
  },
  { key: 'ir', source: { kind: 'external-audit', auditor: 'interne-revision' }, areaId: 'mi', assessment: [3, 3] },
  {
    key: 'rpa',
    source: { kind: 'external-audit', auditor: 'rechnungspruefungsamt' },
    areaId: 'leistung',
    assessment: [1, 3],
  },
  { key: 'hospitation', source: { kind: 'hospitation' }, areaId: 'mi', assessment: [1, 1] }, // closed below
  { key: 'data-quality', source: { kind: 'data-quality' }, areaId: 'mi', assessment: null },
  { key: 'it-analysis', source: { kind: 'it-analysis' }, areaId: null, assessment: [3, 1] },
  { key: 'complaints', source: { kind: 'complaints' }, areaId: 'mi', assessment: [2, 3] },
  { key: 'new-tasks', source: { kind: 'new-or-changed-tasks' }, areaId: 'leistung', assessment: [2, 1] },
];
const CLOSED = new Set(['hospitation']);
// The default matrix: accepted up to score 4, impact 4 always treated (a damage potential).
const aboveAppetite = (impact: number, likelihood: number) => impact >= 4 || impact * likelihood > 4;

const REASON = (key: string) => `Erkenntnis aus ${key}`;

describe('the risk register over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-20T09:00:00.000Z'); // 10:00 in Berlin
  let config: AppConfig;
  let app: INestApplication;
  let position = 0;
  let tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const instants: Record<string, string> = {};

  const http = () => request(app.getHttpServer());
  const get = (url: string, token: string) =>
    http().get(url).set('Authorization', `Bearer ${token}`).set('X-Min-Position', String(position));
  const send = async (method: 'post' | 'put', url: string, token: string, body: object) => {
    const response = await http()[method](url).set('Authorization', `Bearer ${token}`).send(body);
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position as number);
    return response;
  };
  const post = (url: string, token: string, body: object) => send('post', url, token, body);
  const put = (url: string, token: string, body: object) => send('put', url, token, body);
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field).sort();
  const identifyBody = (spec: RiskSpec) => ({
    title: `Risiko ${spec.key}`,
    description: `Beschreibung des Risikos ${spec.key} im Prozess`,
    source: spec.source,
    ...(spec.areaId === null ? {} : { areaId: spec.areaId }),
    process: spec.areaId === 'leistung' ? 'Leistungsgewährung' : 'Vermittlung',
    links: { defectCategories: ['Dokumentation'], teamReports: ['team-1-2025-Q4'], measures: [], trends: [] },
    reason: REASON(spec.key),
  });
  const tokenOf = (spec: RiskSpec) => (spec.areaId === 'mi' ? tokens.areaMi! : tokens.management!);
  const headPosition = () => app.get<EventStore>(EVENT_STORE).headPosition();

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    const claims = (roles: TokenClaims['roles'], units: string[], subject: string, tenant = 'jc-a'): TokenClaims => ({
      roles,
      units,
      tenant,
      subject,
    });
    tokens = await mintTokens(config, {
      management: claims(['management'], [], 'gf-1'),
      areaMi: claims(['area_head'], ['mi'], 'ah-mi'),
      areaLe: claims(['area_head'], ['leistung'], 'ah-le'),
      auditor: claims(['auditor'], [], 'ir-1'),
      lead1: claims(['team_lead'], ['team-1'], 'tl-1'),
      legal: claims(['legal'], ['legal'], 'rs-1'),
      employee: claims(['employee'], ['team-1'], 'emp-1'),
      otherManagement: claims(['management'], [], 'gf-b', 'jc-b'),
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

  it('refuses invalid input with 400 naming each field, and writes nothing', async () => {
    const before = await headPosition();
    const bad = await post('/api/v1/risks', tokens.management!, {
      title: '',
      description: 'x',
      source: { kind: 'gossip' },
      process: 'Vermittlung',
      reason: 'r',
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['source.kind', 'title']);
    const noAuditor = await post('/api/v1/risks', tokens.management!, {
      ...identifyBody(RISKS[1]!),
      source: { kind: 'external-audit' },
    });
    expect(noAuditor.status).toBe(400);
    expect(fieldsOf(noAuditor.body)).toEqual(['source.auditor']);
    const auditorElsewhere = await post('/api/v1/risks', tokens.management!, {
      ...identifyBody(RISKS[0]!),
      source: { kind: 'supervision', auditor: 'bundesrechnungshof' },
    });
    expect(auditorElsewhere.status).toBe(400);
    expect(fieldsOf(auditorElsewhere.body)).toEqual(['source.auditor']);
    const unknownField = await post('/api/v1/risks', tokens.management!, { ...identifyBody(RISKS[0]!), owner: 'x' });
    expect(unknownField.status).toBe(400);
    expect(fieldsOf(unknownField.body)).toEqual(['owner']);
    const badMatrix = await put('/api/v1/risk-matrix', tokens.management!, {
      impact: [{ level: 1, de: 'gering', en: 'low' }],
      likelihood: [
        { level: 1, de: 'selten', en: 'rare' },
        { level: 3, de: 'oft', en: 'often' },
      ],
      appetite: { maxAcceptedScore: 2, alwaysTreatFromImpact: null },
      reason: 'zu klein',
    });
    expect(badMatrix.status).toBe(400);
    expect(fieldsOf(badMatrix.body)).toEqual(expect.arrayContaining(['impact', 'likelihood[1].level']));
    expect(await headPosition()).toBe(before);
    expect((await get('/api/v1/risks', tokens.management!)).body.risks).toEqual([]);
  });

  it('identifies a risk from every source, the external audits naming their auditor; area heads only in their area', async () => {
    for (const spec of RISKS) {
      const created = await post('/api/v1/risks', tokenOf(spec), identifyBody(spec));
      expect(created.status).toBe(201);
      ids[spec.key] = created.body.id as string;
      expect(created.headers['location']).toBe(`/api/v1/risks/${created.body.id as string}`);
      expect(created.headers['etag']).toBe('"0"');
    }
    expect(new Set(Object.values(ids)).size).toBe(RISKS.length);
    const brh = await get(`/api/v1/risks/${ids['brh']!}`, tokens.auditor!);
    expect(brh.status).toBe(200);
    expect(brh.body).toMatchObject({
      tenant: 'jc-a',
      status: 'open',
      areaId: null,
      source: { kind: 'external-audit', auditor: 'bundesrechnungshof', reference: 'Prüfungsmitteilung 2025, Tz. 4' },
      links: { defectCategories: ['Dokumentation'], teamReports: ['team-1-2025-Q4'] },
      identifiedOn: '2026-03-20',
      identificationReason: REASON('brh'),
      assessment: null,
    });
    const all = await get('/api/v1/risks', tokens.areaLe!);
    expect(all.status).toBe(200);
    expect(
      (all.body.risks as { source: Source }[]).map((risk) => risk.source.auditor ?? risk.source.kind).sort(),
    ).toEqual(RISKS.map((spec) => spec.source.auditor ?? spec.source.kind).sort());
    // The area head of mi identifies nothing for another area, nor for the whole Jobcenter.
    expect((await post('/api/v1/risks', tokens.areaMi!, identifyBody(RISKS[3]!))).status).toBe(403);
    expect((await post('/api/v1/risks', tokens.areaMi!, identifyBody(RISKS[1]!))).status).toBe(403);
  });

  it('assesses on the default 4 × 4 matrix with the quarterly due date; an assessment off the matrix is refused', async () => {
    const matrix = await get('/api/v1/risk-matrix', tokens.areaMi!);
    expect(matrix.body).toMatchObject({ revision: -1, matrix: { appetite: { maxAcceptedScore: 4 } } });
    expect((matrix.body.matrix.impact as { de: string }[]).map((level) => level.de)).toEqual([
      'gering',
      'mittel',
      'hoch',
      'sehr hoch',
    ]);
    clock.set('2026-03-20T09:30:00.000Z');
    instants['assessed'] = '2026-03-20T09:30:00.000Z';
    for (const spec of RISKS) {
      if (spec.assessment === null) continue;
      const [impact, likelihood] = spec.key === 'supervision' ? [2, 2] : spec.assessment;
      const assessed = await post(`/api/v1/risks/${ids[spec.key]!}/assessments`, tokenOf(spec), {
        impact,
        likelihood,
        reason: `Bewertung ${spec.key}`,
      });
      expect(assessed.status).toBe(201);
    }
    const before = await headPosition();
    const off = await post(`/api/v1/risks/${ids['data-quality']!}/assessments`, tokens.areaMi!, {
      impact: 5,
      likelihood: 1,
      reason: 'zu hoch',
    });
    expect(off.status).toBe(400);
    expect(fieldsOf(off.body)).toEqual(['impact']);
    expect(await headPosition()).toBe(before);
    // The area head of leistung assesses no risk of mi; the area head of mi none of leistung.
    expect(
      (await post(`/api/v1/risks/${ids['ir']!}/assessments`, tokens.areaLe!, { impact: 1, likelihood: 1, reason: 'x' }))
        .status,
    ).toBe(403);
    expect(
      (
        await post(`/api/v1/risks/${ids['rpa']!}/assessments`, tokens.areaMi!, {
          impact: 1,
          likelihood: 1,
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    const brh = await get(`/api/v1/risks/${ids['brh']!}`, tokens.management!);
    expect(brh.body.assessment).toEqual({
      impact: 4,
      likelihood: 1,
      score: 4,
      aboveAppetite: true,
      damagePotential: true,
      matrixRevision: -1,
      assessedOn: '2026-03-20',
      reassessBy: '2026-06-20', // three months (rules-config `risks.reassessMonths`, default 3)
      reason: 'Bewertung brh',
    });
    expect(brh.body.reassessmentOverdue).toBe(false);
  });

  it('accepts only with a re-check date from tomorrow to three months ahead, never a damage potential', async () => {
    clock.set('2026-03-20T10:00:00.000Z');
    instants['decided'] = '2026-03-20T10:00:00.000Z';
    const accept = (key: string, recheckOn: string | undefined, extra: object = {}) =>
      post(`/api/v1/risks/${ids[key]!}/treatment`, tokens.management!, {
        strategy: 'accept',
        ...(recheckOn === undefined ? {} : { recheckOn }),
        reason: `Hinnahme ${key}`,
        ...extra,
      });
    const before = await headPosition();
    const missing = await accept('supervision', undefined);
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['recheckOn']);
    expect((await accept('supervision', '2026-03-20')).status).toBe(422); // today
    expect((await accept('supervision', '2026-06-21')).status).toBe(422); // a day beyond three months
    expect((await accept('supervision', '2026-6-20')).status).toBe(400);
    // A damage potential is not accepted whatever its likelihood, confirmed or not (001:117).
    expect((await accept('brh', '2026-04-20', { againstAppetite: true })).status).toBe(422);
    // Above the appetite line only with management's explicit confirmation.
    const unconfirmed = await accept('complaints', '2026-04-20');
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body.detail ?? unconfirmed.body.title).toMatch(/Risikobereitschaft/);
    expect(await headPosition()).toBe(before);

    expect((await accept('supervision', '2026-03-21')).status).toBe(200); // tomorrow
    const latest = await accept('supervision', '2026-06-20'); // exactly three months
    expect(latest.status).toBe(200);
    expect(latest.headers['etag']).toBe('"3"');
    const confirmed = await accept('complaints', '2026-05-31', { againstAppetite: true });
    expect(confirmed.status).toBe(200);
    // Only management decides the strategy.
    expect((await accept('data-quality', '2026-04-01')).status).toBe(422); // not yet assessed
    expect(
      (
        await post(`/api/v1/risks/${ids['ir']!}/treatment`, tokens.areaMi!, {
          strategy: 'avoid',
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    const supervision = await get(`/api/v1/risks/${ids['supervision']!}`, tokens.management!);
    expect(supervision.body.treatment).toMatchObject({
      strategy: 'accept',
      recheckOn: '2026-06-20',
      againstAppetite: false,
    });
    expect(supervision.body.treatments).toHaveLength(2);
    expect((await get(`/api/v1/risks/${ids['complaints']!}`, tokens.auditor!)).body.treatment).toMatchObject({
      strategy: 'accept',
      againstAppetite: true,
    });
  });

  it('reduces with measures, transfers to someone, avoids, and closes', async () => {
    const treat = (key: string, body: object) =>
      post(`/api/v1/risks/${ids[key]!}/treatment`, tokens.management!, { reason: `Strategie ${key}`, ...body });
    const noMeasures = await treat('brh', { strategy: 'reduce', measureIds: [] });
    expect(noMeasures.status).toBe(400);
    expect(fieldsOf(noMeasures.body)).toEqual(['measureIds']);
    const reduced = await treat('brh', { strategy: 'reduce', measureIds: ['m-1', 'm-2', 'm-1'] });
    expect(reduced.status).toBe(200);
    const noOne = await treat('ir', { strategy: 'transfer' });
    expect(noOne.status).toBe(400);
    expect(fieldsOf(noOne.body)).toEqual(['transferTo']);
    expect((await treat('ir', { strategy: 'transfer', transferTo: 'Kommunaler Schadensausgleich' })).status).toBe(200);
    expect((await treat('rpa', { strategy: 'avoid' })).status).toBe(200);
    expect((await get(`/api/v1/risks/${ids['brh']!}`, tokens.management!)).body.treatment).toMatchObject({
      strategy: 'reduce',
      measureIds: ['m-1', 'm-2'],
      recheckOn: null,
    });
    expect((await get(`/api/v1/risks/${ids['ir']!}`, tokens.management!)).body.treatment).toMatchObject({
      strategy: 'transfer',
      transferTo: 'Kommunaler Schadensausgleich',
    });

    expect((await post(`/api/v1/risks/${ids['hospitation']!}/closure`, tokens.areaMi!, { reason: 'x' })).status).toBe(
      403,
    );
    const closed = await post(`/api/v1/risks/${ids['hospitation']!}/closure`, tokens.management!, {
      reason: 'Prozess eingestellt',
    });
    expect(closed.status).toBe(200);
    const again = await post(`/api/v1/risks/${ids['hospitation']!}/closure`, tokens.management!, {
      reason: 'noch mal',
    });
    expect(again.status).toBe(422);
    expect(
      (
        await post(`/api/v1/risks/${ids['hospitation']!}/assessments`, tokens.areaMi!, {
          impact: 1,
          likelihood: 1,
          reason: 'x',
        })
      ).status,
    ).toBe(422);
    const view = await get(`/api/v1/risks/${ids['hospitation']!}`, tokens.management!);
    expect(view.body).toMatchObject({ status: 'closed', closedOn: '2026-03-20', closingReason: 'Prozess eingestellt' });
  });

  it('reassesses quarterly with the previous assessment and the new due date', async () => {
    clock.set('2026-04-10T08:00:00.000Z');
    instants['reassessed'] = '2026-04-10T08:00:00.000Z';
    const reassessed = await post(`/api/v1/risks/${ids['supervision']!}/assessments`, tokens.areaMi!, {
      impact: 2,
      likelihood: 1,
      reason: 'Quartalsüberprüfung: Maßnahmen wirken',
    });
    expect(reassessed.status).toBe(201);
    const view = await get(`/api/v1/risks/${ids['supervision']!}`, tokens.management!);
    expect(view.body.assessment).toMatchObject({ score: 2, assessedOn: '2026-04-10', reassessBy: '2026-07-10' });
    expect((view.body.assessments as { kind: string; score: number }[]).map((a) => [a.kind, a.score])).toEqual([
      ['assessed', 4],
      ['reassessed', 2],
    ]);
  });

  it('counts the open risks per matrix cell in the heat map and lists them highest score first', async () => {
    const open = RISKS.filter((spec) => !CLOSED.has(spec.key));
    const assessed = open.filter((spec) => spec.assessment !== null);
    const expected = new Map<string, number>();
    for (const spec of assessed) {
      const key = `${spec.assessment![0]}x${spec.assessment![1]}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const heat = await get('/api/v1/risks/heat-map', tokens.management!);
    expect(heat.status).toBe(200);
    expect(heat.body).toMatchObject({
      asOf: '2026-04-10',
      open: open.length,
      unassessed: open.length - assessed.length,
      offMatrix: 0,
      aboveAppetite: assessed.filter((spec) => aboveAppetite(...spec.assessment!)).length,
    });
    const cells = heat.body.cells as { impact: number; likelihood: number; count: number; aboveAppetite: boolean }[];
    expect(cells).toHaveLength(16);
    for (const cell of cells) {
      expect(cell.count).toBe(expected.get(`${cell.impact}x${cell.likelihood}`) ?? 0);
      expect(cell.aboveAppetite).toBe(aboveAppetite(cell.impact, cell.likelihood));
    }
    expect(cells[0]).toMatchObject({ impact: 4, likelihood: 1, impactLabel: { de: 'sehr hoch' } });

    const list = await get('/api/v1/risks?status=open', tokens.management!);
    const scores = (list.body.risks as { assessment: { score: number } | null }[]).map((r) => r.assessment?.score ?? 0);
    expect(scores).toEqual(
      open
        .map((spec) => (spec.assessment === null ? 0 : spec.assessment[0] * spec.assessment[1]))
        .sort((a, b) => b - a),
    );
    const above = await get('/api/v1/risks?aboveAppetite=true', tokens.auditor!);
    expect((above.body.risks as { _id: string }[]).map((risk) => risk._id).sort()).toEqual(
      RISKS.filter((spec) => spec.assessment !== null && aboveAppetite(...spec.assessment))
        .map((spec) => ids[spec.key]!)
        .sort(),
    );
    const mi = await get('/api/v1/risks?areaId=mi&status=closed', tokens.areaLe!);
    expect((mi.body.risks as { _id: string }[]).map((risk) => risk._id)).toEqual([ids['hospitation']]);
  });

  it("takes in the area head's consolidation of the team reports, per area and quarter", async () => {
    const url = '/api/v1/risk-analyses/mi/2026/Q1';
    const body = {
      teamReports: ['team-1-2026-Q1', 'team-2-2026-Q1'],
      riskIds: [ids['supervision']!, ids['complaints']!],
      summary: 'Dokumentationsmängel in beiden Teams; Beschwerden steigen.',
      reason: 'Quartalsabschluss',
    };
    const before = await headPosition();
    const empty = await put(url, tokens.areaMi!, { ...body, teamReports: [] });
    expect(empty.status).toBe(400);
    expect(fieldsOf(empty.body)).toEqual(['teamReports']);
    expect((await put(url, tokens.areaLe!, body)).status).toBe(403);
    expect((await put(url, tokens.lead1!, body)).status).toBe(403);
    expect(await headPosition()).toBe(before);
    expect((await put(url, tokens.areaMi!, body)).status).toBe(200);
    expect((await put('/api/v1/risk-analyses/leistung/2026/Q1', tokens.areaLe!, { ...body, riskIds: [] })).status).toBe(
      200,
    );
    const late = await put(url, tokens.areaMi!, { ...body, teamReports: [...body.teamReports, 'team-2-2026-Q1'] });
    expect(late.status).toBe(200);
    const analyses = await get('/api/v1/risk-analyses/2026/Q1', tokens.management!);
    expect(analyses.status).toBe(200);
    expect(analyses.body.analyses).toEqual([
      expect.objectContaining({ areaId: 'leistung', versions: 1 }),
      expect.objectContaining({
        areaId: 'mi',
        year: 2026,
        quarter: 1,
        teamReports: ['team-1-2026-Q1', 'team-2-2026-Q1'],
        riskIds: body.riskIds,
        summary: body.summary,
        consolidatedOn: '2026-04-10',
        versions: 2,
      }),
    ]);
    // An area head sees the own area's analysis only.
    const own = await get('/api/v1/risk-analyses/2026/Q1', tokens.areaLe!);
    expect((own.body.analyses as { areaId: string }[]).map((analysis) => analysis.areaId)).toEqual(['leistung']);
    expect((await get('/api/v1/risk-analyses/2026/Q5', tokens.management!)).status).toBe(400);
  });

  it('gives the auditor each risk’s history with lines and pseudonymised actors, and its state as of a past moment', async () => {
    const url = `/api/v1/risks/${ids['supervision']!}/history`;
    const audit = await get(url, tokens.auditor!);
    expect(audit.status).toBe(200);
    const events = audit.body.events as {
      type: string;
      revision: number;
      actor: { user: string; role: string };
      line: { de: string; en: string };
      data: { reason: string };
    }[];
    expect(events.map((event) => event.type)).toEqual([
      'RiskIdentified',
      'RiskAssessed',
      'RiskTreatmentDecided',
      'RiskTreatmentDecided',
      'RiskReassessed',
    ]);
    expect(events.every((event) => event.data.reason.length > 0)).toBe(true);
    expect(events[0]!.line.de).toContain('Risiko „Risiko supervision“ erfasst');
    expect(events[3]!.line.de).toContain('Überprüfung am 2026-06-20');
    expect(events[4]!.line.en).toContain('Risk reassessed: 4 → 2 × 1 = 2');
    expect(audit.body.disclosure).toBe('pseudonymised');
    const actors = events.map((event) => event.actor.user);
    expect(actors.every((actor) => actor.startsWith('pseudonym:'))).toBe(true);
    // The same person keeps one pseudonym (the area head identified, assessed and reassessed), another has another.
    expect(new Set([actors[0], actors[1], actors[4]]).size).toBe(1);
    expect(actors[2]).toBe(actors[3]);
    expect(actors[2]).not.toBe(actors[0]);
    expect(events.map((event) => event.actor.role)).toEqual([
      'area_head',
      'area_head',
      'management',
      'management',
      'area_head',
    ]);
    expect(JSON.stringify(audit.body)).not.toMatch(/ah-mi|gf-1/);
    const foreignHead = await get(url, tokens.areaLe!);
    expect(foreignHead.status).toBe(200);
    expect((foreignHead.body.events as { actor: { user: string } }[])[0]!.actor.user).toBe(actors[0]);
    // Management, the register's owner, sees who acted.
    const owner = await get(url, tokens.management!);
    expect((owner.body.events as { actor: { user: string } }[]).map((event) => event.actor.user)).toEqual([
      'ah-mi',
      'ah-mi',
      'gf-1',
      'gf-1',
      'ah-mi',
    ]);

    const asOf = (query: string) => get(`/api/v1/risks/${ids['supervision']!}/as-of?${query}`, tokens.auditor!);
    const first = await asOf('revision=1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      aggregate: 'risk',
      revision: 1,
      currentRevision: 4,
      eventsApplied: 2,
      state: { status: 'open', assessments: 1, treatment: null, assessment: { score: 4, reassessBy: '2026-06-20' } },
    });
    const beforeAssessment = await asOf(`at=${encodeURIComponent('2026-03-20T10:15:00+01:00')}`);
    expect(beforeAssessment.body).toMatchObject({ revision: 0, state: { status: 'open', assessment: null } });
    const beforeReassessment = await asOf(`at=${encodeURIComponent('2026-04-01T00:00:00+02:00')}`);
    expect(beforeReassessment.body).toMatchObject({
      revision: 3,
      state: { assessment: { score: 4 }, treatment: { strategy: 'accept', recheckOn: '2026-06-20' } },
    });
    expect((await asOf('revision=1&at=2026-04-01T00:00:00Z')).status).toBe(400);
    const closedThen = await get(`/api/v1/risks/${ids['hospitation']!}/as-of?revision=2`, tokens.management!);
    expect(closedThen.body.state).toMatchObject({ status: 'closed', closedOn: '2026-03-20' });
  });

  it('renders the quarterly risk report for the Trägerversammlung as PDF and CSV', async () => {
    const collect = (res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    };
    const binary = collect as unknown as Parameters<request.Test['parse']>[0];
    const pdf = await get('/api/v1/risk-reports/2026/Q1.pdf', tokens.management!).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="risikobericht-jc-a-2026-Q1.pdf"');
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1000);
    // The document title (PDF info, UTF-16BE because of the umlauts) is the German one.
    const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
    expect(bytes.includes(utf16be('Risikobericht 2026, 1. Quartal'))).toBe(true);
    expect(bytes.includes(utf16be('für die Trägerversammlung'))).toBe(true);
    if (process.env.PRUEFPFAD_RISK_REPORT_PDF_OUT) fs.writeFileSync(process.env.PRUEFPFAD_RISK_REPORT_PDF_OUT, bytes);

    const csv = await get('/api/v1/risk-reports/2026/Q1.csv', tokens.auditor!);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Abschnitt;Merkmal;Kategorie;Ausprägung;Wert');
    const open = RISKS.filter((spec) => !CLOSED.has(spec.key));
    expect(lines).toContain(`Überblick;Offene Risiken;;;${open.length}`);
    expect(lines).toContain('Überblick;Über der Risikobereitschaft;;;3');
    expect(lines).toContain('Überblick;Noch nicht bewertet;;;1');
    expect(lines).toContain(
      'Risikomatrix;sehr hoch × unwahrscheinlich;Schadensausmaß 4;Eintrittswahrscheinlichkeit 1 (über der Risikobereitschaft);1',
    );
    expect(lines).toContain(
      'Risikomatrix;hoch × wahrscheinlich;Schadensausmaß 3;Eintrittswahrscheinlichkeit 3 (über der Risikobereitschaft);1',
    );
    expect(lines).toContain(
      'Risiken;Risiko supervision;mi / Vermittlung;Strategie: hinnehmen, Überprüfung am 2026-06-20, neu zu bewerten bis 2026-07-10;2 × 1 = 2',
    );
    expect(lines.filter((line) => line.startsWith('Geschlossene Risiken;'))).toHaveLength(CLOSED.size);
    expect(csv.text).not.toMatch(/ah-mi|gf-1|pseudonym/);
    expect((await get('/api/v1/risk-reports/2026/Q1.csv', tokens.lead1!)).status).toBe(403);
  });

  it('refuses roles outside the policy: team lead, legal department, employee; another tenant finds nothing', async () => {
    const id = ids['ir']!;
    for (const token of [tokens.lead1!, tokens.legal!, tokens.employee!]) {
      expect((await get('/api/v1/risks', token)).status).toBe(403);
      expect((await get(`/api/v1/risks/${id}`, token)).status).toBe(403);
      expect((await get('/api/v1/risks/heat-map', token)).status).toBe(403);
      expect((await get(`/api/v1/risks/${id}/history`, token)).status).toBe(403);
      expect((await post('/api/v1/risks', token, identifyBody(RISKS[0]!))).status).toBe(403);
    }
    // The foreign area's head reads the tenant-wide register but maintains nothing of mi.
    expect((await get(`/api/v1/risks/${id}`, tokens.areaLe!)).status).toBe(200);
    expect(
      (await post(`/api/v1/risks/${id}/assessments`, tokens.areaLe!, { impact: 1, likelihood: 1, reason: 'x' })).status,
    ).toBe(403);
    expect((await post(`/api/v1/risks/${id}/closure`, tokens.areaLe!, { reason: 'x' })).status).toBe(403);
    expect((await get(`/api/v1/risks/${id}`, tokens.otherManagement!)).status).toBe(404);
    expect((await get(`/api/v1/risks/${id}/history`, tokens.otherManagement!)).status).toBe(404);
    expect((await get('/api/v1/risks', tokens.otherManagement!)).body.risks).toEqual([]);
    expect(
      (await post(`/api/v1/risks/${id}/treatment`, tokens.otherManagement!, { strategy: 'avoid', reason: 'x' })).status,
    ).toBe(404);
  });

  it("management's larger matrix keeps every placement; the heat map follows it", async () => {
    const level = (n: number, de: string) => ({ level: n, de, en: de });
    const scale = ['sehr gering', 'gering', 'mittel', 'hoch', 'sehr hoch'].map((de, i) => level(i + 1, de));
    expect(
      (
        await put('/api/v1/risk-matrix', tokens.areaMi!, {
          impact: scale,
          likelihood: scale,
          appetite: { maxAcceptedScore: 6, alwaysTreatFromImpact: 5 },
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    const set = await put('/api/v1/risk-matrix', tokens.management!, {
      impact: scale,
      likelihood: scale,
      appetite: { maxAcceptedScore: 6, alwaysTreatFromImpact: 5 },
      reason: 'Beschluss der Geschäftsführung: feinere Skala',
    });
    expect(set.status).toBe(200);
    const heat = await get('/api/v1/risks/heat-map', tokens.management!);
    expect(heat.body.matrix).toMatchObject({ revision: 0, decidedOn: '2026-04-10' });
    expect(heat.body.cells).toHaveLength(25);
    expect(heat.body.offMatrix).toBe(0);
    expect((heat.body.cells as { count: number }[]).reduce((sum, cell) => sum + cell.count, 0)).toBe(7);
    // On the new matrix only 3 × 3 = 9 lies above the appetite line (6); impact 4 is no longer a damage potential.
    expect(heat.body.aboveAppetite).toBe(1);
    const assessed = await post(`/api/v1/risks/${ids['data-quality']!}/assessments`, tokens.areaMi!, {
      impact: 5,
      likelihood: 2,
      reason: 'auf der neuen Skala',
    });
    expect(assessed.status).toBe(201);
    expect((await get(`/api/v1/risks/${ids['data-quality']!}`, tokens.auditor!)).body.assessment).toMatchObject({
      score: 10,
      damagePotential: true,
      aboveAppetite: true,
      matrixRevision: 0,
    });
  });

  it('rebuilds the risks and area-risk-analyses read models to the live documents', async () => {
    const runtime = app.get<Runtime>(RUNTIME, { strict: false });
    const projections = runtime.projections as RunningProjections;
    const documents: DocumentStore = runtime.infrastructure.documents;
    const sorted = async (collection: string): Promise<Doc[]> =>
      (await documents.find(collection)).sort((a, b) => a._id.localeCompare(b._id));
    const operator = await tokenFor(config, { roles: ['operator'], tenant: 'betrieb', subject: 'op-1' });
    for (const [name, count] of [
      ['risks', RISKS.length],
      ['area-risk-analyses', 2],
    ] as const) {
      const view = await http()
        .get(`/api/v1/operations/projections/${name}`)
        .set('Authorization', `Bearer ${operator}`)
        .set('X-Min-Position', String(position));
      expect(view.status).toBe(200);
      const live = view.body.serving as string;
      const liveDocs = await sorted(live);
      expect(liveDocs).toHaveLength(count);
      const started = await http()
        .post(`/api/v1/operations/projections/${name}/rebuild`)
        .set('Authorization', `Bearer ${operator}`)
        .send({});
      expect(started.status).toBe(202);
      expect(await projections.operations.settled(name)).toMatchObject({ ok: true, target: `${live}_r1` });
      expect(await sorted(`${live}_r1`)).toEqual(liveDocs);
    }
  });

  it('lists every risk route in the OpenAPI document', async () => {
    const docs = await http().get('/api/docs-json');
    expect(docs.status).toBe(200);
    const paths = docs.body.paths as Record<string, Record<string, { tags?: string[] }>>;
    const listed = Object.entries(paths)
      .filter(([route]) => route.startsWith('/api/v1/risk'))
      .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();
    expect(listed).toEqual(
      [
        'GET /api/v1/risks',
        'POST /api/v1/risks',
        'GET /api/v1/risks/heat-map',
        'GET /api/v1/risks/{id}',
        'GET /api/v1/risks/{id}/history',
        'GET /api/v1/risks/{id}/as-of',
        'POST /api/v1/risks/{id}/assessments',
        'POST /api/v1/risks/{id}/treatment',
        'POST /api/v1/risks/{id}/closure',
        'GET /api/v1/risk-matrix',
        'PUT /api/v1/risk-matrix',
        'GET /api/v1/risk-analyses/{year}/Q{quarter}',
        'PUT /api/v1/risk-analyses/{areaId}/{year}/Q{quarter}',
        'GET /api/v1/risk-reports/{year}/Q{quarter}.pdf',
        'GET /api/v1/risk-reports/{year}/Q{quarter}.csv',
      ].sort(),
    );
    expect(paths['/api/v1/risks']!['post']!.tags).toEqual(['Risikomanagement / risk register']);
  });

  it('passes the authorisation matrix on every risk route, with a real risk as the path parameter', async () => {
    const report = await assertAuthorizationMatrix(app, {
      secret: loadOrCreateSigningSecret(config.dataDir),
      body: { invalid: true },
      tenant: 'jc-a',
      units: ['mi'],
      pathParams: { id: ids['ir']!, areaId: 'mi', year: '2026', quarter: '1' },
    });
    const riskRoutes = report.routes.filter((route) => route.controller === 'RisksController');
    expect(riskRoutes).toHaveLength(15);
    expect(new Set(riskRoutes.map((route) => route.action))).toEqual(
      new Set([
        'risk.read',
        'risk.history.read',
        'risk.report.read',
        'risk.maintain',
        'risk.decide',
        'risk.matrix.set',
        'risk.matrix.read',
        'risk.analysis.consolidate',
        'risk.analysis.read',
      ]),
    );
    const riskCases = report.cases.filter((entry) => /^[A-Z]+ \/api\/v1\/risk/.test(entry.route));
    expect(riskCases.length).toBe(15 * 12); // anonymous, forged token and ten roles per route
    expect(riskCases.filter((entry) => entry.expected === 403).map((entry) => entry.caller)).toEqual(
      expect.arrayContaining(['team_lead', 'legal', 'employee', 'operator']),
    );
    // The matrix's invalid bodies wrote nothing: the risk is as the suite left it.
    expect((await get(`/api/v1/risks/${ids['ir']!}`, tokens.management!)).body.streamRevision).toBe(2);
  });

  it("puts the quarterly reassessments and accepted risks' re-checks into the inbox of whoever acts on them", async () => {
    clock.set('2026-07-11T08:00:00.000Z');
    const risk = (kind: string, key: string): unknown =>
      expect.objectContaining({ kind, ref: ids[key], status: 'overdue', path: `/api/v1/risks/${ids[key]!}` });
    const owner = await get('/api/v1/inbox', tokens.management!);
    expect(owner.status).toBe(200);
    const entries = (owner.body.deadlines as { kind: string; ref: string; dueDate: string }[]).filter((entry) =>
      entry.kind.startsWith('risk-'),
    );
    // Every open assessed risk is due again; the closed one is not.
    expect(
      entries
        .filter((entry) => entry.kind === 'risk-reassessment')
        .map((entry) => entry.ref)
        .sort(),
    ).toEqual(
      RISKS.filter((spec) => !CLOSED.has(spec.key))
        .map((spec) => ids[spec.key]!)
        .sort(),
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        risk('risk-recheck', 'supervision'),
        risk('risk-recheck', 'complaints'),
        expect.objectContaining({ kind: 'risk-reassessment', ref: ids['supervision'], dueDate: '2026-07-10' }),
        expect.objectContaining({ kind: 'risk-reassessment', ref: ids['brh'], dueDate: '2026-06-20' }),
      ]),
    );
    expect(entries.filter((entry) => entry.kind === 'risk-recheck')).toHaveLength(2);
    // The area head of mi is due to reassess the area's open risks, and re-checks nothing (management decides).
    const head = await get('/api/v1/inbox', tokens.areaMi!);
    const headEntries = (head.body.deadlines as { kind: string; ref: string }[]).filter((entry) =>
      entry.kind.startsWith('risk-'),
    );
    expect(headEntries.map((entry) => `${entry.kind} ${entry.ref}`).sort()).toEqual(
      RISKS.filter((spec) => spec.areaId === 'mi' && !CLOSED.has(spec.key))
        .map((spec) => `risk-reassessment ${ids[spec.key]!}`)
        .sort(),
    );
    const list = await get(`/api/v1/risks/${ids['supervision']!}`, tokens.management!);
    expect(list.body).toMatchObject({ reassessmentOverdue: true, recheckOverdue: true });
  });
});

describe('the reassessment interval from the rules file (risks.reassessMonths)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-11-30T09:00:00.000Z');
  let app: INestApplication;
  let config: AppConfig;

  beforeAll(async () => {
    fs.mkdirSync(dirs.root, { recursive: true });
    const file = path.join(dirs.root, 'rules.json');
    fs.writeFileSync(file, JSON.stringify({ version: 'risk-test', risks: { reassessMonths: 1 } }));
    process.env.PRUEFPFAD_RULES_FILE = file;
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
  });

  afterAll(async () => {
    delete process.env.PRUEFPFAD_RULES_FILE;
    await app?.close();
    dirs.remove();
  });

  it('dates the next reassessment one month ahead (30 November → 30 December)', async () => {
    const token = await tokenFor(config, { roles: ['management'], tenant: 'jc-a', subject: 'gf-1' });
    const http = () => request(app.getHttpServer());
    const created = await http()
      .post('/api/v1/risks')
      .set('Authorization', `Bearer ${token}`)
      .send({
        title: 'Neue Aufgabe: Bürgergeld-Umstellung',
        description: 'Geänderte Aufgabe',
        source: { kind: 'new-or-changed-tasks' },
        process: 'Leistungsgewährung',
        reason: 'Gesetzesänderung',
      });
    expect(created.status).toBe(201);
    const assessed = await http()
      .post(`/api/v1/risks/${created.body.id as string}/assessments`)
      .set('Authorization', `Bearer ${token}`)
      .send({ impact: 2, likelihood: 2, reason: 'erste Einschätzung' });
    expect(assessed.status).toBe(201);
    const view = await http()
      .get(`/api/v1/risks/${created.body.id as string}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Min-Position', String(assessed.body.position));
    expect(view.body.assessment).toMatchObject({ assessedOn: '2026-11-30', reassessBy: '2026-12-30' });
  });
});

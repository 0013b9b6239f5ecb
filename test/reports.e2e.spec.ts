import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type AppConfig, uuidV7Ids } from '@pruefpfad/application';
import type { EventStore, NewEvent } from '@pruefpfad/event-store';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
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
 * Quarterly reports and dashboards over HTTP. The other contexts' events (organisation, programmes,
 * reviews, measures) are appended to the event store directly, so this suite checks the figures alone;
 * every expected number is computed in this file from the scenario below, not by the code under test.
 */

type Team = 'team-1' | 'team-2' | 'team-3';
type Severity = 'minor' | 'serious';

interface DefectSpec {
  readonly category: string;
  readonly severity: Severity;
  readonly financialLoss: boolean;
  readonly withdrawn: boolean;
  /** Severity after a correction of the completed review. */
  readonly correctedTo: Severity | null;
}

interface ReviewSpec {
  readonly id: string;
  readonly team: Team;
  readonly month: string;
  readonly programme: 'p-mi' | 'p-le';
  readonly defects: readonly DefectSpec[];
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  readonly talks: number;
  readonly discussions: number;
  readonly withdrawn: boolean;
}

interface MeasureSpec {
  readonly id: string;
  readonly team: Team;
  readonly agreedOn: string;
  readonly dueDate: string;
  readonly closed: { readonly kind: 'completed' | 'cancelled'; readonly on: string } | null;
}

const AREA_OF: Record<Team, string> = { 'team-1': 'mi', 'team-2': 'mi', 'team-3': 'leistung' };
const MINIMUM = { 'p-mi': 3, 'p-le': 2 } as const;
const CATEGORIES = ['Dokumentation', 'Eingliederung', 'Leistungsberechnung'];

/** A deterministic scenario: two teams of one area in two months, plus one team of another area. */
function scenario(): ReviewSpec[] {
  const plan: [Team, string, number][] = [
    ['team-1', '2026-01', 5],
    ['team-1', '2026-02', 4],
    ['team-2', '2026-01', 3],
    ['team-2', '2026-02', 2],
    ['team-3', '2026-01', 2],
  ];
  const reviews: ReviewSpec[] = [];
  let n = 0;
  for (const [team, month, count] of plan) {
    for (let i = 0; i < count; i += 1) {
      n += 1;
      const defects: DefectSpec[] = Array.from({ length: n % 3 }, (_, k) => ({
        category: CATEGORIES[(n + k) % 3]!,
        severity: (n + k) % 4 === 0 ? 'serious' : 'minor',
        financialLoss: (n + k) % 5 === 0,
        withdrawn: (n + k) % 7 === 0,
        correctedTo: (n + k) % 6 === 0 ? 'serious' : null,
      }));
      const outcome = i === count - 1 ? null : n % 2 === 0 ? 'goal-directed' : 'not-goal-directed';
      reviews.push({
        id: `r-${String(n).padStart(2, '0')}`,
        team,
        month,
        programme: team === 'team-3' ? 'p-le' : 'p-mi',
        defects: outcome === null ? defects.map((defect) => ({ ...defect, correctedTo: null })) : defects,
        outcome,
        talks: outcome === null ? 0 : n % 2,
        discussions: outcome === null ? 0 : (n + 1) % 2,
        // One case of team-2 in January was unsuitable and replaced (its replacement is the next review).
        withdrawn: team === 'team-2' && month === '2026-01' && i === 0,
      });
    }
  }
  return reviews;
}

const MEASURES: MeasureSpec[] = [
  {
    id: 'm-1',
    team: 'team-1',
    agreedOn: '2026-01-20',
    dueDate: '2026-02-10',
    closed: { kind: 'completed', on: '2026-02-05' },
  },
  { id: 'm-2', team: 'team-1', agreedOn: '2026-02-03', dueDate: '2026-02-20', closed: null },
  { id: 'm-3', team: 'team-1', agreedOn: '2026-02-12', dueDate: '2026-05-30', closed: null },
  {
    id: 'm-4',
    team: 'team-2',
    agreedOn: '2026-01-10',
    dueDate: '2026-03-31',
    closed: { kind: 'cancelled', on: '2026-02-01' },
  },
  { id: 'm-5', team: 'team-2', agreedOn: '2026-02-15', dueDate: '2026-04-30', closed: null },
];

const REVIEWS = scenario();

// ---- Independent expectations --------------------------------------------------------------------

const lastDay = (month: string): string =>
  `${month}-${month.endsWith('-02') ? '28' : month.endsWith('-04') ? '30' : '31'}`;
const counted = (team: Team, months: readonly string[]) =>
  REVIEWS.filter((review) => review.team === team && months.includes(review.month) && !review.withdrawn);
const liveDefects = (reviews: readonly ReviewSpec[]) =>
  reviews.flatMap((review) =>
    review.defects
      .filter((defect) => !defect.withdrawn)
      .map((defect) => ({ ...defect, severity: defect.correctedTo ?? defect.severity })),
  );

function expectedDefects(reviews: readonly ReviewSpec[]): Record<string, { minor: number; serious: number }> {
  const matrix: Record<string, { minor: number; serious: number }> = {};
  for (const defect of liveDefects(reviews)) {
    matrix[defect.category] ??= { minor: 0, serious: 0 };
    matrix[defect.category]![defect.severity] += 1;
  }
  return matrix;
}

function expectedReviews(team: Team, months: readonly string[], today: string) {
  const reviews = counted(team, months);
  const defects = liveDefects(reviews);
  return {
    sampled: reviews.length,
    completed: reviews.filter((review) => review.outcome !== null).length,
    open: reviews.filter((review) => review.outcome === null).length,
    overdue: reviews.filter((review) => review.outcome === null && lastDay(review.month) < today).length,
    goalDirected: reviews.filter((review) => review.outcome === 'goal-directed').length,
    notGoalDirected: reviews.filter((review) => review.outcome === 'not-goal-directed').length,
    defects: expectedDefects(reviews),
    seriousDefects: defects.filter((defect) => defect.severity === 'serious').length,
    financialLossDefects: defects.filter((defect) => defect.financialLoss).length,
    talksHeld: reviews.reduce((sum, review) => sum + review.talks, 0),
    teamDiscussionsHeld: reviews.reduce((sum, review) => sum + review.discussions, 0),
  };
}

function expectedMeasures(team: Team, months: readonly string[], asOf: string) {
  const mine = MEASURES.filter((measure) => measure.team === team);
  const inMonths = (date: string) => months.includes(date.slice(0, 7));
  const open = mine.filter(
    (measure) => measure.agreedOn <= asOf && (measure.closed === null || measure.closed.on > asOf),
  );
  return {
    agreed: mine.filter((measure) => inMonths(measure.agreedOn)).length,
    completed: mine.filter((measure) => measure.closed?.kind === 'completed' && inMonths(measure.closed.on)).length,
    cancelled: mine.filter((measure) => measure.closed?.kind === 'cancelled' && inMonths(measure.closed.on)).length,
    open: open.length,
    overdue: open.filter((measure) => measure.dueDate < asOf).length,
  };
}

// ---- Test harness ---------------------------------------------------------------------------------

describe('quarterly reports and dashboards over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-02-25T10:00:00.000Z');
  const setToday = (date: string) => clock.set(`${date}T10:00:00.000Z`);
  let config: AppConfig;
  let app: INestApplication;
  let position = 0;
  let tokens: Record<string, string> = {};
  const ASSESSMENT = 'Dokumentationsmängel gehäuft; Schulung vereinbart. Geheimwort Zitronenfalter.';

  const http = () => request(app.getHttpServer());
  const get = (url: string, token: string) =>
    http().get(url).set('Authorization', `Bearer ${token}`).set('X-Min-Position', String(position));

  async function append(streamId: string, events: { type: string; data: unknown; at: string; tenant?: string }[]) {
    const store = app.get<EventStore>(EVENT_STORE);
    const newEvents: NewEvent[] = events.map((event) => ({
      id: uuidV7Ids.next(),
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: {
        occurredAt: event.at,
        actor: { userId: 'seed', role: 'area_head' },
        tenant: event.tenant ?? 'jc-a',
        correlationId: 'seed',
        causationId: null,
        rulesVersion: 'test',
      },
    }));
    const result = await store.append(streamId, newEvents, { expectedRevision: 'any' });
    position = Math.max(position, result.position);
  }

  const sealedSeed = { $sealed: 1, kid: 'seed', iv: 'AAAAAAAAAAAAAAAA', ct: 'AA', tag: 'AAAAAAAAAAAAAAAAAAAAAA' };

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
      lead1: claims(['team_lead'], ['team-1']),
      lead2: claims(['team_lead'], ['team-2']),
      deputy1: claims(['deputy'], ['team-1']),
      areaMi: claims(['area_head'], ['mi']),
      areaLe: claims(['area_head'], ['leistung']),
      management: claims(['management'], []),
      legal: claims(['legal'], ['legal']),
      employee: claims(['employee'], ['team-1']),
      otherTenant: claims(['management'], [], 'jc-b'),
    });

    const unit = (
      unitId: string,
      kind: 'area' | 'team',
      parentId: string | null,
      name: string,
      process: string | null,
    ) => ({ ...unitDefined(unitId, kind, parentId, { name, process }), at: '2025-12-01T09:00:00.000Z' });
    await append('organisation-jc-a', [
      unit('mi', 'area', null, 'Markt & Integration', null),
      unit('leistung', 'area', null, 'Leistung', null),
      unit('team-1', 'team', 'mi', 'Team Vermittlung 1', 'vermittlung'),
      unit('team-2', 'team', 'mi', 'Team Vermittlung 2', 'vermittlung'),
      unit('team-3', 'team', 'leistung', 'Team Leistung', 'leistung'),
    ]);
    await append('organisation-jc-b', [
      { ...unit('mi', 'area', null, 'M&I', null), tenant: 'jc-b' },
      { ...unit('team-9', 'team', 'mi', 'Team B', 'vermittlung'), tenant: 'jc-b' },
    ]);
    const programme = (
      programmeId: string,
      areaId: string,
      process: string,
      minimum: number,
      reportDueDay: number,
    ) => ({
      type: 'ProgrammeDefined',
      data: {
        programmeId,
        settings: {
          title: `Prüfplan ${areaId}`,
          areaId,
          customerProcess: process,
          questionnaireId: null,
          minimumCasesPerTeamLead: minimum,
          drawnBy: 'area_head',
          errorRatePolicy: { kind: 'none' },
          reviewDeadlineDaysAfterMonth: 0,
          retentionMonths: 12,
          reportDueDay,
          deputiesReview: true,
          excludeDrawnWithinMonths: 6,
          coverageRule: 'least-recently-covered',
          section16aConsent: null,
        },
        reason: 'Einführung',
        note: null,
        definedAt: '2025-12-10T09:00:00.000Z',
      },
      at: '2025-12-10T09:00:00.000Z',
    });
    await append('programme-p-mi', [programme('p-mi', 'mi', 'vermittlung', MINIMUM['p-mi'], 15)]);
    await append('programme-p-le', [programme('p-le', 'leistung', 'leistung', MINIMUM['p-le'], 10)]);

    for (const review of REVIEWS) {
      const at = `${review.month}-10T09:00:00.000Z`;
      const events: { type: string; data: unknown; at: string }[] = [
        {
          type: 'CaseSampled',
          at,
          data: {
            reviewId: review.id,
            sampleId: `s-${review.team}-${review.month}`,
            programmeId: review.programme,
            areaId: AREA_OF[review.team],
            teamId: review.team,
            month: review.month,
            casePseudonym: `pseudo-${review.id}`,
            caseRef: sealedSeed,
            customerGroup: 'u25',
            questionnaireId: 'q-1',
            questionnaireVersion: 1,
            deadline: lastDay(review.month),
            origin: { kind: 'draw', replaces: null },
          },
        },
      ];
      review.defects.forEach((defect, index) => {
        const defectId = `${review.id}-d${index}`;
        events.push({
          type: 'DefectRecorded',
          at,
          data: {
            reviewId: review.id,
            defectId,
            questionId: 'q1',
            category: defect.category,
            severity: defect.severity,
            legalNorm: '§ 15 SGB II',
            description: sealedSeed,
            financialLoss: defect.financialLoss,
            asDeputy: false,
          },
        });
        if (defect.withdrawn)
          events.push({ type: 'DefectWithdrawn', at, data: { reviewId: review.id, defectId, reason: sealedSeed } });
      });
      if (review.outcome !== null) {
        events.push({
          type: 'ReviewCompleted',
          at,
          data: { reviewId: review.id, outcome: review.outcome, summary: sealedSeed, completedAt: at, asDeputy: false },
        });
        const corrections = review.defects
          .map((defect, index) => ({ defect, index }))
          .filter(({ defect }) => defect.correctedTo !== null);
        if (corrections.length > 0)
          events.push({
            type: 'ReviewCorrected',
            at,
            data: {
              reviewId: review.id,
              reason: sealedSeed,
              outcome: null,
              answers: [],
              defects: corrections.map(({ defect, index }) => ({
                defectId: `${review.id}-d${index}`,
                severity: defect.correctedTo,
                category: defect.category,
                withdrawn: defect.withdrawn,
              })),
            },
          });
      }
      for (let i = 0; i < review.talks; i += 1)
        events.push({
          type: 'TalkHeld',
          at,
          data: {
            reviewId: review.id,
            date: `${review.month}-12`,
            employee: sealedSeed,
            outcome: sealedSeed,
            asDeputy: false,
          },
        });
      for (let i = 0; i < review.discussions; i += 1)
        events.push({
          type: 'TeamDiscussionHeld',
          at,
          data: { reviewId: review.id, date: `${review.month}-14`, notes: null },
        });
      if (review.withdrawn)
        events.push({
          type: 'ReviewWithdrawn',
          at,
          data: { reviewId: review.id, reason: sealedSeed, replacedBy: 'x' },
        });
      await append(`review-${review.id}`, events);
    }

    for (const measure of MEASURES) {
      const events: { type: string; data: unknown; at: string }[] = [
        {
          type: 'MeasureAgreed',
          at: `${measure.agreedOn}T09:00:00.000Z`,
          data: {
            measureId: measure.id,
            tenant: 'jc-a',
            areaId: AREA_OF[measure.team],
            teamId: measure.team,
            reviewId: null,
            kind: 'feedback',
            scope: 'team',
            owner: sealedSeed,
            description: sealedSeed,
            dueDate: measure.dueDate,
            agreedOn: measure.agreedOn,
            decidedByRole: 'team_lead',
          },
        },
      ];
      if (measure.closed !== null)
        events.push({
          type: measure.closed.kind === 'completed' ? 'MeasureCompleted' : 'MeasureCancelled',
          at: `${measure.closed.on}T09:00:00.000Z`,
          data:
            measure.closed.kind === 'completed'
              ? { measureId: measure.id, date: measure.closed.on, note: null }
              : { measureId: measure.id, date: measure.closed.on, reason: sealedSeed },
        });
      await append(`measure-${measure.id}`, events);
    }
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('the scenario is not trivial (guards the expectations below against an empty data set)', () => {
    const q1 = ['2026-01', '2026-02', '2026-03'];
    const team1 = expectedReviews('team-1', q1, '2026-04-10');
    expect(team1.sampled).toBeGreaterThan(5);
    expect(team1.seriousDefects).toBeGreaterThan(0);
    expect(Object.keys(team1.defects).length).toBeGreaterThan(1);
    expect(REVIEWS.some((review) => review.defects.some((defect) => defect.withdrawn))).toBe(true);
    expect(REVIEWS.some((review) => review.defects.some((defect) => defect.correctedTo !== null))).toBe(true);
  });

  // ---- Dashboards --------------------------------------------------------------------------------

  it('team dashboard: worklist, progress against the minimum, findings and measures of the month', async () => {
    setToday('2026-02-25');
    for (const month of ['2026-01', '2026-02']) {
      const response = await get(`/api/v1/dashboards/team/team-1?month=${month}`, tokens.lead1!);
      expect(response.status).toBe(200);
      const reviews = expectedReviews('team-1', [month], '2026-02-25');
      expect(response.body).toMatchObject({
        teamId: 'team-1',
        areaId: 'mi',
        month,
        today: '2026-02-25',
        worklist: {
          sampled: reviews.sampled,
          completed: reviews.completed,
          open: reviews.open,
          overdue: reviews.overdue,
        },
        progress: {
          required: MINIMUM['p-mi'],
          completed: reviews.completed,
          remaining: Math.max(0, MINIMUM['p-mi'] - reviews.completed),
          programmes: [{ programmeId: 'p-mi', required: MINIMUM['p-mi'], completed: reviews.completed }],
        },
        findings: {
          defects: reviews.defects,
          seriousDefects: reviews.seriousDefects,
          financialLossDefects: reviews.financialLossDefects,
          talksHeld: reviews.talksHeld,
          teamDiscussionsHeld: reviews.teamDiscussionsHeld,
          goalDirected: reviews.goalDirected,
          notGoalDirected: reviews.notGoalDirected,
        },
        measures: expectedMeasures('team-1', [month], '2026-02-25'),
        report: { year: 2025, quarter: 4 },
      });
      // toMatchObject ignores extra keys: the defect matrix must match exactly.
      expect(response.body.findings.defects).toEqual(reviews.defects);
    }
    // January's open reviews are past their deadline in February: the worklist shows them as overdue.
    const january = await get('/api/v1/dashboards/team/team-1?month=2026-01', tokens.lead1!);
    expect(january.body.worklist.overdue).toBe(expectedReviews('team-1', ['2026-01'], '2026-02-25').open);
    expect(january.body.worklist.overdue).toBeGreaterThan(0);
  });

  it('area dashboard: per team progress, defects by category and severity, measures and report status; no employee', async () => {
    setToday('2026-02-25');
    const response = await get('/api/v1/dashboards/area/mi?month=2026-02', tokens.areaMi!);
    expect(response.status).toBe(200);
    expect((response.body.teams as { teamId: string }[]).map((team) => team.teamId)).toEqual(['team-1', 'team-2']);
    for (const team of ['team-1', 'team-2'] as const) {
      const reviews = expectedReviews(team, ['2026-02'], '2026-02-25');
      const row = (response.body.teams as { teamId: string }[]).find((candidate) => candidate.teamId === team);
      expect(row).toMatchObject({
        progress: { required: MINIMUM['p-mi'], sampled: reviews.sampled, completed: reviews.completed },
        defects: reviews.defects,
        seriousDefects: reviews.seriousDefects,
        measures: expectedMeasures(team, ['2026-02'], '2026-02-25'),
        report: { year: 2025, quarter: 4, status: 'overdue', dueDate: '2026-01-15' },
      });
      expect((row as unknown as { defects: unknown }).defects).toEqual(reviews.defects);
    }
    const sampled =
      expectedReviews('team-1', ['2026-02'], 'x').sampled + expectedReviews('team-2', ['2026-02'], 'x').sampled;
    expect(response.body.totals.progress).toMatchObject({ sampled, required: 2 * MINIMUM['p-mi'] });
    expect(JSON.stringify(response.body)).not.toMatch(/employee|owner|subject|casePseudonym|pseudo-/);
  });

  it('management dashboard: per area totals, the same numbers', async () => {
    setToday('2026-02-25');
    const response = await get('/api/v1/dashboards/management?month=2026-01', tokens.management!);
    expect(response.status).toBe(200);
    const areas = response.body.areas as { areaId: string }[];
    const mi = areas.find((area) => area.areaId === 'mi');
    const le = areas.find((area) => area.areaId === 'leistung');
    const team1 = expectedReviews('team-1', ['2026-01'], '2026-02-25');
    const team2 = expectedReviews('team-2', ['2026-01'], '2026-02-25');
    const team3 = expectedReviews('team-3', ['2026-01'], '2026-02-25');
    expect(mi).toMatchObject({
      teams: 2,
      progress: { sampled: team1.sampled + team2.sampled, completed: team1.completed + team2.completed, required: 6 },
      seriousDefects: team1.seriousDefects + team2.seriousDefects,
      talksHeld: team1.talksHeld + team2.talksHeld,
      reports: { overdue: 2, due: 0, submitted: 0 },
    });
    expect(le).toMatchObject({ teams: 1, progress: { sampled: team3.sampled, required: MINIMUM['p-le'] } });
    expect(response.body.totals.progress.sampled).toBe(team1.sampled + team2.sampled + team3.sampled);
  });

  // ---- Reports -----------------------------------------------------------------------------------

  const Q1 = ['2026-01', '2026-02', '2026-03'];

  it('generates the team report draft from projections: done vs required, defects, serious defects, talks, measures', async () => {
    setToday('2026-04-10');
    const response = await get('/api/v1/teams/team-1/reports/2026/Q1/draft', tokens.lead1!);
    expect(response.status).toBe(200);
    const reviews = expectedReviews('team-1', Q1, '2026-04-10');
    const measures = expectedMeasures('team-1', Q1, '2026-03-31');
    expect(response.body).toMatchObject({
      reportId: 'jc-a-team-1-2026-Q1',
      dueDate: '2026-04-15',
      status: 'due',
      figures: {
        reviewsSampled: reviews.sampled,
        reviewsDone: reviews.completed,
        reviewsRequired: MINIMUM['p-mi'] * 3,
        goalDirected: reviews.goalDirected,
        notGoalDirected: reviews.notGoalDirected,
        defects: reviews.defects,
        seriousDefects: reviews.seriousDefects,
        financialLossDefects: reviews.financialLossDefects,
        talksHeld: reviews.talksHeld,
        teamDiscussionsHeld: reviews.teamDiscussionsHeld,
        measuresAgreed: measures.agreed,
        measuresCompleted: measures.completed,
        measuresCancelled: measures.cancelled,
        measuresOpen: measures.open,
        measuresOverdue: measures.overdue,
        asOf: '2026-03-31',
        programmes: [{ programmeId: 'p-mi', reviewsRequired: 9, reviewsDone: reviews.completed }],
      },
    });
    expect(response.body.figures.defects).toEqual(reviews.defects);
    expect(response.body.seriousDefects).toHaveLength(reviews.seriousDefects);
    expect(response.body.seriousDefects[0]).toEqual({
      category: expect.any(String),
      legalNorm: '§ 15 SGB II',
      financialLoss: expect.any(Boolean),
      month: expect.stringMatching(/^2026-0[12]$/),
    });
  });

  const describeSerious = async () => {
    const draft = await get('/api/v1/teams/team-1/reports/2026/Q1/draft', tokens.lead1!);
    return (draft.body.seriousDefects as { category: string; legalNorm: string }[]).map((defect, index) => ({
      category: defect.category,
      legalNorm: defect.legalNorm,
      description: `Anonymisierte Beschreibung ${index + 1}`,
    }));
  };

  it('refuses a submission before the quarter ends (422) and one that leaves a serious defect undescribed (400)', async () => {
    setToday('2026-03-31');
    const early = await http()
      .post('/api/v1/teams/team-1/reports/2026/Q1/submission')
      .set('Authorization', `Bearer ${tokens.lead1}`)
      .send({ assessment: ASSESSMENT, seriousDefects: await describeSerious() });
    expect(early.status).toBe(422);
    setToday('2026-04-10');
    const missing = await http()
      .post('/api/v1/teams/team-1/reports/2026/Q1/submission')
      .set('Authorization', `Bearer ${tokens.lead1}`)
      .send({ assessment: ASSESSMENT, seriousDefects: (await describeSerious()).slice(1) });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'seriousDefects', message: expect.any(String) }]);
    const invalid = await http()
      .post('/api/v1/teams/team-1/reports/2026/Q1/submission')
      .set('Authorization', `Bearer ${tokens.lead1}`)
      .send({ seriousDefects: [{ category: '' }], name: 'x' });
    expect(invalid.status).toBe(400);
    expect((invalid.body.errors as { field: string }[]).map((error) => error.field).sort()).toEqual(
      expect.arrayContaining(['assessment', 'name', 'seriousDefects.0.category', 'seriousDefects.0.description']),
    );
  });

  it('refuses a deputy outside a recorded absence (422) and a team lead of another team (404)', async () => {
    setToday('2026-04-10');
    const body = { assessment: ASSESSMENT, seriousDefects: await describeSerious() };
    const deputy = await http()
      .post('/api/v1/teams/team-1/reports/2026/Q1/submission')
      .set('Authorization', `Bearer ${tokens.deputy1}`)
      .send(body);
    expect(deputy.status).toBe(422);
    const other = await http()
      .post('/api/v1/teams/team-1/reports/2026/Q1/submission')
      .set('Authorization', `Bearer ${tokens.lead2}`)
      .send(body);
    expect(other.status).toBe(404);
  });

  let submittedFigures: Record<string, unknown>;

  it('submits the team report once (ReportSubmitted with the figures snapshot); a second submission is 409', async () => {
    setToday('2026-04-10');
    const seriousDefects = await describeSerious();
    const submitted = await http()
      .post('/api/v1/teams/team-1/reports/2026/Q1/submission')
      .set('Authorization', `Bearer ${tokens.lead1}`)
      .send({ assessment: ASSESSMENT, seriousDefects });
    expect(submitted.status).toBe(201);
    expect(submitted.headers.location).toBe('/api/v1/teams/team-1/reports/2026/Q1');
    expect(submitted.body).toEqual({ id: 'jc-a-team-1-2026-Q1', revision: 0, position: expect.any(Number) });
    position = submitted.body.position;

    const again = await http()
      .post('/api/v1/teams/team-1/reports/2026/Q1/submission')
      .set('Authorization', `Bearer ${tokens.lead1}`)
      .send({ assessment: 'Korrektur', seriousDefects });
    expect(again.status).toBe(409);

    const read = await get('/api/v1/teams/team-1/reports/2026/Q1', tokens.areaMi!);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"0"');
    const draft = await get('/api/v1/teams/team-1/reports/2026/Q1/draft', tokens.lead1!);
    expect(read.body).toMatchObject({
      kind: 'team',
      teamId: 'team-1',
      areaId: 'mi',
      assessment: ASSESSMENT,
      seriousDefects,
      submittedOn: '2026-04-10',
      dueDate: '2026-04-15',
      late: false,
      figures: draft.body.figures,
    });
    expect(draft.body.status).toBe('submitted');
    submittedFigures = read.body.figures;
  });

  it('stores the assessment only encrypted', () => {
    expectNoClearTextInStores(config, ['Zitronenfalter']);
  });

  it('takes the legal department’s explicit nil report (Fehlanzeige) and refuses an empty one', async () => {
    setToday('2026-04-12');
    const empty = await http()
      .post('/api/v1/legal/reports/2026/Q1')
      .set('Authorization', `Bearer ${tokens.legal}`)
      .send({});
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'findings', message: expect.any(String) }]);
    const nil = await http()
      .post('/api/v1/legal/reports/2026/Q1')
      .set('Authorization', `Bearer ${tokens.legal}`)
      .send({ nil: true });
    expect(nil.status).toBe(201);
    position = nil.body.position;
    const read = await get('/api/v1/legal/reports/2026/Q1', tokens.areaLe!);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ kind: 'legal', nil: true, findings: [], dueDate: '2026-04-15', late: false });
    expect((await get('/api/v1/legal/reports/2026/Q1', tokens.lead1!)).status).toBe(403);
  });

  it('downloads the report as PDF and CSV (German headings, no personal data)', async () => {
    const collect = (res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    };
    // superagent hands the parser its response, which in Node is the readable stream.
    const binary = collect as unknown as Parameters<request.Test['parse']>[0];
    const pdf = await get('/api/v1/teams/team-1/reports/2026/Q1.pdf', tokens.areaMi!).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="quartalsbericht-team-1-2026-Q1.pdf"');
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(1000);
    if (process.env.PRUEFPFAD_REPORT_PDF_OUT) fs.writeFileSync(process.env.PRUEFPFAD_REPORT_PDF_OUT, bytes);

    const csv = await get('/api/v1/teams/team-1/reports/2026/Q1.csv', tokens.lead1!);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Abschnitt;Merkmal;Kategorie;Ausprägung;Wert');
    const figures = submittedFigures as {
      reviewsDone: number;
      reviewsRequired: number;
      defects: Record<string, { minor: number; serious: number }>;
    };
    expect(lines).toContain(`Kennzahlen;Durchgeführte Prüfungen;;;${figures.reviewsDone}`);
    expect(lines).toContain(`Kennzahlen;Mindestzahl (Soll);;;${figures.reviewsRequired}`);
    for (const [category, counts] of Object.entries(figures.defects)) {
      expect(lines).toContain(`Mängel nach Kategorie und Schwere;Anzahl;${category};gering;${counts.minor}`);
      expect(lines).toContain(`Mängel nach Kategorie und Schwere;Anzahl;${category};gravierend;${counts.serious}`);
    }
    expect(lines.filter((line) => line.startsWith('Gravierende Mängel;'))).toHaveLength(
      expectedReviews('team-1', Q1, 'x').seriousDefects,
    );
    // The assessment contains a semicolon, so it is quoted.
    expect(lines).toContain(`Bewertung;Bewertung der Teamleitung;;;"${ASSESSMENT}"`);
    expect(csv.text).not.toMatch(/pseudo-|seed|subject/);

    const legalCsv = await get('/api/v1/legal/reports/2026/Q1.csv', tokens.management!);
    expect(legalCsv.text).toContain('Angaben;Fehlanzeige;;;ja');
    const legalPdf = await get('/api/v1/legal/reports/2026/Q1.pdf', tokens.management!).buffer(true).parse(binary);
    expect((legalPdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // A team that has not submitted: its lead downloads the draft; an auditor (no drafts) finds nothing.
    const draftCsv = await get('/api/v1/teams/team-2/reports/2026/Q1.csv', tokens.lead2!);
    expect(draftCsv.status).toBe(200);
    expect(draftCsv.text).not.toContain('Bewertung;');
    const auditor = await tokenFor(config, { roles: ['auditor'], tenant: 'jc-a' });
    expect((await get('/api/v1/teams/team-2/reports/2026/Q1.csv', auditor)).status).toBe(404);
  });

  it('shows submitted / due / overdue per unit with the clock: overdue only after the due date', async () => {
    const status = async (token: string) =>
      (await get('/api/v1/reports/status?year=2026&quarter=1', token)).body as {
        units: { unitId: string; status: string; dueDate: string }[];
      };
    const byUnit = (body: { units: { unitId: string; status: string; dueDate: string }[] }) =>
      Object.fromEntries(body.units.map((unit) => [unit.unitId, `${unit.status}@${unit.dueDate}`]));

    setToday('2026-04-10');
    expect(byUnit(await status(tokens.management!))).toEqual({
      'team-1': 'submitted@2026-04-15',
      'team-2': 'due@2026-04-15',
      'team-3': 'due@2026-04-10',
      legal: 'submitted@2026-04-15',
    });
    setToday('2026-04-11');
    expect(byUnit(await status(tokens.management!))['team-3']).toBe('overdue@2026-04-10');
    setToday('2026-04-16');
    const management = await get('/api/v1/reports/status?year=2026&quarter=1', tokens.management!);
    expect(management.body.counts).toEqual({ submitted: 2, due: 0, overdue: 2 });
    expect(byUnit(management.body)['team-2']).toBe('overdue@2026-04-15');

    expect(Object.keys(byUnit(await status(tokens.areaMi!)))).toEqual(['team-1', 'team-2', 'legal']);
    expect(Object.keys(byUnit(await status(tokens.lead1!)))).toEqual(['team-1']);
    expect(Object.keys(byUnit(await status(tokens.legal!)))).toEqual(['legal']);
    // Without year and quarter: the last quarter that has ended.
    const defaulted = await get('/api/v1/reports/status', tokens.management!);
    expect(defaulted.body).toMatchObject({ year: 2026, quarter: 1 });
  });

  it('consolidates the area’s reports for the Geschäftsleitung', async () => {
    setToday('2026-04-16');
    const response = await get('/api/v1/areas/mi/reports/2026/Q1/summary', tokens.areaMi!);
    expect(response.status).toBe(200);
    const [team1, team2] = response.body.teams;
    expect(team1).toMatchObject({ teamId: 'team-1', status: 'submitted', source: 'submitted', assessment: ASSESSMENT });
    expect(team1.figures).toEqual(submittedFigures);
    expect(team2).toMatchObject({ teamId: 'team-2', status: 'overdue', source: 'live', assessment: null });
    const expected2 = expectedReviews('team-2', Q1, '2026-04-16');
    expect(team2.figures).toMatchObject({ reviewsDone: expected2.completed });
    expect(team2.figures.defects).toEqual(expected2.defects);
    const expected1 = expectedReviews('team-1', Q1, '2026-04-16');
    expect(response.body.totals).toMatchObject({
      reviewsDone: expected1.completed + expected2.completed,
      reviewsRequired: 18,
      seriousDefects: expected1.seriousDefects + expected2.seriousDefects,
    });
    expect(response.body.reports).toEqual({ submitted: 1, due: 0, overdue: 1 });
    expect(response.body.legal).toMatchObject({ status: 'submitted', nil: true });
    expect((await get('/api/v1/areas/mi/reports/2026/Q1/summary', tokens.management!)).status).toBe(200);
  });

  it('answers 400 for bad periods and months, 404 across tenants, teams and areas, 403 for roles without the action', async () => {
    expect((await get('/api/v1/teams/team-1/reports/2026/Q5/draft', tokens.lead1!)).body.errors).toEqual([
      { field: 'quarter', message: expect.any(String) },
    ]);
    expect((await get('/api/v1/teams/team-1/reports/1999/Q1/draft', tokens.lead1!)).status).toBe(400);
    const badMonth = await get('/api/v1/dashboards/team/team-1?month=2026-13', tokens.lead1!);
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.errors).toEqual([{ field: 'month', message: expect.any(String) }]);
    expect((await get('/api/v1/reports/status?quarter=7', tokens.management!)).status).toBe(400);

    expect((await get('/api/v1/dashboards/team/team-1', tokens.otherTenant!)).status).toBe(404);
    expect((await get('/api/v1/dashboards/team/team-9', tokens.management!)).status).toBe(404);
    expect((await get('/api/v1/teams/team-1/reports/2026/Q1', tokens.otherTenant!)).status).toBe(404);
    expect((await get('/api/v1/dashboards/team/team-1', tokens.lead2!)).status).toBe(404);
    expect((await get('/api/v1/dashboards/area/mi', tokens.areaLe!)).status).toBe(404);
    expect((await get('/api/v1/areas/mi/reports/2026/Q1/summary', tokens.areaLe!)).status).toBe(404);
    expect((await get('/api/v1/dashboards/area/nowhere', tokens.management!)).status).toBe(404);
    expect((await get('/api/v1/teams/team-2/reports/2026/Q1', tokens.lead2!)).status).toBe(404);
    expect((await get('/api/v1/legal/reports/2025/Q4', tokens.legal!)).status).toBe(404);
    // jc-b has a management of its own: its dashboard shows jc-b's units only.
    const otherManagement = await get('/api/v1/dashboards/management', tokens.otherTenant!);
    expect((otherManagement.body.areas as { areaId: string }[]).map((area) => area.areaId)).toEqual(['mi']);
    expect(otherManagement.body.totals.progress.sampled).toBe(0);

    expect((await get('/api/v1/dashboards/team/team-1', tokens.employee!)).status).toBe(403);
    expect((await get('/api/v1/dashboards/management', tokens.areaMi!)).status).toBe(403);
    expect((await get('/api/v1/dashboards/area/mi', tokens.lead1!)).status).toBe(403);
    const legalByLead = await http()
      .post('/api/v1/legal/reports/2026/Q2')
      .set('Authorization', `Bearer ${tokens.lead1}`)
      .send({ nil: true });
    expect(legalByLead.status).toBe(403);
    expect((await http().get('/api/v1/dashboards/management')).status).toBe(401);
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: 'jc-a',
      units: ['team-1', 'mi'],
      pathParams: { teamId: 'team-1', areaId: 'mi', year: '2026', quarter: '2' },
    });
    expect(fs.existsSync(path.join(config.keyDir, 'keys.sqlite'))).toBe(true);
  });
});

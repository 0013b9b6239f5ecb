import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import {
  MEASURE_EVENT_SCHEMAS,
  type MeasureEvent,
  measureKeyId,
  measureStreamId,
  REPORT_EVENT_SCHEMAS,
  type ReportEvent,
  type ReportFigures,
  reportId,
  reportKeyId,
  reportStreamId,
  type ReviewEvent,
  reviewKeyId,
} from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { ORGANISATION_UNITS } from '@pruefpfad/projections';
import { ENVELOPE } from '../apps/api/src/runtime/tokens.js';
import {
  defineProgramme,
  expectAuthorizationMatrix,
  mintTokens,
  organisationFacts,
  projected,
  recorderAggregate,
  reviewFacts,
  seed,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Trends over HTTP on the embedded stores. Programmes are defined over HTTP; reviews, measures and team
 * reports of January to June 2026 are appended as their contexts' events through the real pipeline.
 * Every expected figure is computed in this file from the scenario's own specification, never read back
 * from the API: the minimum, reviews done, serious share, defects per review by category, talks,
 * measures (overdue on the period's last day), report punctuality, and the Leistung programme's error
 * rate with its exact one-sided upper bound (Clopper–Pearson, the default judging rule). The
 * Markt-&-Integration programme follows the 2021 method: no error rates.
 */

const TENANT = 'jc-a';
type Team = 'team-1' | 'team-2' | 'team-3';
type Programme = 'le' | 'mi';
type Severity = 'minor' | 'serious';

interface DefectSpec {
  readonly category: string;
  readonly severity: Severity;
  readonly withdrawn: boolean;
  /** Severity after a correction of the completed review. */
  readonly correctedTo: Severity | null;
}

interface ReviewSpec {
  readonly id: string;
  readonly team: Team;
  readonly month: string;
  readonly programme: Programme;
  readonly version: number;
  readonly defects: readonly DefectSpec[];
  readonly completed: boolean;
  readonly talks: number;
  readonly discussions: number;
  readonly withdrawn: boolean;
}

const AREA_OF: Record<Team, string> = { 'team-1': 'leistung', 'team-2': 'leistung', 'team-3': 'mi' };
const PROGRAMME_OF: Record<Team, Programme> = { 'team-1': 'le', 'team-2': 'le', 'team-3': 'mi' };
const MINIMUM: Record<Programme, number> = { le: 6, mi: 2 };
const TOLERANCE_PERCENT = 10;
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
const PLAN: readonly [Team, number][] = [
  ['team-1', 6],
  ['team-2', 6],
  ['team-3', 3],
];

/**
 * A deterministic half year. Leistung finds defects only in January and February (after that its
 * routine runs clean, so March–July makes it a suspension candidate); Markt & Integration finds some
 * every month. One case in seventeen is withdrawn; the last review of each team in June is still open.
 */
function scenario(): ReviewSpec[] {
  const reviews: ReviewSpec[] = [];
  let n = 0;
  for (const month of MONTHS)
    for (const [team, count] of PLAN)
      for (let i = 0; i < count; i += 1) {
        n += 1;
        const programme = PROGRAMME_OF[team];
        const completed = !(month === '2026-06' && i === count - 1);
        const defects: DefectSpec[] = [];
        if (programme === 'le' && month <= '2026-02') {
          if (n % 3 === 0)
            defects.push({
              category: 'Leistungsberechnung',
              severity: n % 2 === 0 ? 'serious' : 'minor',
              withdrawn: false,
              correctedTo: completed && n % 4 === 1 ? 'serious' : null,
            });
          if (n % 5 === 0)
            defects.push({ category: 'Dokumentation', severity: 'minor', withdrawn: n % 10 === 0, correctedTo: null });
        }
        if (programme === 'mi') {
          if (n % 2 === 0)
            defects.push({
              category: 'Dokumentation',
              severity: n % 4 === 0 ? 'serious' : 'minor',
              withdrawn: false,
              correctedTo: null,
            });
          if (n % 3 === 0)
            defects.push({ category: 'Eingliederung', severity: 'minor', withdrawn: false, correctedTo: null });
        }
        reviews.push({
          id: `r-${String(n).padStart(3, '0')}`,
          team,
          month,
          programme,
          version: month <= '2026-03' ? 1 : 2,
          defects,
          completed,
          talks: completed && n % 2 === 0 ? 1 : 0,
          discussions: completed && n % 3 === 0 ? 1 : 0,
          withdrawn: n % 17 === 5,
        });
      }
  return reviews;
}

const REVIEWS = scenario();

interface MeasureSpec {
  readonly id: string;
  readonly team: Team;
  readonly reviewId: string | null;
  readonly agreedOn: string;
  readonly dueDate: string;
  readonly closed: { readonly kind: 'completed' | 'cancelled'; readonly on: string } | null;
}

const firstReview = (team: Team, month: string): string =>
  REVIEWS.find((review) => review.team === team && review.month === month && !review.withdrawn)!.id;

const MEASURES: readonly MeasureSpec[] = [
  {
    id: 'm-1',
    team: 'team-1',
    reviewId: firstReview('team-1', '2026-01'),
    agreedOn: '2026-01-20',
    dueDate: '2026-02-15',
    closed: { kind: 'completed', on: '2026-02-10' },
  },
  { id: 'm-2', team: 'team-1', reviewId: null, agreedOn: '2026-02-05', dueDate: '2026-03-15', closed: null },
  {
    id: 'm-3',
    team: 'team-2',
    reviewId: firstReview('team-2', '2026-02'),
    agreedOn: '2026-02-20',
    dueDate: '2026-04-10',
    closed: { kind: 'completed', on: '2026-05-05' },
  },
  {
    id: 'm-4',
    team: 'team-3',
    reviewId: firstReview('team-3', '2026-03'),
    agreedOn: '2026-03-10',
    dueDate: '2026-03-31',
    closed: { kind: 'cancelled', on: '2026-04-02' },
  },
  {
    id: 'm-5',
    team: 'team-3',
    reviewId: firstReview('team-3', '2026-05'),
    agreedOn: '2026-05-02',
    dueDate: '2026-05-20',
    closed: null,
  },
];

/** Submitted team reports (local dates); due on the 15th after the quarter (000:91). */
const REPORTS: readonly { team: Team; year: number; quarter: 1 | 2; submittedOn: string }[] = [
  { team: 'team-1', year: 2026, quarter: 1, submittedOn: '2026-04-10' },
  { team: 'team-2', year: 2026, quarter: 1, submittedOn: '2026-04-20' },
  { team: 'team-1', year: 2026, quarter: 2, submittedOn: '2026-07-08' },
];

const TODAY = '2026-07-10';

// ---- Independent expectations -----------------------------------------------------------------------

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
const lastDay = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/**
 * The exact one-sided 95 % upper bound of an error rate: the p with P(X ≤ errors | reviews, p) = 0.05,
 * found by bisection on the binomial distribution summed term by term (the server inverts the
 * incomplete beta function instead).
 */
function exactUpper(errors: number, reviews: number): number {
  if (errors === reviews) return 1;
  const cdf = (p: number): number => {
    let term = Math.pow(1 - p, reviews);
    let sum = term;
    for (let i = 1; i <= errors; i += 1) {
      term *= ((reviews - i + 1) / i) * (p / (1 - p));
      sum += term;
    }
    return sum;
  };
  let low = 0;
  let high = 1;
  for (let step = 0; step < 60; step += 1) {
    const middle = (low + high) / 2;
    if (cdf(middle) > 0.05) low = middle;
    else high = middle;
  }
  return low;
}
const EXACT_RULE = 'clopper-pearson-one-sided-95';

interface Selection {
  readonly teams: readonly Team[];
  readonly programme?: Programme;
  readonly version?: number;
  readonly category?: string;
  readonly severity?: Severity;
}

const standing = (review: ReviewSpec) =>
  review.defects
    .filter((defect) => !defect.withdrawn)
    .map((defect) => ({ category: defect.category, severity: defect.correctedTo ?? defect.severity }));

function selectedReviews(months: readonly string[], selection: Selection): ReviewSpec[] {
  return REVIEWS.filter(
    (review) =>
      months.includes(review.month) &&
      selection.teams.includes(review.team) &&
      !review.withdrawn &&
      (selection.programme === undefined || review.programme === selection.programme) &&
      (selection.version === undefined || review.version === selection.version),
  );
}

function expectedPeriod(months: readonly string[], selection: Selection) {
  const reviews = selectedReviews(months, selection);
  const done = reviews.filter((review) => review.completed);
  const programmes = (['le', 'mi'] as const).filter(
    (p) => selection.programme === undefined || selection.programme === p,
  );
  const minimum =
    months.length *
    programmes.reduce(
      (sum, programme) =>
        sum + MINIMUM[programme] * selection.teams.filter((t) => PROGRAMME_OF[t] === programme).length,
      0,
    );
  const inCategory = (defect: { category: string }) =>
    selection.category === undefined || defect.category === selection.category;
  const serious = done.filter((review) =>
    standing(review).some((defect) => defect.severity === 'serious' && inCategory(defect)),
  ).length;
  const byCategory: Record<string, { minor: number | null; serious: number | null; total: number; perReview: number }> =
    {};
  for (const review of done)
    for (const defect of standing(review)) {
      if (!inCategory(defect) || (selection.severity !== undefined && defect.severity !== selection.severity)) continue;
      const entry = (byCategory[defect.category] ??= {
        minor: selection.severity === 'serious' ? null : 0,
        serious: selection.severity === 'minor' ? null : 0,
        total: 0,
        perReview: 0,
      });
      entry[defect.severity] = (entry[defect.severity] ?? 0) + 1;
      entry.total += 1;
    }
  for (const entry of Object.values(byCategory)) entry.perReview = round4(entry.total / done.length);
  const total = Object.values(byCategory).reduce((sum, entry) => sum + entry.total, 0);
  const erroneous = (review: ReviewSpec) =>
    standing(review).some(
      (defect) => inCategory(defect) && (selection.severity === undefined || defect.severity === selection.severity),
    );
  const leDone = done.filter((review) => review.programme === 'le');
  return {
    reviews: {
      minimum,
      sampled: reviews.length,
      done: done.length,
      open: reviews.length - done.length,
      percentOfMinimum: minimum === 0 ? null : Math.round((done.length / minimum) * 1000) / 10,
    },
    seriousDefects: { reviews: serious, share: done.length === 0 ? null : round4(serious / done.length) },
    defects: { total, perReview: done.length === 0 ? null : round4(total / done.length), byCategory },
    talksHeld: reviews.reduce((sum, review) => sum + review.talks, 0),
    teamDiscussionsHeld: reviews.reduce((sum, review) => sum + review.discussions, 0),
    leErrors: { reviews: leDone.length, withErrors: leDone.filter(erroneous).length },
  };
}

function expectedMeasures(months: readonly string[], teams: readonly Team[]) {
  const from = `${months[0]}-01`;
  const to = lastDay(months.at(-1)!);
  const asOf = TODAY < to ? TODAY : to;
  const mine = MEASURES.filter((measure) => teams.includes(measure.team));
  const within = (day: string) => from <= day && day <= to;
  const openOn = (measure: MeasureSpec) =>
    measure.agreedOn <= asOf && (measure.closed === null || measure.closed.on > asOf);
  return {
    agreed: mine.filter((measure) => within(measure.agreedOn)).length,
    completed: mine.filter((measure) => measure.closed?.kind === 'completed' && within(measure.closed.on)).length,
    cancelled: mine.filter((measure) => measure.closed?.kind === 'cancelled' && within(measure.closed.on)).length,
    open: mine.filter(openOn).length,
    overdue: mine.filter((measure) => openOn(measure) && measure.dueDate < asOf).length,
  };
}

// ---- The suite ----------------------------------------------------------------------------------------

const measureFacts = recorderAggregate<MeasureEvent>('measure-facts', MEASURE_EVENT_SCHEMAS, measureStreamId);
const reportFacts = recorderAggregate<ReportEvent>('report-facts', REPORT_EVENT_SCHEMAS, reportStreamId);

const NO_FIGURES: ReportFigures = {
  reviewsSampled: 0,
  reviewsDone: 0,
  reviewsRequired: 0,
  goalDirected: 0,
  notGoalDirected: 0,
  defects: {},
  seriousDefects: 0,
  financialLossDefects: 0,
  talksHeld: 0,
  teamDiscussionsHeld: 0,
  measuresAgreed: 0,
  measuresCompleted: 0,
  measuresCancelled: 0,
  measuresOpen: 0,
  measuresOverdue: 0,
  asOf: '2026-03-31',
  programmes: [],
};

describe('trends over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2025-12-15T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let position = 0;
  const programmeIds: Record<Programme, string> = { le: '', mi: '' };
  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;
  const trends = (who: string, query: Record<string, string>) =>
    http().get('/api/v1/trends').query(query).set('Authorization', as(who)).set('X-Min-Position', String(position));

  async function appendReview(envelope: Envelope, review: ReviewSpec): Promise<number> {
    const key = reviewKeyId(review.id);
    const seal = (text: string) => envelope.seal(key, text);
    const events: ReviewEvent[] = [
      {
        type: 'CaseSampled',
        data: {
          reviewId: review.id,
          sampleId: `s-${review.month}`,
          programmeId: programmeIds[review.programme],
          areaId: AREA_OF[review.team],
          teamId: review.team,
          month: review.month,
          casePseudonym: await seal(`ps-${review.id}`),
          caseRef: await seal(`BG-${review.id}`),
          customerGroup: 'u25',
          questionnaireId: `q-${review.programme}`,
          questionnaireVersion: review.version,
          deadline: lastDay(review.month),
          origin: { kind: 'draw', replaces: null },
        },
      },
    ];
    for (const [index, defect] of review.defects.entries()) {
      const defectId = `${review.id}-d${index}`;
      events.push({
        type: 'DefectRecorded',
        data: {
          reviewId: review.id,
          defectId,
          questionId: 'q1',
          category: defect.category,
          severity: defect.severity,
          legalNorm: '§ 11 SGB II',
          description: await seal('Beschreibung'),
          financialLoss: false,
          asDeputy: false,
        },
      });
      if (defect.withdrawn)
        events.push({ type: 'DefectWithdrawn', data: { reviewId: review.id, defectId, reason: await seal('Irrtum') } });
    }
    if (review.completed) {
      const completedAt = `${lastDay(review.month)}T08:00:00.000Z`;
      events.push({
        type: 'ReviewCompleted',
        data: {
          reviewId: review.id,
          outcome: standing(review).length === 0 ? 'goal-directed' : 'not-goal-directed',
          summary: await seal('Zusammenfassung'),
          completedAt,
          completedOn: completedAt.slice(0, 10),
          asDeputy: false,
        },
      });
      const corrections = review.defects
        .map((defect, index) => ({ defect, defectId: `${review.id}-d${index}` }))
        .filter(({ defect }) => defect.correctedTo !== null);
      if (corrections.length > 0)
        events.push({
          type: 'ReviewCorrected',
          data: {
            reviewId: review.id,
            reason: await seal('Nachprüfung'),
            outcome: null,
            answers: [],
            defects: corrections.map(({ defect, defectId }) => ({
              defectId,
              category: defect.category,
              severity: defect.correctedTo!,
              withdrawn: defect.withdrawn,
            })),
          },
        });
    }
    for (let talk = 0; talk < review.talks; talk += 1)
      events.push({
        type: 'TalkHeld',
        data: {
          reviewId: review.id,
          date: lastDay(review.month),
          employee: await seal('Erika Mustermann'),
          outcome: await seal('besprochen'),
          asDeputy: false,
        },
      });
    for (let discussion = 0; discussion < review.discussions; discussion += 1)
      events.push({
        type: 'TeamDiscussionHeld',
        data: { reviewId: review.id, date: lastDay(review.month), notes: null },
      });
    if (review.withdrawn)
      events.push({
        type: 'ReviewWithdrawn',
        data: { reviewId: review.id, reason: await seal('ungeeignet'), replacedBy: 'r-none' },
      });
    return seed(app, reviewFacts, review.id, events);
  }

  async function appendMeasure(envelope: Envelope, measure: MeasureSpec): Promise<number> {
    const key = measureKeyId(measure.id);
    const events: MeasureEvent[] = [
      {
        type: 'MeasureAgreed',
        data: {
          measureId: measure.id,
          tenant: TENANT,
          areaId: AREA_OF[measure.team],
          teamId: measure.team,
          reviewId: measure.reviewId,
          kind: 'feedback',
          scope: measure.reviewId === null ? 'team' : 'individual',
          owner: await envelope.seal(key, 'Max Beispiel'),
          description: await envelope.seal(key, 'Rückmeldung'),
          dueDate: measure.dueDate,
          agreedOn: measure.agreedOn,
          decidedByRole: 'team_lead',
        },
      },
    ];
    if (measure.closed?.kind === 'completed')
      events.push({ type: 'MeasureCompleted', data: { measureId: measure.id, date: measure.closed.on, note: null } });
    if (measure.closed?.kind === 'cancelled')
      events.push({
        type: 'MeasureCancelled',
        data: { measureId: measure.id, date: measure.closed.on, reason: await envelope.seal(key, 'entfällt') },
      });
    return seed(app, measureFacts, measure.id, events);
  }

  async function appendReport(envelope: Envelope, report: (typeof REPORTS)[number]): Promise<number> {
    const id = reportId(TENANT, report.team, report.year, report.quarter);
    return seed(app, reportFacts, id, [
      {
        type: 'ReportSubmitted',
        data: {
          reportId: id,
          kind: 'team',
          unitId: report.team,
          areaId: AREA_OF[report.team],
          year: report.year,
          quarter: report.quarter,
          figures: NO_FIGURES,
          seriousDefects: [],
          assessment: await envelope.seal(reportKeyId(id), 'Einschätzung'),
          submittedAt: `${report.submittedOn}T08:00:00.000Z`,
          dueDate: `2026-${report.quarter === 1 ? '04' : '07'}-15`,
        },
      },
    ]);
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    tokens = await mintTokens(config, {
      management: { roles: ['management'], tenant: TENANT, units: [], subject: 'gf-1' },
      areaHead: { roles: ['area_head'], tenant: TENANT, units: ['leistung'], subject: 'ah-1' },
      auditor: { roles: ['auditor'], tenant: TENANT, units: [], subject: 'ir-1' },
      regional: { roles: ['regional'], tenant: TENANT, units: [], subject: 'rd-1' },
      teamLead: { roles: ['team_lead'], tenant: TENANT, units: ['team-1'], subject: 'tl-1' },
      otherTenant: { roles: ['management'], tenant: 'jc-b', units: [], subject: 'gf-b' },
    });
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const organisation = await seed(app, organisationFacts, TENANT, [
      unitDefined('leistung', 'area', null),
      unitDefined('mi', 'area', null),
      unitDefined('team-1', 'team', 'leistung', { process: 'leistung' }),
      unitDefined('team-2', 'team', 'leistung', { process: 'leistung' }),
      unitDefined('team-3', 'team', 'mi'),
    ]);
    await projected(app, ORGANISATION_UNITS, organisation);
    const le = await defineProgramme(app, as('management'), {
      settings: {
        title: 'Leistung (IKS)',
        areaId: 'leistung',
        customerProcess: 'leistung',
        minimumCasesPerTeamLead: MINIMUM.le,
        drawnBy: 'management',
        errorRatePolicy: { kind: 'collect', tolerancePercent: TOLERANCE_PERCENT },
      },
      reason: 'IKS-Verfügung Leistungsrecht (001:202)',
    });
    const mi = await defineProgramme(app, as('management'), {
      settings: {
        title: 'Verlaufsbezogene Kundenbetrachtung',
        areaId: 'mi',
        customerProcess: 'allgemeine-vermittlung',
        minimumCasesPerTeamLead: MINIMUM.mi,
        errorRatePolicy: { kind: 'none' },
      },
      reason: 'Weisung 2021 (003:58)',
    });
    programmeIds.le = le.id;
    programmeIds.mi = mi.id;
    clock.set(`${TODAY}T09:00:00.000Z`);
    for (const review of REVIEWS) position = Math.max(position, await appendReview(envelope, review));
    for (const measure of MEASURES) position = Math.max(position, await appendMeasure(envelope, measure));
    for (const report of REPORTS) position = Math.max(position, await appendReport(envelope, report));
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('shows every monthly figure of the whole Jobcenter as computed from the scenario', async () => {
    const response = await trends('management', { from: '2026-01', to: '2026-07' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ tenant: TENANT, scope: 'tenant', granularity: 'month', today: TODAY });
    const all: Team[] = ['team-1', 'team-2', 'team-3'];
    const periods = response.body.periods as Record<string, unknown>[];
    expect(periods.map((period) => period['period'])).toEqual([...MONTHS, '2026-07']);
    for (const [index, month] of [...MONTHS, '2026-07'].entries()) {
      const expected = expectedPeriod([month], { teams: all });
      const period = periods[index]!;
      expect(period).toMatchObject({
        from: `${month}-01`,
        to: lastDay(month),
        reviews: expected.reviews,
        seriousDefects: expected.seriousDefects,
        talksHeld: expected.talksHeld,
        teamDiscussionsHeld: expected.teamDiscussionsHeld,
        measures: expectedMeasures([month], all),
      });
      expect(period['defects']).toEqual(expected.defects);
      // Only the Leistung programme collects error rates (the 2021 method collects none, 003:58).
      const [rate, ...others] = period['errorRates'] as Record<string, unknown>[];
      expect(others).toEqual([]);
      const { reviews, withErrors } = expected.leErrors;
      expect(rate).toMatchObject({ programmeId: programmeIds.le, tolerancePercent: 10, reviews, withErrors });
      if (reviews > 0) {
        expect(rate!['rate'] as number).toBeCloseTo(withErrors / reviews, 4);
        expect(rate!['upperBound'] as number).toBeCloseTo(exactUpper(withErrors, reviews), 5);
        expect(rate!['belowTolerance']).toBe(exactUpper(withErrors, reviews) < 0.1);
        expect(rate!['rule']).toBe(EXACT_RULE);
      } else expect(rate).toMatchObject({ rate: null, upperBound: null, belowTolerance: false });
    }
    // The scenario is not trivial: January has serious defects and error rates above the tolerance.
    expect((periods[0]!['seriousDefects'] as { reviews: number }).reviews).toBeGreaterThan(0);
    expect(expectedPeriod(['2026-01'], { teams: all }).leErrors.withErrors).toBeGreaterThan(1);
    // Q1 reports are due in April: team-1 on time, team-2 late, team-3 missing; Q2 (due 15 July) pending.
    expect(periods[3]!['reports']).toEqual({ expected: 3, onTime: 1, late: 1, missing: 1, pending: 0 });
    expect(periods[6]!['reports']).toEqual({ expected: 3, onTime: 1, late: 0, missing: 0, pending: 2 });
    // The programmes were in force in December 2025 (defined on 15 December): Q4 reports were due in January.
    expect(periods[0]!['reports']).toEqual({ expected: 3, onTime: 0, late: 0, missing: 3, pending: 0 });
    expect(periods[1]!['reports']).toEqual({ expected: 0, onTime: 0, late: 0, missing: 0, pending: 0 });
  });

  it('sums quarters and narrows by area, programme, questionnaire version, category and severity', async () => {
    const quarter = await trends('management', {
      from: '2026-02',
      to: '2026-05',
      granularity: 'quarter',
      scope: 'area:leistung',
    });
    expect(quarter.status).toBe(200);
    // A range inside quarters is widened to whole quarters.
    expect(quarter.body).toMatchObject({ from: '2026-01', to: '2026-06' });
    const leTeams: Team[] = ['team-1', 'team-2'];
    const [q1, q2] = quarter.body.periods as Record<string, unknown>[];
    const expectedQ1 = expectedPeriod(MONTHS.slice(0, 3), { teams: leTeams });
    expect(q1).toMatchObject({
      period: '2026-Q1',
      reviews: expectedQ1.reviews,
      seriousDefects: expectedQ1.seriousDefects,
    });
    expect(q1!['defects']).toEqual(expectedQ1.defects);
    expect(q1!['measures']).toEqual(expectedMeasures(MONTHS.slice(0, 3), leTeams));
    expect(q2).toMatchObject({ period: '2026-Q2', reports: { expected: 2, onTime: 1, late: 1, missing: 0 } });
    expect(q2!['measures']).toEqual(expectedMeasures(MONTHS.slice(3, 6), leTeams));
    // Only the area's programme: no Markt-&-Integration figures leak into the area's trend.
    expect((quarter.body.routines as { programmeId: string }[]).map((routine) => routine.programmeId)).toEqual([
      programmeIds.le,
    ]);

    const narrowed = await trends('management', {
      from: '2026-01',
      to: '2026-06',
      granularity: 'quarter',
      programme: programmeIds.mi,
      questionnaire: 'q-mi',
      questionnaireVersion: '2',
      category: 'Dokumentation',
      severity: 'serious',
    });
    expect(narrowed.status).toBe(200);
    const selection: Selection = {
      teams: ['team-1', 'team-2', 'team-3'],
      programme: 'mi',
      version: 2,
      category: 'Dokumentation',
      severity: 'serious',
    };
    const [n1, n2] = narrowed.body.periods as Record<string, unknown>[];
    // Version 2 of the questionnaire starts in April: nothing sampled in Q1, but the minimum still counts.
    expect(n1).toMatchObject({ reviews: { minimum: 3 * MINIMUM.mi, sampled: 0, done: 0 } });
    const expectedQ2 = expectedPeriod(MONTHS.slice(3, 6), selection);
    expect(n2).toMatchObject({ reviews: expectedQ2.reviews, seriousDefects: expectedQ2.seriousDefects });
    expect(n2!['defects']).toEqual(expectedQ2.defects);
    expect(expectedQ2.defects.total).toBeGreaterThan(0);
    // Measures follow their review: m-5 (a Markt-&-Integration review of May) is the only one in Q2.
    expect(n2!['measures']).toMatchObject({ agreed: 1, open: 1, overdue: 1 });
  });

  it('the 2021 method shows no error rates and is never a suspension candidate', async () => {
    const response = await trends('management', { from: '2026-01', to: '2026-06', scope: 'area:mi' });
    expect(response.status).toBe(200);
    expect(response.body.errorRatesCollected).toBe(false);
    expect(response.body.errorRatesNote).toMatch(/003:58/);
    for (const period of response.body.periods as { errorRates: unknown[] }[]) expect(period.errorRates).toEqual([]);
    expect(response.body.routines).toEqual([
      expect.objectContaining({
        programmeId: programmeIds.mi,
        collectsErrorRates: false,
        errorRate: null,
        suspensionCandidate: false,
      }),
    ]);
    const refused = await http()
      .post(`/api/v1/routines/${programmeIds.mi}/suspension`)
      .set('Authorization', as('management'))
      .send({ recheckOn: '2026-09-30', reason: 'keine Mängel' });
    expect(refused.status).toBe(422);
  });

  it('flags a clean routine as a suspension candidate, records the suspension with a re-check date, and shows it overdue', async () => {
    const all: Team[] = ['team-1', 'team-2', 'team-3'];
    const clean = expectedPeriod(MONTHS.slice(2), { teams: all }).leErrors;
    const dirty = expectedPeriod(MONTHS, { teams: all }).leErrors;
    expect(clean.withErrors).toBe(0);
    expect(exactUpper(clean.withErrors, clean.reviews)).toBeLessThan(0.1);
    expect(exactUpper(dirty.withErrors, dirty.reviews)).toBeGreaterThan(0.1);

    const whole = await trends('management', { from: '2026-01', to: '2026-07' });
    const leOf = (body: { routines: Record<string, unknown>[] }) =>
      body.routines.find((routine) => routine['programmeId'] === programmeIds.le)!;
    expect(leOf(whole.body)).toMatchObject({
      collectsErrorRates: true,
      suspensionCandidate: false,
      errorRate: { reviews: dirty.reviews, withErrors: dirty.withErrors, belowTolerance: false },
    });
    const recent = await trends('management', { from: '2026-03', to: '2026-07' });
    expect(leOf(recent.body)).toMatchObject({
      suspensionCandidate: true,
      status: 'active',
      errorRate: { reviews: clean.reviews, withErrors: 0, rate: 0, belowTolerance: true },
    });
    expect((leOf(recent.body)['errorRate'] as { upperBound: number }).upperBound).toBeCloseTo(
      exactUpper(0, clean.reviews),
      5,
    );

    // Suspending needs a re-check date within the configured three months (from 10 July: by 10 October).
    // The decision names the months management judged (those of the trend above).
    const tested = { testFrom: '2026-03', testTo: '2026-07' };
    const tooLate = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension`)
      .set('Authorization', as('management'))
      .send({ recheckOn: '2026-10-11', reason: 'Fehlerquote unter der Toleranz', ...tested });
    expect(tooLate.status).toBe(422);
    const suspended = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension`)
      .set('Authorization', as('management'))
      .send({ recheckOn: '2026-09-30', reason: 'Fehlerquote unter der Toleranz (001:202)', ...tested });
    expect(suspended.status).toBe(201);
    expect(suspended.headers['location']).toBe(`/api/v1/routines/${programmeIds.le}`);
    position = suspended.body.position;

    const after = await trends('management', { from: '2026-03', to: '2026-07' });
    // The decision followed the test, and says which test under which rule.
    expect(leOf(after.body)).toMatchObject({
      status: 'suspended',
      suspensionCandidate: false,
      recheckOverdue: false,
      suspension: {
        since: TODAY,
        recheckOn: '2026-09-30',
        decidedOn: TODAY,
        againstToleranceTest: false,
        toleranceTest: {
          from: '2026-03',
          to: '2026-07',
          reviews: clean.reviews,
          withErrors: 0,
          tolerancePercent: 10,
          belowTolerance: true,
          rule: EXACT_RULE,
          rulesVersion: '2026.2',
        },
      },
    });
    expect((after.body.periods as unknown[]).at(-1)).toMatchObject({ suspendedAgainstToleranceTest: [] });
    const july = (after.body.periods as { period: string; suspendedRoutines: string[] }[]).at(-1)!;
    expect(july).toMatchObject({ period: '2026-07', suspendedRoutines: [programmeIds.le] });
    expect((after.body.periods as { suspendedRoutines: string[] }[])[0]!.suspendedRoutines).toEqual([]);

    const routine = await http()
      .get(`/api/v1/routines/${programmeIds.le}`)
      .set('Authorization', as('auditor'))
      .set('X-Min-Position', String(position));
    expect(routine.status).toBe(200);
    expect(routine.headers['etag']).toBe('"0"');
    expect(routine.body).toMatchObject({ status: 'suspended', suspension: { recheckOn: '2026-09-30' } });

    // A stale If-Match is refused; the re-check date passes and the trend shows it overdue.
    const stale = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension-renewal`)
      .set('Authorization', as('management'))
      .set('If-Match', '"5"')
      .send({ recheckOn: '2026-10-31', reason: 'weiter unter der Toleranz' });
    expect([409, 412]).toContain(stale.status);
    clock.set('2026-10-05T09:00:00.000Z');
    const overdue = await trends('management', { from: '2026-03', to: '2026-07' });
    expect(leOf(overdue.body)).toMatchObject({ status: 'suspended', recheckOverdue: true });
    // The re-check judges March to October (no reviews since July: still the clean ones).
    const renewed = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension-renewal`)
      .set('Authorization', as('management'))
      .set('If-Match', '"0"')
      .send({ recheckOn: '2026-12-31', reason: 'Überprüft: weiter unter der Toleranz', testFrom: '2026-03' });
    expect(renewed.status).toBe(200);
    position = renewed.body.position;
    expect(leOf((await trends('management', { from: '2026-03', to: '2026-07' })).body)).toMatchObject({
      recheckOverdue: false,
      suspension: { recheckOn: '2026-12-31', since: TODAY },
    });
    const resumed = await http()
      .post(`/api/v1/routines/${programmeIds.le}/resumption`)
      .set('Authorization', as('management'))
      .send({ reason: 'Rechtsänderung' });
    expect(resumed.status).toBe(200);
    position = resumed.body.position;
    expect(leOf((await trends('management', { from: '2026-03', to: '2026-07' })).body)).toMatchObject({
      status: 'active',
      suspension: null,
      suspensionCandidate: true,
    });
    clock.set(`${TODAY}T09:00:00.000Z`);
  });

  it('suspends a routine that fails the tolerance test only when confirmed, and shows it was decided against the test', async () => {
    const all: Team[] = ['team-1', 'team-2', 'team-3'];
    // The default test judges the twelve months up to July 2026: January and February bring errors.
    const year = expectedPeriod(MONTHS, { teams: all }).leErrors;
    expect(exactUpper(year.withErrors, year.reviews)).toBeGreaterThan(0.1);
    const expectedTest = {
      from: '2025-08',
      to: '2026-07',
      reviews: year.reviews,
      withErrors: year.withErrors,
      tolerancePercent: 10,
      belowTolerance: false,
      judging: { kind: 'clopper-pearson-upper-bound', confidence: 0.95 },
      rule: EXACT_RULE,
      rulesVersion: '2026.2',
      errorCounting: 'any-defect',
    };
    const routine = () =>
      http()
        .get(`/api/v1/routines/${programmeIds.le}`)
        .set('Authorization', as('management'))
        .set('X-Min-Position', String(position));
    const before = await routine();
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'active', toleranceTest: expectedTest });
    expect(before.body.toleranceTest.upperBound).toBeCloseTo(exactUpper(year.withErrors, year.reviews), 5);

    // Without the confirmation the decision is refused, with the test's figures; nothing is written.
    const decision = { recheckOn: '2026-09-30', reason: 'Personalwechsel im Team abgeschlossen; Risiko vertretbar' };
    const refused = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension`)
      .set('Authorization', as('management'))
      .send(decision);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'RULE_VIOLATION', toleranceTest: expectedTest });
    expect(refused.body.detail).toMatch(
      new RegExp(`${year.withErrors} von ${year.reviews} Prüfungen mit Fehlern \\(2025-08 – 2026-07\\)`),
    );
    expect(refused.body.detail).toMatch(/againstToleranceTest: true/);
    expect((await routine()).body).toMatchObject({ status: 'active', revision: 2 });

    // Confirmed, with a reason: recorded as decided against the test, with the test as it stood.
    const suspended = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension`)
      .set('Authorization', as('management'))
      .send({ ...decision, againstToleranceTest: true });
    expect(suspended.status).toBe(201);
    position = suspended.body.position;
    const recorded = { againstToleranceTest: true, reason: decision.reason, toleranceTest: expectedTest };
    expect((await routine()).body).toMatchObject({ status: 'suspended', suspension: recorded });

    // The trend view shows it for the routine and for the month it was suspended in, the CSV as well.
    const view = await trends('management', { from: '2026-01', to: '2026-07' });
    const le = (view.body.routines as Record<string, unknown>[]).find(
      (entry) => entry['programmeId'] === programmeIds.le,
    );
    expect(le).toMatchObject({ status: 'suspended', suspension: recorded });
    expect(view.body.rules).toMatchObject({ judgingRule: EXACT_RULE, rulesVersion: '2026.2' });
    const periods = view.body.periods as unknown[];
    expect(periods.at(-1)).toMatchObject({
      period: '2026-07',
      suspendedRoutines: [programmeIds.le],
      suspendedAgainstToleranceTest: [programmeIds.le],
    });
    expect(periods.at(-2)).toMatchObject({ suspendedAgainstToleranceTest: [] });
    const csv = await http()
      .get('/api/v1/trends.csv')
      .query({ from: '2026-07', to: '2026-07', scope: 'area:leistung' })
      .set('Authorization', as('management'))
      .set('X-Min-Position', String(position));
    expect(csv.text).toContain(
      'Toleranztest bei der Entscheidung / tolerance test at the decision;gegen den Toleranztest entschieden / decided against the tolerance test',
    );
    expect(csv.text).toContain(`Regel / rule;${EXACT_RULE} (2026.2)`);

    // So does management's dashboard, whatever month it shows.
    const dashboard = await http()
      .get('/api/v1/dashboards/management')
      .query({ month: '2026-07' })
      .set('Authorization', as('management'))
      .set('X-Min-Position', String(position));
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.suspendedRoutines).toEqual([
      {
        programmeId: programmeIds.le,
        title: 'Leistung (IKS)',
        since: TODAY,
        recheckOn: '2026-09-30',
        recheckOverdue: false,
        decidedOn: TODAY,
        againstToleranceTest: true,
        toleranceTest: { ...expectedTest, rate: expect.any(Number), upperBound: expect.any(Number) },
      },
    ]);

    const resumed = await http()
      .post(`/api/v1/routines/${programmeIds.le}/resumption`)
      .set('Authorization', as('management'))
      .send({ reason: 'Neue Prüfroutine nach Rechtsänderung' });
    expect(resumed.status).toBe(200);
    position = resumed.body.position;
    const afterwards = await http()
      .get('/api/v1/dashboards/management')
      .set('Authorization', as('management'))
      .set('X-Min-Position', String(position));
    expect(afterwards.body.suspendedRoutines).toEqual([]);
  });

  it('exports any trend query as CSV with the same figures', async () => {
    const response = await http()
      .get('/api/v1/trends.csv')
      .query({ from: '2026-01', to: '2026-03', scope: 'team:team-3' })
      .set('Authorization', as('management'))
      .set('X-Min-Position', String(position));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/trends-team-team-3-2026-01-2026-03-month\.csv/);
    const text = response.text;
    expect(text.startsWith('\uFEFFZeitraum;Kennzahl;Kategorie;Ausprägung;Wert\r\n')).toBe(true);
    const rows = text
      .slice(1)
      .trim()
      .split('\r\n')
      .map((line) => line.split(';'));
    const value = (period: string, label: string, category: string, characteristic: string) =>
      rows.find(
        (row) => row[0] === period && row[1] === label && row[2] === category && row[3] === characteristic,
      )?.[4];
    for (const month of MONTHS.slice(0, 3)) {
      const expected = expectedPeriod([month], { teams: ['team-3'] });
      expect(value(month, 'Prüfungen / reviews', '', 'erledigt / done')).toBe(String(expected.reviews.done));
      expect(value(month, 'Prüfungen / reviews', '', 'Mindestzahl / minimum')).toBe(String(MINIMUM.mi));
      const documentation = expected.defects.byCategory['Dokumentation'];
      expect(value(month, 'Mängel / defects', 'Dokumentation', 'gravierend / serious')).toBe(
        documentation === undefined ? undefined : String(documentation.serious),
      );
      expect(value(month, 'Gravierende Mängel / serious defects', '', 'Anteil / share')).toBe(
        expected.seriousDefects.share === null ? '' : String(expected.seriousDefects.share).replace('.', ','),
      );
    }
    expect(rows.some((row) => row[1] === 'Fehlerquote / error rate')).toBe(false);
    // No person in any export: no sealed value, no employee name.
    expect(text).not.toMatch(/Erika|Max Beispiel|\$sealed/);
  });

  it('answers 400 with the offending fields, 404 outside the caller’s reach, 403 for roles without trends', async () => {
    const fields = (body: unknown) => (body as { errors: { field: string }[] }).errors.map((error) => error.field);
    const missing = await trends('management', { to: '2026-03' });
    expect(missing.status).toBe(400);
    expect(fields(missing.body)).toContain('from');
    const reversed = await trends('management', { from: '2026-05', to: '2026-03' });
    expect(reversed.status).toBe(400);
    const badScope = await trends('management', { from: '2026-01', to: '2026-03', scope: 'person:tl-1' });
    expect(badScope.status).toBe(400);
    expect(fields(badScope.body)).toContain('scope');
    const unknownField = await trends('management', { from: '2026-01', to: '2026-03', employee: 'tl-1' });
    expect(unknownField.status).toBe(400);
    const badSeverity = await trends('management', { from: '2026-01', to: '2026-03', severity: 'fatal' });
    expect(badSeverity.status).toBe(400);
    const tooLong = await trends('management', { from: '2010-01', to: '2026-03' });
    expect(tooLong.status).toBe(400);

    const range = { from: '2026-01', to: '2026-03' };
    expect((await trends('management', { ...range, scope: 'area:nowhere' })).status).toBe(404);
    expect((await trends('otherTenant', { ...range, scope: 'team:team-1' })).status).toBe(404);
    expect((await trends('areaHead', { ...range, scope: 'area:leistung' })).status).toBe(200);
    expect((await trends('areaHead', { ...range, scope: 'team:team-2' })).status).toBe(200);
    expect((await trends('areaHead', { ...range, scope: 'area:mi' })).status).toBe(404);
    expect((await trends('areaHead', { ...range, scope: 'team:team-3' })).status).toBe(404);
    expect((await trends('areaHead', range)).status).toBe(404);
    expect((await trends('auditor', range)).status).toBe(200);
    // Regional level: never a Jobcenter's own trends; it reads the cross-level views (test/cross-level.e2e.spec.ts).
    expect((await trends('regional', range)).status).toBe(403);
    expect((await trends('regional', { ...range, scope: 'team:team-1' })).status).toBe(403);
    expect((await trends('teamLead', { ...range, scope: 'team:team-1' })).status).toBe(403);
    const otherTenantRoutine = await http()
      .get(`/api/v1/routines/${programmeIds.le}`)
      .set('Authorization', as('otherTenant'));
    expect(otherTenantRoutine.status).toBe(404);
    const areaHeadDecides = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension`)
      .set('Authorization', as('areaHead'))
      .send({ recheckOn: '2026-09-30', reason: 'x' });
    expect(areaHeadDecides.status).toBe(403);
    const noReason = await http()
      .post(`/api/v1/routines/${programmeIds.le}/suspension`)
      .set('Authorization', as('management'))
      .send({ recheckOn: '30.09.2026' });
    expect(noReason.status).toBe(400);
    expect(fields(noReason.body)).toEqual(expect.arrayContaining(['recheckOn', 'reason']));
  });

  it('every route answers as the authorisation table says (generated matrix)', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: TENANT,
      units: ['team-1', 'leistung'],
      pathParams: { programmeId: programmeIds.le, teamId: 'team-1', areaId: 'leistung' },
    });
  });
});

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import {
  MEASURE_EVENT_SCHEMAS,
  type MeasureEvent,
  measureKeyId,
  measureStreamId,
  POLICY,
  type ReviewEvent,
  reviewKeyId,
  type Role,
} from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { ENVELOPE } from '../apps/api/src/runtime/tokens.js';
import { concretePath } from '../apps/api/src/security/authorization-matrix.js';
import { collectRouteActions, type RouteDeclaration } from '../apps/api/src/security/route-actions.js';
import {
  defineProgramme,
  mintTokens,
  organisationFacts,
  recorderAggregate,
  reviewFacts,
  seed,
  teamLeadAssigned,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Role tests of the privacy issue (issue 5): a Jobcenter whose reviews are full of personal data (marker
 * values in the case reference, the employee of the talk, free-text answers, defect descriptions, talk
 * outcomes, summaries, measure owners and notes, team lead names). Every route that the policy grants to
 * `regional`, `central` or `auditor` is called with real ids (the list comes from the routes' declared
 * actions, so a new endpoint is covered without touching this file); no answer may contain a marker in
 * clear or any sealed envelope (`{"$sealed":1,...}`), which is all a caller could try to decrypt.
 * Regional and central tokens name the Jobcenter as their tenant: the worst case for tenant-scoped rules.
 */
const TENANT = 'jc-a';
const MARKERS = {
  caseRef: 'KUNDE-MARKER-4711',
  employee: 'ERIKA-MARKER-MUSTER',
  freeText: 'FREITEXT-MARKER',
  description: 'BESCHREIBUNG-MARKER',
  talk: 'GESPRAECH-MARKER',
  summary: 'ZUSAMMENFASSUNG-MARKER',
  owner: 'MASSNAHME-MARKER-OWNER',
  measure: 'MASSNAHME-MARKER-TEXT',
  lead: 'TEAMLEITUNG-MARKER',
};
const MARKER_VALUES = Object.values(MARKERS);
const REVIEW_IDS = [
  '0195f3a0-0000-7000-8000-000000000001',
  '0195f3a0-0000-7000-8000-000000000002',
  '0195f3a0-0000-7000-8000-000000000003',
  '0195f3a0-0000-7000-8000-000000000004',
];
const MEASURE_ID = '0195f3a0-0000-7000-8000-0000000000aa';
const CALLERS = ['regional', 'central', 'auditor'] as const satisfies readonly Role[];

const measureFacts = recorderAggregate<MeasureEvent>('measure-facts', MEASURE_EVENT_SCHEMAS, measureStreamId);

interface Answer {
  readonly caller: string;
  readonly route: string;
  readonly status: number;
  readonly body: string;
}

/** Keys under which an answer would group figures by a person. */
const PER_PERSON_KEY = /^(by|per|je)[-_ ]?(employee|mitarbeiter|sachbearbeiter|clerk|person|subject|owner)/i;

function perPersonGroupings(value: unknown, people: readonly string[], path = '$'): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => perPersonGroupings(item, people, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (PER_PERSON_KEY.test(key) || people.includes(key)) found.push(`${path}.${key}`);
    found.push(...perPersonGroupings(child, people, `${path}.${key}`));
  }
  return found;
}

describe('role tests: regional, central and auditor see no personal data (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2025-12-15T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let programmeId = '';
  let approvalId = '';
  let caseId = '';
  let position = 0;
  const answers: Answer[] = [];
  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;

  async function reviewEvents(envelope: Envelope, id: string): Promise<ReviewEvent[]> {
    const seal = (text: string) => envelope.seal(reviewKeyId(id), text);
    return [
      {
        type: 'CaseSampled',
        data: {
          reviewId: id,
          sampleId: 's-2026-02',
          programmeId,
          areaId: 'mi',
          teamId: 'team-1',
          month: '2026-02',
          casePseudonym: await seal(`ps-${id}`),
          caseRef: await seal(MARKERS.caseRef),
          customerGroup: 'u25',
          questionnaireId: 'q-vb',
          questionnaireVersion: 1,
          deadline: '2026-02-28',
          origin: { kind: 'draw', replaces: null },
        },
      },
      {
        type: 'AnswersRecorded',
        data: {
          reviewId: id,
          answers: [
            { questionId: 'q1', answer: { kind: 'yes-no-na', value: 'no' } },
            { questionId: 'q2', answer: { kind: 'sealed', value: await seal(MARKERS.freeText) } },
          ],
          asDeputy: false,
        },
      },
      {
        type: 'DefectRecorded',
        data: {
          reviewId: id,
          defectId: `${id}-d1`,
          questionId: 'q1',
          category: 'Dokumentation',
          severity: 'serious',
          legalNorm: '§ 15 SGB II',
          description: await seal(MARKERS.description),
          financialLoss: false,
          asDeputy: false,
        },
      },
      {
        type: 'ReviewCompleted',
        data: {
          reviewId: id,
          outcome: 'not-goal-directed',
          summary: await seal(MARKERS.summary),
          completedAt: '2026-02-20T08:00:00.000Z',
          completedOn: '2026-02-20',
          asDeputy: false,
        },
      },
      {
        type: 'TalkHeld',
        data: {
          reviewId: id,
          date: '2026-02-21',
          employee: await seal(MARKERS.employee),
          outcome: await seal(MARKERS.talk),
          asDeputy: false,
        },
      },
    ];
  }

  /** Path parameters by name, and `:id` by the collection it follows. */
  function fill(route: RouteDeclaration): string {
    const id = route.path.includes('/cross-level-reviews/')
      ? approvalId
      : route.path.includes('/measures/')
        ? MEASURE_ID
        : route.path.includes('/programmes/')
          ? programmeId
          : route.path.includes('/questionnaires/')
            ? 'q-vb'
            : REVIEW_IDS[0]!;
    return concretePath(route.path, {
      id,
      programmeId,
      caseId,
      teamId: 'team-1',
      areaId: 'mi',
      unitId: 'team-1',
      region: 'rd-1',
      year: '2026',
      quarter: '1',
      sampleId: 's-2026-02',
      name: 'reviews',
    });
  }

  const QUERIES: readonly Record<string, string>[] = [
    {},
    { from: '2026-01', to: '2026-03' },
    { month: '2026-02' },
    { at: '2026-03-10T08:00:00.000Z' },
    { asOf: '2026-03-10T08:00:00.000Z' },
  ];

  async function call(caller: string, route: RouteDeclaration): Promise<void> {
    const path = fill(route);
    for (const query of QUERIES) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      let pending = http()
        [method](path)
        .query(query)
        .set('Authorization', as(caller))
        .set('X-Min-Position', String(position));
      // Writes carry an invalid body: refused by validation after authorisation, nothing is written.
      if (['post', 'put', 'patch'].includes(method)) pending = pending.send({ invalid: true });
      const response = await pending;
      const body = response.text ?? (Buffer.isBuffer(response.body) ? response.body.toString('utf8') : '');
      answers.push({
        caller,
        route: `${route.method} ${route.path}${JSON.stringify(query)}`,
        status: response.status,
        body,
      });
      if (response.status !== 400) return;
    }
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    tokens = await mintTokens(config, {
      management: { roles: ['management'], tenant: TENANT, units: [], subject: 'gf-1' },
      areaHead: { roles: ['area_head'], tenant: TENANT, units: ['mi'], subject: 'ah-1' },
      regional: { roles: ['regional'], tenant: TENANT, units: ['team-1', 'mi'], subject: 'rd-1-user', region: 'rd-1' },
      central: { roles: ['central'], tenant: TENANT, units: ['team-1', 'mi'], subject: 'z-1' },
      auditor: { roles: ['auditor'], tenant: TENANT, units: ['team-1', 'mi'], subject: 'ir-1' },
    });
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    position = await seed(app, organisationFacts, TENANT, [
      unitDefined('mi', 'area', null),
      unitDefined('team-1', 'team', 'mi'),
      teamLeadAssigned('team-1', 'tl-1', 'dep-1', await envelope.seal(`organisation:${TENANT}`, MARKERS.lead)),
    ]);
    const programme = await defineProgramme(app, as('management'), {
      settings: {
        title: 'Verlaufsbezogene Kundenbetrachtung',
        areaId: 'mi',
        customerProcess: 'allgemeine-vermittlung',
        minimumCasesPerTeamLead: 2,
        errorRatePolicy: { kind: 'none' },
      },
      reason: 'Weisung 2021 (003:58)',
    });
    programmeId = programme.id;
    const region = await http()
      .put('/api/v1/cross-level/region')
      .set('Authorization', as('management'))
      .send({ region: 'rd-1' });
    expect(region.status).toBe(200);
    clock.set('2026-03-10T09:00:00.000Z');
    for (const id of REVIEW_IDS)
      position = Math.max(position, await seed(app, reviewFacts, id, await reviewEvents(envelope, id)));
    const key = measureKeyId(MEASURE_ID);
    position = Math.max(
      position,
      await seed(app, measureFacts, MEASURE_ID, [
        {
          type: 'MeasureAgreed',
          data: {
            measureId: MEASURE_ID,
            tenant: TENANT,
            areaId: 'mi',
            teamId: 'team-1',
            reviewId: REVIEW_IDS[0]!,
            kind: 'feedback',
            scope: 'individual',
            owner: await envelope.seal(key, MARKERS.owner),
            description: await envelope.seal(key, MARKERS.measure),
            dueDate: '2026-04-30',
            agreedOn: '2026-02-21',
            decidedByRole: 'team_lead',
          },
        },
      ]),
    );
    const approval = await http()
      .post('/api/v1/cross-level-reviews')
      .set('Authorization', as('central'))
      .send({
        kind: 'risk-based',
        tenants: [TENANT],
        customerProcess: 'allgemeine-vermittlung',
        fromMonth: '2026-01',
        toMonth: '2026-03',
        basis: 'Email-Weisung 2026-03',
      });
    expect(approval.status).toBe(201);
    approvalId = approval.body.id;
    position = Math.max(position, approval.body.position);
    const cases = await http()
      .get(`/api/v1/cross-level-reviews/${approvalId}/cases`)
      .set('Authorization', as('central'))
      .set('X-Min-Position', String(position));
    caseId = cases.body.cases[0].caseId;

    const routes = collectRouteActions(app);
    for (const caller of CALLERS)
      for (const route of routes)
        if (route.action !== null && (POLICY[route.action] as Partial<Record<Role, string>>)[caller] !== undefined)
          await call(caller, route);
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('calls every route granted to the three roles, and reaches the case data behind them', () => {
    const ok = (caller: string, route: RegExp) =>
      answers.some((answer) => answer.caller === caller && route.test(answer.route) && answer.status === 200);
    // The test would prove nothing if the reads never reached the data.
    expect(ok('auditor', /^GET \/api\/v1\/reviews\/:id\/history/)).toBe(true);
    expect(ok('regional', /^GET \/api\/v1\/cross-level-reviews\/:id\/cases\/:caseId/)).toBe(true);
    expect(ok('central', /^GET \/api\/v1\/cross-level\/trends\{/)).toBe(true);
    for (const caller of CALLERS)
      expect(answers.filter((answer) => answer.caller === caller && answer.status === 200).length).toBeGreaterThan(3);
  });

  it.each(CALLERS)('no answer to %s holds a personal marker in clear or a sealed envelope', (caller) => {
    const leaks = answers
      .filter((answer) => answer.caller === caller)
      .flatMap((answer) => [
        ...MARKER_VALUES.filter((marker) => answer.body.includes(marker)).map((marker) => `${answer.route}: ${marker}`),
        ...(/"\$sealed"\s*:/.test(answer.body) ? [`${answer.route}: sealed envelope`] : []),
      ]);
    expect(leaks).toEqual([]);
  });

  it('auditors get personal fields pseudonymised: placeholders and actor pseudonyms, never the value', () => {
    const history = answers.find(
      (answer) => answer.caller === 'auditor' && /^GET \/api\/v1\/reviews\/:id\/history/.test(answer.route),
    );
    expect(history?.status).toBe(200);
    expect(history?.body).toMatch(/verschlüsselt/);
    for (const marker of MARKER_VALUES) expect(history?.body).not.toContain(marker);
  });

  it('no answer, to any role that reads aggregates, groups figures by an employee', async () => {
    const people = [MARKERS.employee, MARKERS.owner, MARKERS.lead, 'tl-1', 'dep-1'];
    const readers = ['management', 'areaHead'] as const;
    const routes = collectRouteActions(app).filter((route) => route.method === 'GET');
    for (const reader of readers) for (const route of routes) await call(reader, route);
    const found = answers
      .filter((answer) => answer.status === 200 && answer.body.trim().startsWith('{'))
      .flatMap((answer) =>
        perPersonGroupings(JSON.parse(answer.body), people).map((where) => `${answer.route} ${where}`),
      );
    expect(answers.filter((answer) => answer.caller === 'management' && answer.status === 200).length).toBeGreaterThan(
      5,
    );
    expect(found).toEqual([]);
  });
});

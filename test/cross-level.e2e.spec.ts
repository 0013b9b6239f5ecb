import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AggregateType, AppConfig, CommandPipeline } from '@pruefpfad/application';
import { type DomainEvent, type ReviewEvent, reviewKeyId } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { COMMAND_PIPELINE, ENVELOPE } from '../apps/api/src/runtime/tokens.js';
import {
  defineProgramme,
  expectAuthorizationMatrix,
  mintTokens,
  organisationFacts,
  questionnaireFacts,
  reviewFacts,
  SETUP_CONTEXT,
  testClock,
  unitDefined,
  type TokenClaims,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Cross-level views and reviews over HTTP on the embedded stores. Five Jobcenters: jc-a, jc-b, jc-c in
 * region rd-1, jc-d in rd-2, jc-x without a recorded region. Completed reviews per month (below) are
 * chosen so that the small-cell rules show: with a minimum cell of 3, January of rd-1 is [5, 2, 7]
 * (jc-b hidden, jc-a hidden to protect it), February [2, 6, 0] (jc-a hidden, jc-b hidden to protect it,
 * the empty jc-c shown), and nationwide January [5, 2, 7, 4] (jc-b and jc-d hidden).
 */
const REVIEWS: Record<string, Record<string, number>> = {
  'jc-a': { '2026-01': 5, '2026-02': 2, '2026-03': 4 },
  'jc-b': { '2026-01': 2, '2026-02': 6 },
  'jc-c': { '2026-01': 7 },
  'jc-d': { '2026-01': 4, '2026-02': 4 },
  'jc-x': { '2026-01': 9 },
};
const REGION: Record<string, string | null> = {
  'jc-a': 'rd-1',
  'jc-b': 'rd-1',
  'jc-c': 'rd-1',
  'jc-d': 'rd-2',
  'jc-x': null,
};
const TENANTS = Object.keys(REVIEWS);
const MARKERS = ['Kundennummer-4711', 'Erika-Musterfrau', 'Freitext-Geheim'];

interface Cell {
  tenant: string;
  suppressed: boolean;
  figures: { reviews: { done: number } } | null;
}
interface PeriodView {
  period: string;
  jobcenters: Cell[];
  total: { suppressed: boolean; figures: { reviews: { done: number } } | null };
}

describe('cross-level views and reviews over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2025-12-15T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let position = 0;
  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;
  const get = (who: string, path: string, query: Record<string, string> = {}) =>
    http().get(path).query(query).set('Authorization', as(who)).set('X-Min-Position', String(position));

  async function seedAs<C, S, E extends DomainEvent>(
    tenant: string,
    aggregate: AggregateType<C, S, E>,
    id: string,
    events: C,
  ): Promise<void> {
    const pipeline = app.get<CommandPipeline>(COMMAND_PIPELINE, { strict: false });
    const result = await pipeline.execute(aggregate, {
      aggregateId: id,
      command: events,
      context: { ...SETUP_CONTEXT, tenant },
    });
    position = Math.max(position, result.position ?? 0);
  }

  async function reviewEvents(envelope: Envelope, tenant: string, id: string, month: string, programmeId: string) {
    const seal = (text: string) => envelope.seal(reviewKeyId(id), text);
    const events: ReviewEvent[] = [
      {
        type: 'CaseSampled',
        data: {
          reviewId: id,
          sampleId: `s-${tenant}-${month}`,
          programmeId,
          areaId: 'mi',
          teamId: 'team-1',
          month,
          casePseudonym: await seal(`ps-${id}`),
          caseRef: await seal(`${MARKERS[0]}-${id}`),
          customerGroup: 'u25',
          questionnaireId: 'q-vb',
          questionnaireVersion: 1,
          deadline: `${month}-28`,
          origin: { kind: 'draw', replaces: null },
        },
      },
      {
        type: 'AnswersRecorded',
        data: {
          reviewId: id,
          answers: [
            { questionId: 'q1', answer: { kind: 'yes-no-na', value: 'yes' } },
            { questionId: 'q2', answer: { kind: 'sealed', value: await seal(MARKERS[2]!) } },
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
          severity: 'minor',
          legalNorm: '§ 15 SGB II',
          description: await seal(MARKERS[2]!),
          financialLoss: false,
          asDeputy: false,
        },
      },
      {
        type: 'ReviewCompleted',
        data: {
          reviewId: id,
          outcome: 'not-goal-directed',
          summary: await seal(MARKERS[2]!),
          completedAt: `${month}-20T08:00:00.000Z`,
          completedOn: `${month}-20`,
          asDeputy: false,
        },
      },
      {
        type: 'TalkHeld',
        data: {
          reviewId: id,
          date: `${month}-21`,
          employee: await seal(MARKERS[1]!),
          outcome: await seal(MARKERS[2]!),
          asDeputy: false,
        },
      },
    ];
    return events;
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    const claims: Record<string, TokenClaims> = {
      'rd-1': { roles: ['regional'], tenant: 'rd-1-office', units: [], subject: 'rd-1-user', region: 'rd-1' },
      'rd-2': { roles: ['regional'], tenant: 'rd-2-office', units: [], subject: 'rd-2-user', region: 'rd-2' },
      noRegion: { roles: ['regional'], tenant: 'rd-office', units: [], subject: 'rd-x' },
      central: { roles: ['central'], tenant: 'ba-zentrale', units: [], subject: 'z-1' },
    };
    for (const tenant of TENANTS)
      claims[`gf-${tenant}`] = { roles: ['management'], tenant, units: [], subject: `gf-${tenant}` };
    tokens = await mintTokens(config, claims);
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const programmes = new Map<string, string>();
    for (const tenant of TENANTS) {
      await seedAs(tenant, organisationFacts, tenant, [
        unitDefined('mi', 'area', null),
        unitDefined('team-1', 'team', 'mi'),
      ]);
      // The catalogue the reviews' defects name (copies show only its categories and norms).
      const question = (id: string, answerType: 'yes-no-na' | 'text') => ({
        id,
        text: `Frage ${id}`,
        answerType,
        mandatory: true,
        category: 'Dokumentation',
        legalNorm: '§ 15 SGB II',
        guidance: null,
      });
      await seedAs(tenant, questionnaireFacts, `q-vb-${tenant}`, [
        {
          type: 'QuestionnaireVersionPublished',
          data: {
            questionnaireId: 'q-vb',
            version: 1,
            title: 'Verlaufsbezogene Kundenbetrachtung',
            process: 'allgemeine-vermittlung',
            source: '003:62',
            sections: [
              {
                id: 's1',
                title: 'Integrationsprozess',
                questions: [question('q1', 'yes-no-na'), question('q2', 'text')],
              },
            ],
            validFrom: '2026-01-01',
            reason: 'Weisung 2021',
          },
        },
      ]);
      const programme = await defineProgramme(app, as(`gf-${tenant}`), {
        settings: {
          title: 'Verlaufsbezogene Kundenbetrachtung',
          areaId: 'mi',
          customerProcess: 'allgemeine-vermittlung',
          minimumCasesPerTeamLead: 2,
          errorRatePolicy: { kind: 'none' },
        },
        reason: 'Weisung 2021 (003:58)',
      });
      position = Math.max(position, programme.position);
      programmes.set(tenant, programme.id);
      const region = REGION[tenant];
      if (region !== null && region !== undefined) {
        const assigned = await http()
          .put('/api/v1/cross-level/region')
          .set('Authorization', as(`gf-${tenant}`))
          .send({ region });
        expect(assigned.status).toBe(200);
        position = Math.max(position, assigned.body.position);
      }
    }
    clock.set('2026-03-10T09:00:00.000Z');
    for (const tenant of TENANTS)
      for (const [month, count] of Object.entries(REVIEWS[tenant]!))
        for (let n = 1; n <= count; n += 1) {
          const id = `${tenant}-${month}-${n}`;
          await seedAs(
            tenant,
            reviewFacts,
            id,
            await reviewEvents(envelope, tenant, id, month, programmes.get(tenant)!),
          );
        }
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  const tenantsOf = (body: unknown): string[] =>
    (
      (body as { tenants?: { tenant: string }[]; cases?: { tenant: string }[] }).tenants ??
      (body as { cases: { tenant: string }[] }).cases
    ).map((entry) => entry.tenant);

  const doneOf = (cell: { figures: { reviews: { done: number } } | null }) => cell.figures?.reviews.done ?? null;

  it('lists the Jobcenters of a region: the Regionaldirektion its own, the Zentrale any', async () => {
    const own = await get('rd-1', '/api/v1/cross-level/regions/rd-1/tenants');
    expect(own.status).toBe(200);
    expect(tenantsOf(own.body)).toEqual(['jc-a', 'jc-b', 'jc-c']);
    expect((await get('rd-1', '/api/v1/cross-level/regions/rd-2/tenants')).status).toBe(404);
    const central = await get('central', '/api/v1/cross-level/regions/rd-2/tenants');
    expect(tenantsOf(central.body)).toEqual(['jc-d']);
    const mine = await get('gf-jc-a', '/api/v1/cross-level/region');
    expect(mine.body).toMatchObject({ tenant: 'jc-a', region: 'rd-1' });
    expect((await get('gf-jc-x', '/api/v1/cross-level/region')).status).toBe(404);
  });

  it('shows a region per Jobcenter with small cells suppressed, primary and secondary, and the total', async () => {
    const response = await get('rd-1', '/api/v1/cross-level/trends', { from: '2026-01', to: '2026-03' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ level: 'region', region: 'rd-1', minCellCount: 3 });
    const periods = response.body.periods as PeriodView[];
    const cells = (period: number) =>
      periods[period]!.jobcenters.map((cell) => [cell.tenant, cell.suppressed, doneOf(cell)]);
    expect(cells(0)).toEqual([
      ['jc-a', true, null],
      ['jc-b', true, null],
      ['jc-c', false, 7],
    ]);
    expect(periods[0]!.total).toMatchObject({ suppressed: false });
    expect(doneOf(periods[0]!.total)).toBe(14);
    expect(cells(1)).toEqual([
      ['jc-a', true, null],
      ['jc-b', true, null],
      ['jc-c', false, 0],
    ]);
    expect(doneOf(periods[1]!.total)).toBe(8);
    // March: jc-a alone has reviews (4): nothing small.
    expect(cells(2)).toEqual([
      ['jc-a', false, 4],
      ['jc-b', false, 0],
      ['jc-c', false, 0],
    ]);
    // Never per team or area, never a sealed value.
    const text = JSON.stringify(response.body);
    expect(text).not.toMatch(/team-1|"mi"|\$sealed|errorRates|suspendedRoutines/);
    for (const marker of MARKERS) expect(text).not.toContain(marker);
  });

  it('the Zentrale sees the nation (Jobcenters with a recorded region) or any region; the RD only its own', async () => {
    const nation = await get('central', '/api/v1/cross-level/trends', { from: '2026-01', to: '2026-01' });
    expect(nation.status).toBe(200);
    expect(nation.body).toMatchObject({ level: 'nation', region: null });
    const january = (nation.body.periods as PeriodView[])[0]!;
    expect(january.jobcenters.map((cell) => [cell.tenant, cell.suppressed])).toEqual([
      ['jc-a', false],
      ['jc-b', true],
      ['jc-c', false],
      ['jc-d', true],
    ]);
    expect(doneOf(january.total)).toBe(18);
    const rd2 = await get('central', '/api/v1/cross-level/trends', { from: '2026-01', to: '2026-02', region: 'rd-2' });
    expect((rd2.body.periods as PeriodView[]).map((period) => doneOf(period.jobcenters[0]!))).toEqual([4, 4]);
    expect(
      (await get('rd-1', '/api/v1/cross-level/trends', { from: '2026-01', to: '2026-01', region: 'rd-2' })).status,
    ).toBe(404);
    const rd1Default = await get('rd-1', '/api/v1/cross-level/trends', {
      from: '2026-01',
      to: '2026-01',
      region: 'rd-1',
    });
    expect(rd1Default.status).toBe(200);
    const noClaim = await get('noRegion', '/api/v1/cross-level/trends', { from: '2026-01', to: '2026-01' });
    expect(noClaim.status).toBe(400);
    // A regional level no longer reads a Jobcenter's own trends.
    expect((await get('rd-1', '/api/v1/trends', { from: '2026-01', to: '2026-01' })).status).toBe(403);
    expect((await get('gf-jc-a', '/api/v1/cross-level/trends', { from: '2026-01', to: '2026-01' })).status).toBe(403);
    const bad = await get('central', '/api/v1/cross-level/trends', {
      from: '2026-01',
      to: '2026-01',
      scope: 'team:team-1',
    });
    expect(bad.status).toBe(400);
  });

  it('exports the cross-level view as CSV with the same suppression', async () => {
    const response = await get('rd-1', '/api/v1/cross-level/trends.csv', { from: '2026-01', to: '2026-01' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows = response.text
      .slice(1)
      .trim()
      .split('\r\n')
      .map((line) => line.split(';'));
    expect(rows[0]).toEqual(['Zeitraum', 'Jobcenter', 'Region', 'Kennzahl', 'Kategorie', 'Ausprägung', 'Wert']);
    const of = (tenant: string) => rows.filter((row) => row[1] === tenant);
    expect(of('jc-b')).toHaveLength(1);
    expect(of('jc-b')[0]![3]).toMatch(/unterdrückt/);
    expect(of('jc-a')).toHaveLength(1);
    expect(of('jc-c').find((row) => row[5] === 'erledigt / done')?.[6]).toBe('7');
    expect(of('gesamt / total').find((row) => row[5] === 'erledigt / done')?.[6]).toBe('14');
    for (const marker of MARKERS) expect(response.text).not.toContain(marker);
  });

  it('suppresses small periods in a Jobcenter’s own trend export, for every caller', async () => {
    const response = await get('gf-jc-a', '/api/v1/trends.csv', { from: '2026-01', to: '2026-03' });
    expect(response.status).toBe(200);
    const rows = response.text
      .slice(1)
      .trim()
      .split('\r\n')
      .map((line) => line.split(';'));
    const done = (period: string) =>
      rows.find((row) => row[0] === period && row[1] === 'Prüfungen / reviews' && row[3] === 'erledigt / done')?.[4];
    const suppressed = (period: string) => rows.some((row) => row[0] === period && /unterdrückt/.test(row[1]!));
    // [5, 2, 4]: February is small, March (the next-smallest) hides it.
    expect(done('2026-01')).toBe('5');
    expect(suppressed('2026-02')).toBe(true);
    expect(done('2026-02')).toBeUndefined();
    expect(suppressed('2026-03')).toBe(true);
    // The JSON view of the Jobcenter's own management is not suppressed (its own figures, not an export).
    const json = await get('gf-jc-a', '/api/v1/trends', { from: '2026-02', to: '2026-02' });
    expect(json.body.periods[0].reviews.done).toBe(2);
  });

  describe('cross-level reviews (2021 directive)', () => {
    let calibration = '';
    let riskBased = '';
    const approve = (who: string, body: Record<string, unknown>) =>
      http().post('/api/v1/cross-level-reviews').set('Authorization', as(who)).send(body);
    const CALIBRATION = {
      kind: 'calibration',
      region: 'rd-1',
      customerProcess: 'allgemeine-vermittlung',
      fromMonth: '2026-01',
      toMonth: '2026-02',
      basis: 'Email-Weisung 2026-01 nach BMAS-Genehmigung',
    };

    it('only the Zentrale approves, a calibration for at most three months, a risk-based one within the year', async () => {
      expect((await approve('rd-1', CALIBRATION)).status).toBe(403);
      expect((await approve('central', { ...CALIBRATION, toMonth: '2026-04' })).status).toBe(422);
      expect((await approve('central', { ...CALIBRATION, tenants: ['jc-a'] })).status).toBe(400);
      expect((await approve('central', { ...CALIBRATION, basis: 'Zeile\nzwei' })).status).toBe(400);
      // null is no scope: a 400 naming the field, never a 500.
      for (const scope of [{ region: null }, { region: null, tenants: null }]) {
        const refused = await approve('central', { ...CALIBRATION, ...scope });
        expect(refused.status).toBe(400);
        expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'tenants' })]);
      }
      const created = await approve('central', CALIBRATION);
      expect(created.status).toBe(201);
      calibration = created.body.id;
      position = Math.max(position, created.body.position);
      const { region: _region, ...withoutRegion } = CALIBRATION;
      const risk = await approve('central', {
        ...withoutRegion,
        kind: 'risk-based',
        tenants: ['jc-a', 'jc-d'],
        toMonth: '2026-03',
      });
      expect(risk.status).toBe(201);
      riskBased = risk.body.id;
      position = Math.max(position, risk.body.position);
    });

    it('participants read pseudonymised copies that name the approval, and nothing personal', async () => {
      const response = await get('rd-1', `/api/v1/cross-level-reviews/${calibration}/cases`);
      expect(response.status).toBe(200);
      expect(response.body.approval).toMatchObject({ id: calibration, kind: 'calibration', basis: CALIBRATION.basis });
      expect(response.body.status).toBe('open');
      const cases = response.body.cases as { caseId: string; tenant: string; month: string }[];
      // rd-1, January and February: jc-a 5 + 2, jc-b 2 + 6, jc-c 7.
      expect(cases).toHaveLength(22);
      expect(new Set(cases.map((entry) => entry.caseId)).size).toBe(22);
      expect(cases[0]).toMatchObject({
        answers: [{ questionId: 'q1', answer: 'yes' }],
        defects: [
          {
            questionId: 'q1',
            category: 'Dokumentation',
            severity: 'minor',
            legalNorm: '§ 15 SGB II',
            financialLoss: false,
          },
        ],
        outcome: 'not-goal-directed',
        talks: 1,
      });
      const text = JSON.stringify(response.body);
      for (const marker of MARKERS) expect(text).not.toContain(marker);
      expect(text).not.toMatch(/\$sealed|ps-jc|jc-a-2026|team-1|reviewId|casePseudonym/);

      const one = await get('rd-1', `/api/v1/cross-level-reviews/${calibration}/cases/${cases[0]!.caseId}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ approval: { id: calibration }, case: { caseId: cases[0]!.caseId } });

      // Another region's RD does not take part; the Zentrale does.
      expect((await get('rd-2', `/api/v1/cross-level-reviews/${calibration}/cases`)).status).toBe(404);
      expect((await get('rd-2', `/api/v1/cross-level-reviews/${calibration}`)).status).toBe(404);
      expect((await get('central', `/api/v1/cross-level-reviews/${calibration}/cases`)).body.cases).toHaveLength(22);
    });

    it('copies of two approvals cannot be linked: the same review gets another pseudonym', async () => {
      const first = await get('central', `/api/v1/cross-level-reviews/${calibration}/cases`);
      const second = await get('central', `/api/v1/cross-level-reviews/${riskBased}/cases`);
      expect(second.status).toBe(200);
      const ofA = (body: { cases: { caseId: string; tenant: string; month: string }[] }, month: string) =>
        body.cases.filter((entry) => entry.tenant === 'jc-a' && entry.month === month).map((entry) => entry.caseId);
      // jc-a's February reviews are in both.
      expect(ofA(first.body, '2026-02')).toHaveLength(2);
      expect(ofA(second.body, '2026-02')).toHaveLength(2);
      const overlap = ofA(first.body, '2026-02').filter((id) => ofA(second.body, '2026-02').includes(id));
      expect(overlap).toEqual([]);
      // The RD of rd-1 sees only jc-a's copies of the risk-based review; the RD of rd-2 only jc-d's.
      const rd1 = await get('rd-1', `/api/v1/cross-level-reviews/${riskBased}/cases`);
      expect(new Set(tenantsOf(rd1.body))).toEqual(new Set(['jc-a']));
      const rd2 = await get('rd-2', `/api/v1/cross-level-reviews/${riskBased}/cases`);
      expect(new Set(tenantsOf(rd2.body))).toEqual(new Set(['jc-d']));
      const list = await get('rd-2', '/api/v1/cross-level-reviews');
      expect((list.body as { reviews: { id: string }[] }).reviews.map((entry) => entry.id)).toEqual([riskBased]);
    });

    it('closed early, an approval shows no copy any more', async () => {
      const before = await get('rd-1', `/api/v1/cross-level-reviews/${calibration}/cases`);
      const caseId = before.body.cases[0].caseId as string;
      expect(
        (
          await http()
            .post(`/api/v1/cross-level-reviews/${calibration}/closure`)
            .set('Authorization', as('rd-1'))
            .send({ basis: 'Ende' })
        ).status,
      ).toBe(403);
      const closed = await http()
        .post(`/api/v1/cross-level-reviews/${calibration}/closure`)
        .set('Authorization', as('central'))
        .send({ basis: 'Maßstäbe gebildet' });
      expect(closed.status).toBe(200);
      position = Math.max(position, closed.body.position);
      const after = await get('rd-1', `/api/v1/cross-level-reviews/${calibration}/cases`);
      expect(after.body).toMatchObject({ status: 'closed', cases: [] });
      expect((await get('rd-1', `/api/v1/cross-level-reviews/${calibration}/cases/${caseId}`)).status).toBe(404);
      const approval = await get('rd-1', `/api/v1/cross-level-reviews/${calibration}`);
      expect(approval.body).toMatchObject({
        status: 'closed',
        closedOn: '2026-03-10',
        closeBasis: 'Maßstäbe gebildet',
      });
    });
  });

  it('every route answers as the authorisation table says (generated matrix)', async () => {
    await expectAuthorizationMatrix(app, config, { tenant: 'jc-a', units: ['team-1', 'mi'] });
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import type { CaseSampled, QuestionnaireEvent } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import { runCli } from '../apps/cli/src/run-cli.js';
import { ENVELOPE, EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import {
  defineProgramme,
  expectAuthorizationMatrix,
  expectNoClearTextInStores,
  mintTokens,
  organisationFacts,
  questionnaireFacts,
  seed,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

const PROCESS = 'allgemeine-vermittlung';
const GROUPS = ['u25', 'ue25', 'reha', 'alleinerziehend'];

/** 40 cases per team of area `mi`; every 10th needs § 16a services. */
function populationCsv(options: { extraTeam1?: number } = {}): string {
  const lines = ['caseReference;customerGroup;team;process;needs16a'];
  for (const team of ['team-1', 'team-2'])
    for (let i = 0; i < 40 + (team === 'team-1' ? (options.extraTeam1 ?? 0) : 0); i += 1)
      lines.push(
        `${team}-123D${String(i).padStart(6, '0')};${GROUPS[i % 4]};${team};${PROCESS};${i % 10 === 0 ? 'ja' : 'nein'}`,
      );
  return `${lines.join('\n')}\n`;
}

describe('populations and sampling over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  let config: AppConfig;
  let app: INestApplication;
  let eventStore: EventStore;
  let envelope: Envelope;
  let tokens: Record<string, string> = {};
  let programmeId: string;
  let noQuestionnaireProgrammeId: string;

  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;
  // March is drawn at the start of March, April at the start of April (a past month needs a reason).
  const clock = testClock('2026-03-02T08:00:00.000Z');

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    eventStore = app.get(EVENT_STORE);
    envelope = app.get(ENVELOPE);
    tokens = await mintTokens(config, {
      areaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['mi'], subject: 'bl-mi' },
      otherAreaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['leistung'] },
      management: { roles: ['management'], tenant: 'jc-a' },
      teamLead1: { roles: ['team_lead'], tenant: 'jc-a', units: ['team-1'], subject: 'tl-1' },
      teamLead2: { roles: ['team_lead'], tenant: 'jc-a', units: ['team-2'], subject: 'tl-2' },
      auditor: { roles: ['auditor'], tenant: 'jc-a' },
      employee: { roles: ['employee'], tenant: 'jc-a', units: ['team-1'] },
      otherTenant: { roles: ['management'], tenant: 'jc-b' },
    });

    const unit = (unitId: string, kind: 'area' | 'team', parentId: string | null) =>
      unitDefined(unitId, kind, parentId, { name: unitId });
    await seed(app, organisationFacts, 'jc-a', [
      unit('mi', 'area', null),
      unit('team-1', 'team', 'mi'),
      unit('team-2', 'team', 'mi'),
      unit('leistung', 'area', null),
      unit('team-l1', 'team', 'leistung'),
    ]);
    const published: QuestionnaireEvent = {
      type: 'QuestionnaireVersionPublished',
      data: {
        questionnaireId: 'vkb',
        version: 1,
        title: 'Verlaufsbezogene Kundenbetrachtung',
        process: PROCESS,
        source: '003:45–70',
        sections: [],
        validFrom: '2020-01-01',
        reason: 'Einführung',
      },
    };
    await seed(app, questionnaireFacts, 'vkb', [published]);

    const define = async (questionnaireId: string | null) => {
      const { id, position } = await defineProgramme(app, as('areaHead'), {
        settings: {
          title: 'VKB Markt & Integration',
          areaId: 'mi',
          customerProcess: PROCESS,
          questionnaireId,
          minimumCasesPerTeamLead: 6,
        },
        reason: 'Einführung nach Beschluss der Geschäftsleitung',
      });
      await http()
        .get(`/api/v1/programmes/${id}`)
        .set('Authorization', as('areaHead'))
        .set('X-Min-Position', String(position))
        .expect(200);
      return id;
    };
    programmeId = await define('vkb');
    noQuestionnaireProgrammeId = await define(null);
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  const importCsv = (csv: string, month: string, token = as('areaHead'), id = programmeId) =>
    http()
      .post(`/api/v1/programmes/${id}/populations?month=${month}&fileName=opds-${month}.csv`)
      .set('Authorization', token)
      .set('Content-Type', 'text/csv')
      .send(csv);

  /** The reactor opens reviews asynchronously: wait (bounded) until every review stream exists. */
  async function reviewsOpened(reviewIds: readonly string[]): Promise<CaseSampled['data'][]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const streams = await Promise.all(reviewIds.map((id) => eventStore.readStream(`review-${id}`)));
      if (streams.every((stream) => stream.length > 0)) {
        for (const stream of streams) expect(stream.filter((e) => e.type === 'CaseSampled')).toHaveLength(1);
        return streams.map((stream) => stream[0]!.data as CaseSampled['data']);
      }
      if (Date.now() > deadline) throw new Error('reviews were not opened in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  let populationId: string;
  let sample1: { sampleId: string; teamId: string };
  let sample2: { sampleId: string; teamId: string };
  let drawPosition: number;

  it('refuses a malformed file with the line numbers of every bad row and imports nothing', async () => {
    const csv = populationCsv()
      .replace(`team-1-123D000003;alleinerziehend;team-1`, 'team-1-123D000003;;team-1')
      .replace(`team-2-123D000005;ue25;team-2`, 'team-2-123D000005;ue25;team-9');
    const response = await importCsv(`${csv}team-1-123D000001;u25;team-1;${PROCESS};nein\n`, '2026-03');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual([
      { field: 'line 5: customerGroup', message: expect.any(String) },
      { field: 'line 47: team', message: expect.any(String) },
      { field: 'line 82: caseReference', message: expect.stringContaining('line 3') },
    ]);
    const list = await http().get(`/api/v1/programmes/${programmeId}/populations`).set('Authorization', as('areaHead'));
    expect(list.body.items).toEqual([]);

    const badMonth = await importCsv(populationCsv(), '2026-13');
    expect(badMonth.status).toBe(400);
    expect((badMonth.body.errors as { field: string }[]).map((e) => e.field)).toContain('month');
    const wrongType = await http()
      .post(`/api/v1/programmes/${programmeId}/populations?month=2026-03`)
      .set('Authorization', as('areaHead'))
      .set('Content-Type', 'text/plain')
      .send('x');
    expect(wrongType.status).toBe(415);
  });

  it('imports a CSV population: draw tokens and sealed references, one fingerprint, a summary without clear data', async () => {
    const response = await importCsv(populationCsv(), '2026-03');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ rowCount: 80, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    populationId = response.body.populationId;
    expect(response.headers.location).toBe(`/api/v1/programmes/${programmeId}/populations/${populationId}`);

    const summary = await http()
      .get(`/api/v1/programmes/${programmeId}/populations/${populationId}`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(response.body.position));
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      month: '2026-03',
      rowCount: 80,
      rowsReceived: 80,
      section16a: 8,
      teams: [
        { teamId: 'team-1', rows: 40 },
        { teamId: 'team-2', rows: 40 },
      ],
      source: { format: 'csv', fileName: 'opds-2026-03.csv' },
    });
    expect(JSON.stringify(summary.body)).not.toContain('123D');
    // One append: the import event and its row chunks are one stream, written at once.
    const stream = await eventStore.readStream(`population-${populationId}`);
    expect(stream.map((e) => e.type)).toEqual(['PopulationImported', 'PopulationRowsAdded']);

    expectNoClearTextInStores(config, ['123D000017']);

    expect(
      (await http().get(`/api/v1/programmes/${programmeId}/populations`).set('Authorization', as('teamLead1'))).status,
    ).toBe(403);
    expect(
      (
        await http()
          .get(`/api/v1/programmes/${programmeId}/populations/${populationId}`)
          .set('Authorization', as('otherAreaHead'))
      ).status,
    ).toBe(404);
  });

  it('refuses the draw to the role the programme does not name, and without a questionnaire in force', async () => {
    const byManagement = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('management'))
      .send({ month: '2026-03' });
    expect(byManagement.status).toBe(403);
    const imported = await importCsv(populationCsv(), '2026-03', as('areaHead'), noQuestionnaireProgrammeId);
    expect(imported.status).toBe(201);
    const noQuestionnaire = await http()
      .post(`/api/v1/programmes/${noQuestionnaireProgrammeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-03' });
    expect(noQuestionnaire.status).toBe(422);
    const noPopulation = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-02' });
    expect(noPopulation.status).toBe(422);
  });

  it('draws n cases per team of the area with a server seed, and the reactor opens one review per case', async () => {
    const response = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-03', seed: 'chosen-by-client' });
    // The client cannot bring a seed: unknown fields are refused.
    expect(response.status).toBe(400);

    const drawn = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-03' });
    expect(drawn.status).toBe(201);
    expect(drawn.body.samples).toHaveLength(2);
    expect(drawn.body.teamsWithoutCases).toEqual([]);
    [sample1, sample2] = drawn.body.samples;
    expect(sample1).toMatchObject({ teamId: 'team-1', cases: 6 });
    drawPosition = drawn.body.position;

    const read = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}`)
      .set('Authorization', as('teamLead1'))
      .set('X-Min-Position', String(drawPosition));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      teamId: 'team-1',
      month: '2026-03',
      populationId,
      algorithm: 'hmac-sha256-rank/v1',
      n: 6,
      eligible: 36,
      excluded: { recentlyDrawn: 0, section16a: 4 },
      questionnaireId: 'vkb',
      questionnaireVersion: 1,
      deadline: '2026-03-31',
      drawnByRole: 'area_head',
      activeCases: 6,
    });
    expect(read.body.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set((read.body.cases as { customerGroup: string }[]).map((c) => c.customerGroup))).toEqual(
      new Set(GROUPS),
    );
    expect(JSON.stringify(read.body)).not.toContain('123D');

    const opened = await reviewsOpened((read.body.cases as { reviewId: string }[]).map((c) => c.reviewId));
    for (const review of opened) {
      expect(review).toMatchObject({
        teamId: 'team-1',
        areaId: 'mi',
        questionnaireVersion: 1,
        origin: { kind: 'draw' },
      });
      const clear = (await envelope.open(review.caseRef)) as string;
      expect(clear).toMatch(/^team-1-123D\d{6}$/);
      // No § 16a case without consent: every 10th case (index divisible by 10) needs § 16a services.
      expect(Number(clear.slice(-6)) % 10).not.toBe(0);
    }
  });

  it('refuses a second draw for the same programme, team and month (409)', async () => {
    const again = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-03', teamId: 'team-1' });
    expect(again.status).toBe(409);
    const all = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-03' });
    expect(all.status).toBe(409);
    const reimport = await importCsv(populationCsv(), '2026-03');
    expect(reimport.status).toBe(422);
  });

  it('shows team leads their own team only, and other tenants nothing', async () => {
    const list = await http()
      .get(`/api/v1/programmes/${programmeId}/samples?month=2026-03`)
      .set('Authorization', as('teamLead1'))
      .set('X-Min-Position', String(drawPosition));
    expect((list.body.items as { teamId: string }[]).map((s) => s.teamId)).toEqual(['team-1']);
    const areaList = await http().get(`/api/v1/programmes/${programmeId}/samples`).set('Authorization', as('areaHead'));
    expect(areaList.body.items).toHaveLength(2);
    const other = (who: string, sampleId: string) =>
      http().get(`/api/v1/programmes/${programmeId}/samples/${sampleId}`).set('Authorization', as(who));
    expect((await other('teamLead1', sample2.sampleId)).status).toBe(404);
    expect((await other('otherAreaHead', sample1.sampleId)).status).toBe(404);
    expect((await other('otherTenant', sample1.sampleId)).status).toBe(404);
    expect((await other('employee', sample1.sampleId)).status).toBe(403);
  });

  it('verifies a draw from draw tokens, seed and recorded inputs', async () => {
    const verify = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}/verify`)
      .set('Authorization', as('auditor'));
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({
      sampleId: sample1.sampleId,
      matches: true,
      population: { populationId, matches: true },
      cases: { matches: true },
      coverageMatches: true,
      mismatches: [],
    });
  });

  it('draws supplementary cases and replaces an unsuitable case deterministically; verification still matches', async () => {
    const supplementary = await http()
      .post(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}/supplementary`)
      .set('Authorization', as('teamLead1'))
      .send({ count: 2, reason: 'Risikoschwerpunkt U25' });
    expect(supplementary.status).toBe(201);
    const notOwnTeam = await http()
      .post(`/api/v1/programmes/${programmeId}/samples/${sample2.sampleId}/supplementary`)
      .set('Authorization', as('teamLead1'))
      .send({ count: 2, reason: 'x' });
    expect(notOwnTeam.status).toBe(404);

    const before = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(supplementary.body.position));
    expect(before.body.activeCases).toBe(8);
    const unsuitable = before.body.cases[0] as { reviewId: string; customerGroup: string };
    await reviewsOpened((before.body.cases as { reviewId: string }[]).map((c) => c.reviewId));

    const replaced = await http()
      .post(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}/replacements`)
      .set('Authorization', as('areaHead'))
      .send({ reviewId: unsuitable.reviewId, reason: 'Fall bereits anderweitig geprüft' });
    expect(replaced.status).toBe(201);
    const twice = await http()
      .post(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}/replacements`)
      .set('Authorization', as('areaHead'))
      .send({ reviewId: unsuitable.reviewId, reason: 'noch einmal' });
    expect(twice.status).toBe(422);

    const after = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(replaced.body.position));
    expect(after.body.activeCases).toBe(8);
    const replacement = (after.body.cases as { reviewId: string }[]).find(
      (c) => c.reviewId === replaced.body.replacementReviewId,
    );
    expect(replacement).toMatchObject({
      origin: 'replacement',
      replaces: unsuitable.reviewId,
      customerGroup: unsuitable.customerGroup,
    });
    const [opened] = await reviewsOpened([replaced.body.replacementReviewId]);
    expect(opened!.origin).toEqual({ kind: 'replacement', replaces: unsuitable.reviewId });
    const deadline = Date.now() + 10_000;
    while ((await eventStore.readStream(`review-${unsuitable.reviewId}`)).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await eventStore.readStream(`review-${unsuitable.reviewId}`)).map((e) => e.type)).toEqual([
      'CaseSampled',
      'ReviewWithdrawn',
    ]);

    const verify = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}/verify`)
      .set('Authorization', as('teamLead1'));
    expect(verify.body).toMatchObject({ matches: true, cases: { recorded: 8, matches: true } });
  });

  it('skips cases drawn in the excluded months in the next month’s draw', async () => {
    clock.set('2026-04-01T08:00:00.000Z');
    const imported = await importCsv(populationCsv(), '2026-04');
    expect(imported.status).toBe(201);
    const drawn = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-04', teamId: 'team-1' });
    expect(drawn.status).toBe(201);
    const march = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${sample1.sampleId}`)
      .set('Authorization', as('areaHead'));
    const april = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${drawn.body.samples[0].sampleId}`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(drawn.body.position));
    const marchTokens = new Set((march.body.cases as { token: string }[]).map((c) => c.token));
    // 6 drawn + 2 supplementary + 1 replacement in March (the replaced case counts too: it was drawn).
    expect(april.body.excluded).toEqual({ recentlyDrawn: 9, section16a: 4 });
    // Each population has its own tokens: April's cannot be compared with March's, only the count tells.
    expect(april.body.cases).toHaveLength(6);
    for (const c of april.body.cases as { token: string }[]) expect(marchTokens.has(c.token)).toBe(false);
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: 'jc-a',
      units: ['mi'],
      pathParams: { programmeId, sampleId: sample1.sampleId, populationId, id: programmeId },
    });
  });

  it('imports a large file through the CLI with progress, into the same stores', async () => {
    await app.close();
    // The CLI runs on today's date: today's month is always within its population references' window.
    const month = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date()).slice(0, 7);
    const file = path.join(dirs.root, `opds-${month}.csv`);
    fs.writeFileSync(file, populationCsv({ extraTeam1: 1500 }));
    const out: string[] = [];
    const progress: string[] = [];
    const code = await runCli(
      ['import-population', '--programme', programmeId, '--month', month, '--file', file],
      { out: (line) => out.push(line), err: () => undefined, progress: (line) => progress.push(line) },
      { PRUEFPFAD_ENV: 'test', PRUEFPFAD_DATA_DIR: dirs.dataDir, PRUEFPFAD_KEY_DIR: dirs.keyDir },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ rowCount: 1580 });
    expect(progress[0]).toContain('1580/1580');
    expect(progress.some((line) => line.includes('1000/1580'))).toBe(true);
    expect(progress.at(-1)).toContain('gespeichert');

    app = await startTestAppWithClock(config, clock);
    eventStore = app.get(EVENT_STORE);
    const head = await eventStore.headPosition();
    const list = await http()
      .get(`/api/v1/programmes/${programmeId}/populations`)
      .set('Authorization', as('management'))
      .set('X-Min-Position', String(head));
    expect((list.body.items as { month: string }[]).map((p) => p.month)).toEqual([month, '2026-04', '2026-03']);
  });
});

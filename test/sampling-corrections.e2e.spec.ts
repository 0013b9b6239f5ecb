import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import type { CaseSampled, QuestionnaireEvent, SampleDrawn } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { type Envelope, type KeyStore, pseudonymise, tenantPseudonymKey } from '@pruefpfad/privacy';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DOCUMENT_STORE, ENVELOPE, EVENT_STORE, KEY_STORE } from '../apps/api/src/runtime/tokens.js';
import {
  expectNoClearTextInStores,
  mintTokens,
  organisationFacts,
  questionnaireFacts,
  seed,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Issue 9, items 1 to 4, over HTTP: decisions read the programme and the organisation from their streams
 * (raced many times right after the write they depend on), which months may be drawn, voiding a draw made
 * by mistake, and a population's clear references kept only for their window.
 */
const PROCESS = 'allgemeine-vermittlung';
const GROUPS = ['u25', 'ue25', 'reha', 'alleinerziehend'];
const RACES = 25;

function populationCsv(prefix: string, teams: readonly string[] = ['team-1', 'team-2']): string {
  const lines = ['caseReference;customerGroup;team;process;needs16a'];
  for (const team of teams)
    for (let i = 0; i < 20; i += 1)
      lines.push(
        `${prefix}-${team}-${String(i).padStart(4, '0')};${GROUPS[i % 4]};${team};${PROCESS};${i % 5 === 0 ? 'ja' : 'nein'}`,
      );
  return `${lines.join('\n')}\n`;
}

describe('sampling corrections over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-02T08:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let eventStore: EventStore;
  let keyStore: KeyStore;
  let envelope: Envelope;
  let tokens: Record<string, string> = {};
  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;
  let commitLatencyMs = 0;

  beforeAll(async () => {
    config = testConfig(dirs, { PRUEFPFAD_DRAW_LEAD_DAYS: '5', PRUEFPFAD_POPULATION_REFERENCE_DAYS: '10' });
    app = await startTestAppWithClock(config, clock);
    eventStore = app.get(EVENT_STORE);
    keyStore = app.get(KEY_STORE);
    envelope = app.get(ENVELOPE);
    // Read models trail writes as they do with the worker thread or MongoDB: every projection commit takes
    // a little while (during the races). In process and without it they would catch up before the next
    // request arrives, and a race would pass by luck on code that decides on them.
    const documents = app.get<DocumentStore>(DOCUMENT_STORE, { strict: false });
    const commit = documents.commit.bind(documents);
    documents.commit = async (writes, checkpoint) => {
      if (commitLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, commitLatencyMs));
      return commit(writes, checkpoint);
    };
    tokens = await mintTokens(config, {
      areaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['mi'], subject: 'bl-mi' },
      management: { roles: ['management'], tenant: 'jc-a' },
      teamLead1: { roles: ['team_lead'], tenant: 'jc-a', units: ['team-1'], subject: 'tl-1' },
      auditor: { roles: ['auditor'], tenant: 'jc-a' },
      operator: { roles: ['operator'], tenant: 'betrieb', subject: 'op-1' },
    });
    await seed(app, organisationFacts, 'jc-a', [
      unitDefined('mi', 'area', null, { name: 'mi' }),
      unitDefined('team-1', 'team', 'mi', { name: 'team-1' }),
      unitDefined('team-2', 'team', 'mi', { name: 'team-2' }),
    ]);
    const published: QuestionnaireEvent = {
      type: 'QuestionnaireVersionPublished',
      data: {
        questionnaireId: 'vkb',
        version: 1,
        title: 'Verlaufsbezogene Kundenbetrachtung',
        process: PROCESS,
        source: '003:45–70',
        sections: [
          {
            id: 's1',
            title: 'Integrationsprozess',
            questions: [
              {
                id: 'q1',
                text: 'Frage q1',
                answerType: 'yes-no-na',
                mandatory: true,
                category: 'beratung',
                legalNorm: null,
                guidance: null,
              },
            ],
          },
        ],
        validFrom: '2020-01-01',
        reason: 'Einführung',
      },
    };
    await seed(app, questionnaireFacts, 'vkb', [published]);
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  /** Defines a programme without waiting for any read model (as an automated client would). */
  async function define(settings: Record<string, unknown> = {}, who = 'areaHead'): Promise<string> {
    const response = await http()
      .post('/api/v1/programmes')
      .set('Authorization', as(who))
      .send({
        settings: { title: 'VKB', areaId: 'mi', customerProcess: PROCESS, questionnaireId: 'vkb', ...settings },
        reason: 'Einführung',
      });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const importCsv = (programmeId: string, month: string, csv: string) =>
    http()
      .post(`/api/v1/programmes/${programmeId}/populations?month=${month}`)
      .set('Authorization', as('areaHead'))
      .set('Content-Type', 'text/csv')
      .send(csv);

  const draw = (programmeId: string, body: Record<string, unknown>, who = 'areaHead') =>
    http().post(`/api/v1/programmes/${programmeId}/samples`).set('Authorization', as(who)).send(body);

  async function drawnEvents(programmeId: string, month: string): Promise<SampleDrawn['data'][]> {
    return (await eventStore.readStream(`sampling-${programmeId}-${month}`))
      .filter((event) => event.type === 'SampleDrawn')
      .map((event) => event.data as SampleDrawn['data']);
  }

  async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it(`imports right after the programme is defined, and draws right after a revision with its new settings (${RACES} races)`, async () => {
    clock.set('2026-03-02T08:00:00.000Z');
    commitLatencyMs = 25;
    for (let race = 0; race < RACES; race += 1) {
      const programmeId = await define({ minimumCasesPerTeamLead: 10, excludeDrawnWithinMonths: 0 });
      // Item 3: no X-Min-Position, nothing waited for: the import finds the programme and its area's teams.
      const imported = await importCsv(programmeId, '2026-03', populationCsv(`r${race}`));
      expect({ race, status: imported.status, body: imported.body as unknown }).toMatchObject({ race, status: 201 });
      // Item 2: the staff council took part; the draw at once must use n = 3 and the § 16a consent.
      const revised = await http()
        .post(`/api/v1/programmes/${programmeId}/revisions`)
        .set('Authorization', as('areaHead'))
        .send({
          changes: {
            minimumCasesPerTeamLead: 3,
            section16aConsent: { date: '2026-03-01', decision: 'Beschluss der Trägerversammlung 1/2026' },
          },
          reason: 'Risikobewertung',
          staffCouncil: { date: '2026-02-20', outcome: 'agreed' },
        });
      expect(revised.status).toBe(200);
      const drawn = await draw(programmeId, { month: '2026-03' });
      expect({ race, status: drawn.status }).toEqual({ race, status: 201 });
      const events = await drawnEvents(programmeId, '2026-03');
      expect(events.map((event) => [event.n, event.cases.length, event.inputs.section16aIncluded])).toEqual([
        [3, 3, true],
        [3, 3, true],
      ]);
    }
    commitLatencyMs = 0;
  });

  it('imports and draws right after the organisation gained a team (10 races)', async () => {
    commitLatencyMs = 25;
    for (let race = 3; race < 13; race += 1) {
      const teamId = `team-${race}`;
      const programmeId = await define({ minimumCasesPerTeamLead: 5, excludeDrawnWithinMonths: 0 });
      await seed(app, organisationFacts, 'jc-a', [unitDefined(teamId, 'team', 'mi', { name: teamId })]);
      const imported = await importCsv(programmeId, '2026-03', populationCsv(`org${race}`, ['team-1', teamId]));
      expect({ race, status: imported.status }).toEqual({ race, status: 201 });
      const drawn = await draw(programmeId, { month: '2026-03', teamId });
      expect({ race, status: drawn.status }).toEqual({ race, status: 201 });
      expect(drawn.body.samples).toEqual([expect.objectContaining({ teamId, cases: 5 })]);
    }
    commitLatencyMs = 0;
  });

  it('draws the current month, the next only within the lead days, a past one only with a reason and within its window, a later one never', async () => {
    clock.set('2026-12-06T10:00:00.000Z');
    const programmeId = await define({ minimumCasesPerTeamLead: 2 });
    for (const month of ['2026-11', '2026-12', '2027-01', '2031-05'])
      expect((await importCsv(programmeId, month, populationCsv(`m${month}`))).status).toBe(201);

    const future = await draw(programmeId, { month: '2031-05' });
    expect(future.status).toBe(422);
    expect(future.body.detail).toContain('frühestens');
    const early = await draw(programmeId, { month: '2027-01' });
    expect(early.status).toBe(422);
    expect(early.body.detail).toContain('2026-12-27');

    // A month whose population references' window (10 days here) has passed takes no population any more.
    const expired = await importCsv(programmeId, '2026-01', populationCsv('m2026-01'));
    expect(expired.status).toBe(422);
    expect(expired.body.detail).toContain('2026-02-10');

    const backdated = await draw(programmeId, { month: '2026-11' });
    expect(backdated.status).toBe(400);
    expect(backdated.body.errors).toEqual([expect.objectContaining({ field: 'backdatedReason' })]);
    expect(await drawnEvents(programmeId, '2026-11')).toEqual([]);
    const withReason = await draw(programmeId, { month: '2026-11', backdatedReason: 'Import aus opDs verspätet' });
    expect(withReason.status).toBe(201);
    const [recorded] = await drawnEvents(programmeId, '2026-11');
    // The reviews get the time of a draw made now, not a deadline that passed in November.
    expect(recorded).toMatchObject({ deadline: '2026-12-31', backdated: { drawnOn: '2026-12-06' } });
    const sample = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${recorded!.sampleId}`)
      .set('Authorization', as('auditor'))
      .set('X-Min-Position', String(withReason.body.position));
    expect(sample.body.backdated).toEqual({ drawnOn: '2026-12-06', reason: 'Import aus opDs verspätet' });

    expect((await draw(programmeId, { month: '2026-12' })).status).toBe(201);
    clock.set('2026-12-27T08:00:00.000Z');
    expect((await draw(programmeId, { month: '2027-01' })).status).toBe(201);
  });

  it('says who draws under the programme when another role tries', async () => {
    clock.set('2026-03-02T08:00:00.000Z');
    const programmeId = await define({ drawnBy: 'management' }, 'management');
    expect((await importCsv(programmeId, '2026-03', populationCsv('who'))).status).toBe(201);
    const refused = await draw(programmeId, { month: '2026-03' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('Geschäftsführung');
  });

  it('voids a draw made by mistake before any review started: reviews withdrawn, team drawn again, visible to auditors', async () => {
    clock.set('2026-03-02T08:00:00.000Z');
    const programmeId = await define({ minimumCasesPerTeamLead: 3, excludeDrawnWithinMonths: 0 });
    expect((await importCsv(programmeId, '2026-03', populationCsv('void'))).status).toBe(201);
    const drawn = await draw(programmeId, { month: '2026-03' });
    expect(drawn.status).toBe(201);
    const [first, second] = (drawn.body.samples as { sampleId: string; teamId: string }[]).sort((a, b) =>
      a.teamId.localeCompare(b.teamId),
    );
    const events = await drawnEvents(programmeId, '2026-03');
    const reviewsOf = (sampleId: string) => events.find((e) => e.sampleId === sampleId)!.cases.map((c) => c.reviewId);
    const opened = async (reviewIds: readonly string[]) =>
      eventually(
        'reviews opened',
        () => Promise.all(reviewIds.map((id) => eventStore.readStream(`review-${id}`))),
        (streams) => streams.every((stream) => stream.length > 0),
      );
    await opened([...reviewsOf(first!.sampleId), ...reviewsOf(second!.sampleId)]);

    // The team lead of team-1 starts one review: that sample can no longer be voided.
    const started = reviewsOf(first!.sampleId)[0]!;
    const answered = await http()
      .put(`/api/v1/reviews/${started}/answers`)
      .set('Authorization', as('teamLead1'))
      .set('X-Min-Position', String(await eventStore.headPosition()))
      .send({ answers: [{ questionId: 'q1', value: 'yes' }] });
    expect(answered.status).toBe(200);
    const voidUrl = (sampleId: string) => `/api/v1/programmes/${programmeId}/samples/${sampleId}/void`;
    const refused = await http()
      .post(voidUrl(first!.sampleId))
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(drawn.body.position))
      .send({ reason: 'falscher Monat' });
    expect(refused.status).toBe(422);
    expect(
      (await http().post(voidUrl(second!.sampleId)).set('Authorization', as('teamLead1')).send({ reason: 'x' })).status,
    ).toBe(403);
    const blank = await http()
      .post(voidUrl(second!.sampleId))
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(drawn.body.position))
      .send({});
    expect(blank.status).toBe(400);

    const voided = await http()
      .post(voidUrl(second!.sampleId))
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(drawn.body.position))
      .send({ reason: 'Grundgesamtheit des falschen Monats gezogen' });
    expect(voided.status).toBe(201);
    for (const reviewId of reviewsOf(second!.sampleId))
      await eventually(
        `review ${reviewId} withdrawn`,
        () => eventStore.readStream(`review-${reviewId}`),
        (stream) => stream.some((event) => event.type === 'ReviewWithdrawn'),
      );
    const again = await draw(programmeId, { month: '2026-03', teamId: 'team-2' });
    expect(again.status).toBe(201);
    expect(again.body.samples[0].sampleId).not.toBe(second!.sampleId);
    const audited = await http()
      .get('/api/v1/audit/samples?month=2026-03')
      .set('Authorization', as('auditor'))
      .set('X-Min-Position', String(again.body.position));
    expect(audited.status).toBe(200);
    const shown = (audited.body.samples as { sampleId: string; voided: unknown }[]).find(
      (sample) => sample.sampleId === second!.sampleId,
    );
    expect(shown?.voided).toEqual({
      at: expect.any(String),
      byRole: 'area_head',
      reason: 'Grundgesamtheit des falschen Monats gezogen',
    });
  });

  it('replaces a wrongly drawn population: every sample voided, the right one imported and drawn', async () => {
    clock.set('2026-03-02T08:00:00.000Z');
    const programmeId = await define({ minimumCasesPerTeamLead: 2, excludeDrawnWithinMonths: 0 });
    const wrong = await importCsv(programmeId, '2026-03', populationCsv('falsch'));
    expect(wrong.status).toBe(201);
    const drawn = await draw(programmeId, { month: '2026-03' });
    expect(drawn.status).toBe(201);
    const samples = drawn.body.samples as { sampleId: string }[];
    // While a sample stands, the month's population is fixed.
    expect((await importCsv(programmeId, '2026-03', populationCsv('richtig'))).status).toBe(422);
    for (const { sampleId } of samples) {
      const voided = await http()
        .post(`/api/v1/programmes/${programmeId}/samples/${sampleId}/void`)
        .set('Authorization', as('areaHead'))
        .set('X-Min-Position', String(drawn.body.position))
        .send({ reason: 'Grundgesamtheit des falschen Monats gezogen' });
      expect(voided.status).toBe(201);
    }
    const right = await importCsv(programmeId, '2026-03', populationCsv('richtig'));
    expect(right.status).toBe(201);
    const again = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(right.body.position))
      .send({ month: '2026-03' });
    expect(again.status).toBe(201);
    const events = await drawnEvents(programmeId, '2026-03');
    expect(events.map((event) => event.populationId)).toEqual([
      wrong.body.populationId,
      wrong.body.populationId,
      right.body.populationId,
      right.body.populationId,
    ]);
  });

  it('answers a draw with a position from which its reviews are readable, even when opening them is slow (10 races)', async () => {
    clock.set('2026-03-02T08:00:00.000Z');
    // Opening a review stream takes a moment (as a KurrentDB round trip does).
    const streamInfo = eventStore.streamInfo.bind(eventStore);
    eventStore.streamInfo = async (streamId) => {
      if (streamId.startsWith('review-')) await new Promise((resolve) => setTimeout(resolve, 5));
      return streamInfo(streamId);
    };
    try {
      for (let race = 0; race < 10; race += 1) {
        const programmeId = await define({ minimumCasesPerTeamLead: 2, excludeDrawnWithinMonths: 0 });
        expect((await importCsv(programmeId, '2026-03', populationCsv(`lesbar${race}`, ['team-1']))).status).toBe(201);
        const drawn = await draw(programmeId, { month: '2026-03' }, 'areaHead');
        expect(drawn.status).toBe(201);
        const [recorded] = await drawnEvents(programmeId, '2026-03');
        const last = recorded!.cases.at(-1)!.reviewId;
        const review = await http()
          .get(`/api/v1/reviews/${last}`)
          .set('Authorization', as('teamLead1'))
          .set('X-Min-Position', String(drawn.body.position));
        expect({ race, status: review.status }).toEqual({ race, status: 200 });
      }
    } finally {
      eventStore.streamInfo = streamInfo;
    }
  });

  it('keeps a population’s clear references only for their window, then destroys them; draws stay verifiable', async () => {
    clock.set('2026-05-04T08:00:00.000Z');
    const programmeId = await define({ minimumCasesPerTeamLead: 3, excludeDrawnWithinMonths: 0 });
    const csv = populationCsv('window');
    const imported = await importCsv(programmeId, '2026-05', csv);
    expect(imported.status).toBe(201);
    const drawn = await draw(programmeId, { month: '2026-05', teamId: 'team-1' });
    expect(drawn.status).toBe(201);
    const sampleId = drawn.body.samples[0].sampleId as string;
    const [recorded] = await drawnEvents(programmeId, '2026-05');
    const reviewIds = recorded!.cases.map((c) => c.reviewId);
    const reviews = await eventually(
      'reviews opened',
      () => Promise.all(reviewIds.map((id) => eventStore.readStream(`review-${id}`))),
      (streams) => streams.every((stream) => stream.length > 0),
    );
    // No store holds a tenant-wide pseudonym in clear: the population keeps draw tokens, and each drawn
    // review its blind index sealed under its own key (opened here only to check that it is the right one).
    const tenantKey = await tenantPseudonymKey(keyStore, 'jc-a');
    const references = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(';')[0]!);
    const drawnPseudonyms = (await Promise.all(
      reviews.map((stream) => envelope.open((stream[0]!.data as CaseSampled['data']).casePseudonym)),
    )) as string[];
    expect(drawnPseudonyms.every((p) => references.some((r) => pseudonymise(tenantKey, r, 'case-ref') === p))).toBe(
      true,
    );
    const pseudonyms = references.map((reference) => pseudonymise(tenantKey, reference, 'case-ref'));
    expect(pseudonyms.filter((pseudonym) => !drawnPseudonyms.includes(pseudonym))).toHaveLength(references.length - 3);
    expectNoClearTextInStores(config, pseudonyms);

    const supplementary = `/api/v1/programmes/${programmeId}/samples/${sampleId}/supplementary`;
    clock.set('2026-06-10T08:00:00.000Z');
    const inWindow = await http()
      .post(supplementary)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(drawn.body.position))
      .send({ count: 1, reason: 'Schwerpunkt' });
    expect(inWindow.status).toBe(201);

    clock.set('2026-06-11T08:00:00.000Z');
    const late = await http()
      .post(supplementary)
      .set('Authorization', as('areaHead'))
      .send({ count: 1, reason: 'Schwerpunkt' });
    expect(late.status).toBe(422);
    expect(late.body.detail).toContain('2026-06-10');

    const dry = await http()
      .post('/api/v1/operations/retention/purge-runs')
      .set('Authorization', as('operator'))
      .set('X-Min-Position', String(await eventStore.headPosition()))
      .send({ dryRun: true });
    expect(dry.body.populationReferences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ populationId: imported.body.populationId, keptUntil: '2026-06-10' }),
      ]),
    );
    const run = await http()
      .post('/api/v1/operations/retention/purge-runs')
      .set('Authorization', as('operator'))
      .send({ dryRun: false });
    expect(run.status).toBe(200);
    expect(run.body.populationReferencesDestroyed).toBeGreaterThan(0);
    const population = await eventStore.readStream(`population-${imported.body.populationId}`);
    expect(population.map((event) => event.type)).toContain('PopulationReferencesDestroyed');
    expect(await keyStore.isDestroyed(`population:${imported.body.populationId}`)).toBe(true);

    // The reviews keep their own copy; the draw is still recomputed and matches, from tokens alone.
    const verified = await http()
      .get(`/api/v1/programmes/${programmeId}/samples/${sampleId}/verify`)
      .set('Authorization', as('auditor'))
      .set('X-Min-Position', String(run.body.position));
    expect(verified.body).toMatchObject({ matches: true, cases: { matches: true } });
    const summary = await http()
      .get(`/api/v1/programmes/${programmeId}/populations/${imported.body.populationId}`)
      .set('Authorization', as('areaHead'))
      .set('X-Min-Position', String(await eventStore.headPosition()));
    expect(summary.body.referencesDestroyed).toEqual({ keptUntil: '2026-06-10', at: expect.any(String) });
    const replaced = await http()
      .post(`/api/v1/programmes/${programmeId}/samples/${sampleId}/replacements`)
      .set('Authorization', as('areaHead'))
      .send({ reviewId: reviewIds[0], reason: 'ungeeignet' });
    expect(replaced.status).toBe(422);
  });
});

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { type CaseSampled, type Question, reviewAggregate, reviewKeyId } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DOCUMENT_STORE, ENVELOPE } from '../apps/api/src/runtime/tokens.js';
import {
  absenceRecorded,
  defineProgramme,
  organisationFacts,
  projected,
  questionnaireFacts,
  seed,
  teamLeadAssigned,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * Issue 9, items 2, 3 and 10: a decision that writes takes its facts from streams (or waits for the
 * current head where read models are its legitimate source), and a client that sends the position of its
 * last write (`X-Min-Position`) never gets a 404 or a stale answer from any route. Each case runs the write
 * and the request that depends on it back to back, many times, in a few lanes side by side so that the
 * read models trail the writes as they do under load: one race lost is a failure. Embedded stores, the
 * projections in process.
 */
const TENANT = 'jc-a';
const AREA = 'markt-integration';
const QUESTIONNAIRE = 'ryw-questionnaire';
const ROUNDS = 60;
const LANES = 6;
const LANE_IDS = Array.from({ length: LANES }, (_, lane) => lane);

/**
 * How long each projection commit takes here: as long as a MongoDB round trip, or the embedded projection
 * thread under load. In process and without it the read models would catch up before the next request
 * arrives, and the races below would pass by luck on code that reads them.
 */
const COMMIT_LATENCY_MS = 25;

/** One write to the organisation's one stream at a time: lanes writing it together would only conflict. */
let organisationWrites: Promise<unknown> = Promise.resolve();
function serially<T>(write: () => Promise<T>): Promise<T> {
  const next = organisationWrites.then(write);
  organisationWrites = next.catch(() => undefined);
  return next;
}

/** How many answers had each status: `{ 200: 60 }` when every one succeeded. */
const statusesOf = (responses: readonly { status: number }[]) =>
  responses.reduce<Record<number, number>>(
    (counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
    {},
  );

const question = (id: string): Question => ({
  id,
  text: `Frage ${id}`,
  answerType: 'yes-no-na',
  mandatory: true,
  category: 'beratung',
  legalNorm: '§ 15 SGB II',
  guidance: null,
});

/** Each lane has its own team (lead `tl-<lane>`, deputy `dep-<lane>`): lanes never touch each other's facts. */
const teamOf = (lane: number) => `team-${lane}`;

describe('read your writes: decisions from streams, X-Min-Position on every route (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-10T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  const leads: string[] = [];
  const deputies: string[] = [];
  let areaHead: string;
  let management: string;
  let programmeId: string;
  let reviewCounter = 0;

  const http = () => request(app.getHttpServer());
  const bearer = (token: string) => `Bearer ${token}`;

  /** Opens a review through the review aggregate, as the draw's reactor does; resolves with its id. */
  async function openReview(teamId: string, programme = programmeId): Promise<string> {
    reviewCounter += 1;
    const reviewId = `0196c000-0000-7000-8000-${String(reviewCounter).padStart(12, '0')}`;
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const sampled: CaseSampled['data'] = {
      reviewId,
      sampleId: `sample-${teamId}`,
      programmeId: programme,
      areaId: AREA,
      teamId,
      month: '2026-03',
      casePseudonym: await envelope.seal(reviewKeyId(reviewId), `ps-${reviewId}`),
      caseRef: await envelope.seal(reviewKeyId(reviewId), `BG-${reviewId}`),
      customerGroup: 'u25',
      questionnaireId: QUESTIONNAIRE,
      questionnaireVersion: 1,
      deadline: '2026-03-31',
      origin: { kind: 'draw', replaces: null },
    };
    await seed(app, reviewAggregate, reviewId, { type: 'OpenReview', sampled });
    return reviewId;
  }

  /** Runs `round(0 … ROUNDS - 1)` in `LANES` lanes side by side; within a lane one round after the other. */
  async function inLanes(round: (index: number, lane: number) => Promise<void>): Promise<void> {
    await Promise.all(
      LANE_IDS.map(async (lane) => {
        for (let index = lane; index < ROUNDS; index += LANES) await round(index, lane);
      }),
    );
  }

  const answer = (token: string, reviewId: string) =>
    http()
      .put(`/api/v1/reviews/${reviewId}/answers`)
      .set('Authorization', bearer(token))
      .send({ answers: [{ questionId: 'q1', value: 'yes' }] });

  const agreeMeasure = (lane: number, reviewId?: string, dueDate = '2026-03-31') =>
    http()
      .post(`/api/v1/teams/${teamOf(lane)}/measures`)
      .set('Authorization', bearer(leads[lane]!))
      .send({
        kind: 'feedback',
        scope: 'individual',
        owner: 'Erika Mustermann',
        description: 'Rückmeldung zur Dokumentation',
        dueDate,
        ...(reviewId === undefined ? {} : { reviewId }),
      });

  const defineProgrammeOver = (title: string, deputiesReview: boolean) =>
    http()
      .post('/api/v1/programmes')
      .set('Authorization', bearer(areaHead))
      .send({
        settings: {
          title,
          areaId: AREA,
          customerProcess: 'allgemeine-vermittlung',
          questionnaireId: QUESTIONNAIRE,
          deputiesReview,
        },
        reason: 'Einführung',
      });

  beforeAll(async () => {
    config = testConfig(dirs, { PRUEFPFAD_MAX_WAIT_MS: '1500' });
    app = await startTestAppWithClock(config, clock);
    areaHead = await tokenFor(config, { roles: ['area_head'], tenant: TENANT, units: [AREA], subject: 'ah-1' });
    management = await tokenFor(config, { roles: ['management'], tenant: TENANT, subject: 'gf-1' });
    const documents = app.get<DocumentStore>(DOCUMENT_STORE, { strict: false });
    const commit = documents.commit.bind(documents);
    documents.commit = async (writes, checkpoint) => {
      await new Promise((resolve) => setTimeout(resolve, COMMIT_LATENCY_MS));
      return commit(writes, checkpoint);
    };
    const teams = [];
    for (const lane of LANE_IDS) {
      const teamId = teamOf(lane);
      teams.push({
        id: teamId,
        name: `Team ${lane}`,
        process: 'allgemeine-vermittlung',
        lead: { subject: `tl-${lane}`, name: `Leitung ${lane}` },
        deputy: { subject: `dep-${lane}`, name: `Vertretung ${lane}` },
      });
      leads.push(
        await tokenFor(config, { roles: ['team_lead'], tenant: TENANT, units: [teamId], subject: `tl-${lane}` }),
      );
      deputies.push(
        await tokenFor(config, { roles: ['deputy'], tenant: TENANT, units: [teamId], subject: `dep-${lane}` }),
      );
    }
    const loaded = await http()
      .put('/api/v1/organisation')
      .set('Authorization', bearer(management))
      .send({ areas: [{ id: AREA, name: 'Markt und Integration', teams }] });
    expect(loaded.status).toBe(200);
    await seed(app, questionnaireFacts, QUESTIONNAIRE, [
      {
        type: 'QuestionnaireVersionPublished',
        data: {
          questionnaireId: QUESTIONNAIRE,
          version: 1,
          title: 'Kundenbetrachtung',
          process: 'allgemeine-vermittlung',
          source: '003:62',
          sections: [{ id: 's1', title: 'Integration', questions: [question('q1')] }],
          validFrom: '2026-01-01',
          reason: 'Einführung',
        },
      },
    ]);
    ({ id: programmeId } = await defineProgramme(app, bearer(areaHead), {
      settings: {
        title: 'Kundenbetrachtung',
        areaId: AREA,
        customerProcess: 'allgemeine-vermittlung',
        questionnaireId: QUESTIONNAIRE,
        deputiesReview: true,
      },
      reason: 'Einführung',
    }));
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('follows up a measure right after agreeing it (item 10), and reads it with X-Min-Position', async () => {
    const followUps: { status: number }[] = [];
    const reads: { status: number; followUps: number }[] = [];
    await inLanes(async (_, lane) => {
      const agreed = await agreeMeasure(lane);
      expect(agreed.status).toBe(201);
      const followedUp = await http()
        .post(`/api/v1/measures/${agreed.body.id}/follow-ups`)
        .set('Authorization', bearer(leads[lane]!))
        .send({ date: '2026-03-10', note: 'Gespräch geführt' });
      followUps.push(followedUp);
      if (followedUp.status !== 200) return;
      const read = await http()
        .get(`/api/v1/measures/${agreed.body.id}`)
        .set('Authorization', bearer(leads[lane]!))
        .set('X-Min-Position', String(followedUp.body.position));
      reads.push({ status: read.status, followUps: (read.body as { followUps?: unknown[] }).followUps?.length ?? 0 });
    });
    expect(statusesOf(followUps)).toEqual({ 200: ROUNDS });
    expect(reads).toEqual(Array.from({ length: ROUNDS }, () => ({ status: 200, followUps: 1 })));
  });

  it('answers a review and agrees a measure on it right after the review was opened (items 2, 10)', async () => {
    const answers: { status: number }[] = [];
    const agreements: { status: number }[] = [];
    await inLanes(async (_, lane) => {
      const reviewId = await openReview(teamOf(lane));
      answers.push(await answer(leads[lane]!, reviewId));
      agreements.push(await agreeMeasure(lane, reviewId));
    });
    expect(statusesOf(answers)).toEqual({ 200: ROUNDS });
    expect(statusesOf(agreements)).toEqual({ 201: ROUNDS });
  });

  it("decides a deputy's work on the absence as just recorded, then as just cancelled (item 2)", async () => {
    const reviews = await Promise.all(LANE_IDS.map((lane) => openReview(teamOf(lane))));
    const during: { status: number }[] = [];
    const after: { status: number; body: { code?: string } }[] = [];
    await inLanes(async (_, lane) => {
      // The lanes' absences all go to the organisation's one stream: one write at a time, or they conflict.
      const recorded = await serially(() =>
        http()
          .post(`/api/v1/organisation/teams/${teamOf(lane)}/absences`)
          .set('Authorization', bearer(leads[lane]!))
          .send({ from: '2026-03-10', to: '2026-03-10' }),
      );
      expect(recorded.status).toBe(201);
      during.push(await answer(deputies[lane]!, reviews[lane]!));
      const cancelled = await serially(() =>
        http()
          .delete(`/api/v1/organisation/teams/${teamOf(lane)}/absences/${recorded.body.id}`)
          .set('Authorization', bearer(leads[lane]!)),
      );
      expect(cancelled.status).toBe(200);
      after.push(await answer(deputies[lane]!, reviews[lane]!));
    });
    expect(statusesOf(during)).toEqual({ 200: ROUNDS });
    expect(statusesOf(after)).toEqual({ 422: ROUNDS });
    expect(after.every((response) => response.body.code === 'RULE_VIOLATION')).toBe(true);
  });

  it('decides on a programme setting as just revised: deputies may review, then not, then again (item 2)', async () => {
    // Each lane: its own programme, a review under it, and the lead away all month so the deputy acts.
    await seed(
      app,
      organisationFacts,
      TENANT,
      LANE_IDS.map((lane) => absenceRecorded(`away-${lane}`, teamOf(lane), { from: '2026-03-01', to: '2026-03-31' })),
    );
    const lanes = await Promise.all(
      LANE_IDS.map(async (lane) => {
        const defined = await defineProgrammeOver(`Vertretungsregel ${lane}`, true);
        expect(defined.status).toBe(201);
        // Set-up only: the definition itself is not the race here (the next case is about that).
        await projected(app, 'programmes', defined.body.position);
        return { programme: defined.body.id as string, review: await openReview(teamOf(lane), defined.body.id) };
      }),
    );
    const revise = async (lane: number, deputiesReview: boolean) => {
      const revised = await http()
        .post(`/api/v1/programmes/${lanes[lane]!.programme}/revisions`)
        .set('Authorization', bearer(areaHead))
        .send({ changes: { deputiesReview }, reason: deputiesReview ? 'Vertretung zugelassen' : 'Keine Vertretung' });
      expect(revised.status).toBe(200);
    };
    const refused: { status: number }[] = [];
    const allowed: { status: number }[] = [];
    await inLanes(async (_, lane) => {
      await revise(lane, false);
      refused.push(await answer(deputies[lane]!, lanes[lane]!.review));
      await revise(lane, true);
      allowed.push(await answer(deputies[lane]!, lanes[lane]!.review));
    });
    expect(statusesOf(refused)).toEqual({ 422: ROUNDS });
    expect(statusesOf(allowed)).toEqual({ 200: ROUNDS });
  });

  it('revises a programme right after defining it, and a questionnaire right after publishing it (item 3)', async () => {
    const revisions: { status: number }[] = [];
    const versions: { status: number }[] = [];
    await inLanes(async (round) => {
      const defined = await defineProgrammeOver(`Plan ${round}`, true);
      expect(defined.status).toBe(201);
      revisions.push(
        await http()
          .post(`/api/v1/programmes/${defined.body.id}/revisions`)
          .set('Authorization', bearer(areaHead))
          .send({ changes: { title: `Plan ${round} (neu)` }, reason: 'Titel' }),
      );
      const published = await http()
        .post('/api/v1/questionnaires')
        .set('Authorization', bearer(management))
        .send({ catalogue: 'verlaufsbezogene-kundenbetrachtung' });
      expect(published.status).toBe(201);
      versions.push(
        await http()
          .post(`/api/v1/questionnaires/${published.body.id}/versions`)
          .set('Authorization', bearer(management))
          .send({
            title: 'Eigener Katalog',
            process: 'allgemeine-vermittlung',
            source: '003:62',
            sections: [{ id: 's1', title: 'Neu', questions: [question(`n${round}`)] }],
            validFrom: '2026-04-01',
            reason: 'Überarbeitung',
          }),
      );
    });
    expect(statusesOf(revisions)).toEqual({ 200: ROUNDS });
    expect(statusesOf(versions)).toEqual({ 201: ROUNDS });
  });

  it('places a legal hold right after the review opened; with X-Min-Position reads it held, then lifted', async () => {
    const placed: { status: number }[] = [];
    const seen: string[] = [];
    await inLanes(async (_, lane) => {
      const reviewId = await openReview(teamOf(lane));
      const hold = await http()
        .post(`/api/v1/reviews/${reviewId}/legal-hold`)
        .set('Authorization', bearer(management))
        .send({ reason: 'Klageverfahren' });
      placed.push(hold);
      if (hold.status !== 201) return;
      const held = await http()
        .get(`/api/v1/reviews/${reviewId}/legal-hold`)
        .set('Authorization', bearer(management))
        .set('X-Min-Position', String(hold.body.position));
      const lift = await http()
        .post(`/api/v1/reviews/${reviewId}/legal-hold/lift`)
        .set('Authorization', bearer(management))
        .send({ reason: 'Verfahren beendet' });
      expect(lift.status).toBe(200);
      const lifted = await http()
        .get(`/api/v1/reviews/${reviewId}/legal-hold`)
        .set('Authorization', bearer(management))
        .set('X-Min-Position', String(lift.body.position));
      seen.push(`${String(held.body.held)}/${String(lifted.body.held)}`);
    });
    expect(statusesOf(placed)).toEqual({ 201: ROUNDS });
    expect(seen).toEqual(Array.from({ length: ROUNDS }, () => 'true/false'));
  });

  it('checks X-Min-Position on every authenticated route, commands included; liveness and readiness never wait', async () => {
    const malformed = await http()
      .post(`/api/v1/teams/${teamOf(0)}/measures`)
      .set('Authorization', bearer(leads[0]!))
      .set('X-Min-Position', 'zwölf')
      .send({});
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'X-Min-Position', message: expect.any(String) }]);
    // A position no read model has reached (nor the store): refused after the bounded wait, command or query.
    for (const call of [
      http().get('/api/v1/organisation').set('Authorization', bearer(management)),
      http()
        .post(`/api/v1/reviews/${await openReview(teamOf(0))}/legal-hold`)
        .set('Authorization', bearer(management))
        .send({ reason: 'Klageverfahren' }),
    ]) {
      const unreached = await call.set('X-Min-Position', '900000000');
      expect(unreached.status).toBe(503);
      expect(unreached.body.code).toBe('PROJECTION_LAGGING');
    }
    // Documented once for the whole API, and so on every operation (commands and queries), never twice.
    const docs = await http().get('/api/docs-json');
    expect(docs.status).toBe(200);
    const paths = (docs.body as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> }).paths;
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThan(50);
    for (const operation of operations)
      expect((operation.parameters ?? []).filter((parameter) => parameter.name === 'X-Min-Position')).toHaveLength(1);
    for (const path of ['/health', '/ready']) {
      const started = Date.now();
      const probe = await http().get(path).set('X-Min-Position', '900000000');
      expect(probe.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });

  it('submits a team report right after the team joined the organisation (item 10)', async () => {
    // A quarter that has ended, with the programmes in force in it.
    clock.set('2026-07-06T09:00:00.000Z');
    const outcomes: { status: number }[] = [];
    await inLanes(async (round) => {
      const teamId = `team-r${round}`;
      const token = await tokenFor(config, {
        roles: ['team_lead'],
        tenant: TENANT,
        units: [teamId],
        subject: `tl-r${round}`,
      });
      await serially(() =>
        seed(app, organisationFacts, TENANT, [
          unitDefined(teamId, 'team', AREA),
          teamLeadAssigned(teamId, `tl-r${round}`, null),
        ]),
      );
      outcomes.push(
        await http()
          .post(`/api/v1/teams/${teamId}/reports/2026/Q2/submission`)
          .set('Authorization', bearer(token))
          .send({ assessment: 'Keine Auffälligkeiten', seriousDefects: [] }),
      );
    });
    expect(statusesOf(outcomes)).toEqual({ 201: ROUNDS });
  });

  it('plans a retention purge on caught-up read models: a measure agreed a moment ago goes with its review', async () => {
    // Reviews completed now (the clock stands in July 2026) are due for the purge a year later.
    const completed: { lane: number; reviewId: string }[] = [];
    await inLanes(async (_, lane) => {
      const reviewId = await openReview(teamOf(lane));
      expect((await answer(leads[lane]!, reviewId)).status).toBe(200);
      const completion = await http()
        .post(`/api/v1/reviews/${reviewId}/completion`)
        .set('Authorization', bearer(leads[lane]!))
        .send({ outcome: 'goal-directed', summary: 'Ohne Befund' });
      expect(completion.status).toBe(200);
      completed.push({ lane, reviewId });
    });
    clock.set('2027-08-10T09:00:00.000Z');
    const operator = await tokenFor(config, { roles: ['operator'], tenant: TENANT, subject: 'op-1' });
    const measuresPlanned: number[] = [];
    // One after the other: every run plans every due review.
    for (const { lane, reviewId } of completed) {
      const agreed = await agreeMeasure(lane, reviewId, '2027-09-30');
      expect(agreed.status).toBe(201);
      const run = await http()
        .post('/api/v1/operations/retention/purge-runs')
        .set('Authorization', bearer(operator))
        .send({ dryRun: true });
      expect(run.status).toBe(200);
      const entry = (run.body.due as { reviewId: string; measures: number }[]).find((due) => due.reviewId === reviewId);
      measuresPlanned.push(entry?.measures ?? -1);
    }
    // Each review had one measure (agreed just before the run) when its purge was planned.
    expect(measuresPlanned).toEqual(Array.from({ length: ROUNDS }, () => 1));
  });
});

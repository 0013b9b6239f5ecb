import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { type CaseSampled, type Question, reviewAggregate, reviewKeyId } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { ORGANISATION_UNITS, QUESTIONNAIRES } from '@pruefpfad/projections';
import { ENVELOPE } from '../apps/api/src/runtime/tokens.js';
import {
  absenceRecorded,
  areaCast,
  defineProgramme,
  expectAuthorizationMatrix,
  expectNoClearTextInStores,
  mintTokens,
  organisationFacts,
  projected,
  questionnaireFacts,
  runCommand,
  seed,
  teamLeadAssigned,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Reviews, talks and team discussions over HTTP on the embedded stores, with a clock the test moves
 * (deadlines, the deputy's absence). The organisation and the questionnaire are other contexts' work:
 * their events are appended as facts through the real pipeline; reviews are opened with `CaseSampled`
 * through the review aggregate, as the sampling reactor does.
 */
const TENANT = 'jc-a';
const AREA = 'markt-integration';
const OTHER_AREA = 'leistung';
const ABSENCE = { from: '2026-03-16', to: '2026-03-20' };
const QUESTIONNAIRE = 'vkb-federal';
/** Clear texts that must never appear in a store file. */
const SECRETS = {
  caseRef: 'BG-98765X-Geheim',
  text: 'Eingliederung stockte wegen Sprachkurs-Wartezeit',
  defect: 'Kooperationsplan fehlte Unterschrift Kundin Schmidt',
  summary: 'Zusammenfassung Fall Schmidt-Geheim',
  employee: 'Erika Mustermann-Personal',
  talk: 'Vereinbart: Vorlage künftig nutzen',
};

const question = (
  id: string,
  answerType: Question['answerType'],
  mandatory: boolean,
  category = 'beratung',
): Question => ({
  id,
  text: `Frage ${id}`,
  answerType,
  mandatory,
  category,
  legalNorm: answerType === 'yes-no-na' ? '§ 15 SGB II' : null,
  guidance: null,
});

/** The offending fields of a 400, sorted. */
const fieldsOf = (body: { errors: { field: string }[] }): string[] => body.errors.map((error) => error.field).sort();

describe('reviews over HTTP (embedded stores, controllable clock)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-10T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let programmeId: string;
  let noDeputiesProgrammeId: string;

  const ids = {
    r1: '0196b000-0000-7000-8000-000000000001', // team-1, March: the main walk
    r2: '0196b000-0000-7000-8000-000000000002', // team-1, February, still open: overdue
    r3: '0196b000-0000-7000-8000-000000000003', // team-2 (same area)
    r4: '0196b000-0000-7000-8000-000000000004', // team-3 (other area)
    r5: '0196b000-0000-7000-8000-000000000005', // team-1, withdrawn (replaced)
    r6: '0196b000-0000-7000-8000-000000000006', // team-1, programme without deputies
    r7: '0196b000-0000-7000-8000-000000000007', // team-1, March, for the deputy
  };

  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;

  async function setUpOrganisation(): Promise<void> {
    const position = await seed(app, organisationFacts, TENANT, [
      unitDefined(AREA, 'area', null),
      unitDefined(OTHER_AREA, 'area', null),
      unitDefined('team-1', 'team', AREA),
      unitDefined('team-2', 'team', AREA),
      unitDefined('team-3', 'team', OTHER_AREA),
      teamLeadAssigned('team-1', 'tl-1', 'dep-1'),
      teamLeadAssigned('team-2', 'tl-2', null),
      teamLeadAssigned('team-3', 'tl-3', null),
      absenceRecorded('abs-1', 'team-1', ABSENCE),
    ]);
    await projected(app, ORGANISATION_UNITS, position);
  }

  async function setUpQuestionnaire(): Promise<void> {
    const position = await seed(app, questionnaireFacts, QUESTIONNAIRE, [
      {
        type: 'QuestionnaireVersionPublished',
        data: {
          questionnaireId: QUESTIONNAIRE,
          version: 1,
          title: 'Verlaufsbezogene Kundenbetrachtung',
          process: 'allgemeine-vermittlung',
          source: '003:62',
          sections: [
            {
              id: 's1',
              title: 'Integrationsprozess',
              questions: [
                question('q1', 'yes-no-na', true),
                question('q2', 'goal-directed', true, 'integration'),
                question('q3', 'text', false),
                question('q4', 'date', false),
              ],
            },
          ],
          validFrom: '2026-01-01',
          reason: 'Weisung 2021',
        },
      },
      {
        type: 'QuestionnaireVersionPublished',
        data: {
          questionnaireId: QUESTIONNAIRE,
          version: 2,
          title: 'Verlaufsbezogene Kundenbetrachtung',
          process: 'allgemeine-vermittlung',
          source: '003:62',
          sections: [{ id: 's1', title: 'Neu', questions: [question('v2-only', 'yes-no-na', true)] }],
          validFrom: '2026-06-01',
          reason: 'Überarbeitung',
        },
      },
      {
        type: 'RegionalQuestionsAdded',
        data: {
          questionnaireId: QUESTIONNAIRE,
          additionId: 'rd-spring',
          region: 'rd-nrw',
          questions: [question('rq1', 'yes-no-na', true, 'regional')],
          validFrom: '2026-03-01',
          validTo: '2026-05-31',
          reason: 'Regionaler Schwerpunkt Kooperationsplan',
        },
      },
    ]);
    await projected(app, QUESTIONNAIRES, position);
  }

  async function defineProgrammeWithDeputies(deputiesReview: boolean): Promise<string> {
    const { id } = await defineProgramme(app, as('areaHead'), {
      settings: {
        title: `Kundenbetrachtung ${deputiesReview ? 'mit' : 'ohne'} Vertretung`,
        areaId: AREA,
        customerProcess: 'allgemeine-vermittlung',
        questionnaireId: QUESTIONNAIRE,
        deputiesReview,
      },
      reason: 'Einführung',
    });
    return id;
  }

  async function sample(reviewId: string, teamId: string, month: string, programme = programmeId): Promise<number> {
    const envelope = app.get<Envelope>(ENVELOPE, { strict: false });
    const sampled: CaseSampled['data'] = {
      reviewId,
      sampleId: `sample-${teamId}-${month}`,
      programmeId: programme,
      areaId: teamId === 'team-3' ? OTHER_AREA : AREA,
      teamId,
      month,
      casePseudonym: await envelope.seal(reviewKeyId(reviewId), `ps-${reviewId.slice(-2)}`),
      caseRef: await envelope.seal(
        reviewKeyId(reviewId),
        reviewId === ids.r1 ? SECRETS.caseRef : `BG-${reviewId.slice(-2)}`,
      ),
      customerGroup: 'u25',
      questionnaireId: QUESTIONNAIRE,
      questionnaireVersion: 1,
      deadline: month === '2026-02' ? '2026-02-28' : '2026-03-31',
      origin: { kind: 'draw', replaces: null },
    };
    return seed(app, reviewAggregate, reviewId, { type: 'OpenReview', sampled });
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    tokens = await mintTokens(config, {
      ...areaCast(AREA, OTHER_AREA),
      otherTenantManagement: { roles: ['management'], tenant: 'jc-b', units: [], subject: 'gf-b' },
    });
    await setUpOrganisation();
    await setUpQuestionnaire();
    programmeId = await defineProgrammeWithDeputies(true);
    noDeputiesProgrammeId = await defineProgrammeWithDeputies(false);
    await sample(ids.r1, 'team-1', '2026-03');
    await sample(ids.r2, 'team-1', '2026-02');
    await sample(ids.r3, 'team-2', '2026-03');
    await sample(ids.r4, 'team-3', '2026-03');
    await sample(ids.r5, 'team-1', '2026-03');
    await sample(ids.r6, 'team-1', '2026-03', noDeputiesProgrammeId);
    await sample(ids.r7, 'team-1', '2026-03');
    await seed(app, reviewAggregate, ids.r5, {
      type: 'WithdrawReview',
      reviewId: ids.r5,
      reason: await app.get<Envelope>(ENVELOPE, { strict: false }).seal(reviewKeyId(ids.r5), 'Fall ungeeignet (Umzug)'),
      replacedBy: ids.r7,
    });
    // A redelivered CaseSampled (the sampling reactor after a crash) writes nothing.
    const again = await runCommand(app, reviewAggregate, ids.r1, {
      type: 'OpenReview',
      sampled: { reviewId: ids.r1 } as CaseSampled['data'],
    });
    expect(again).toEqual({ id: ids.r1, revision: 0, position: null });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  /** Position of the last write, for read-your-writes. */
  let position = 0;
  const read = (reviewId: string, who = 'teamLead') =>
    http().get(`/api/v1/reviews/${reviewId}`).set('Authorization', as(who)).set('X-Min-Position', String(position));
  const write = (method: 'put' | 'post', path: string, body: object, who = 'teamLead', ifMatch?: string) => {
    const call = http()
      [method](`/api/v1/reviews/${path}`)
      .set('Authorization', as(who))
      .set('X-Min-Position', String(position));
    if (ifMatch !== undefined) call.set('If-Match', ifMatch);
    return call.send(body).then((response) => {
      if (response.status < 300) position = response.body.position ?? position;
      return response;
    });
  };

  it('lists the team’s worklist: the month’s reviews and earlier open ones, overdue after the deadline', async () => {
    const response = await http()
      .get('/api/v1/teams/team-1/worklist?month=2026-03')
      .set('Authorization', as('teamLead'))
      .set('X-Min-Position', String(position));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      teamId: 'team-1',
      month: '2026-03',
      today: '2026-03-10',
      disclosure: 'full',
    });
    const items = response.body.items as { id: string; overdue: boolean; status: string; caseRef: string | null }[];
    expect(items.map((item) => item.id).sort()).toEqual([ids.r1, ids.r2, ids.r6, ids.r7].sort());
    expect(items.find((item) => item.id === ids.r2)).toMatchObject({ overdue: true, status: 'open' });
    expect(items.find((item) => item.id === ids.r1)).toMatchObject({ overdue: false, caseRef: SECRETS.caseRef });
    expect(response.body.counts).toEqual({ total: 4, open: 4, completed: 0, overdue: 1 });

    const areaHead = await http()
      .get('/api/v1/teams/team-1/worklist?month=2026-03')
      .set('Authorization', as('areaHead'));
    expect(areaHead.status).toBe(200);
    expect(areaHead.body.disclosure).toBe('withheld');
    expect((areaHead.body.items as { caseRef: unknown }[]).every((item) => item.caseRef === null)).toBe(true);

    const thisMonth = await http().get('/api/v1/teams/team-1/worklist').set('Authorization', as('management'));
    expect(thisMonth.body.month).toBe('2026-03');

    for (const [who, team, status] of [
      ['otherAreaHead', 'team-1', 404],
      ['teamLead2', 'team-1', 404],
      ['otherTenant', 'team-1', 404],
      ['teamLead', 'team-unknown', 404],
      ['employee', 'team-1', 403],
    ] as const) {
      expect((await http().get(`/api/v1/teams/${team}/worklist`).set('Authorization', as(who))).status).toBe(status);
    }
    const badMonth = await http()
      .get('/api/v1/teams/team-1/worklist?month=2026-13&x=1')
      .set('Authorization', as('teamLead'));
    expect(badMonth.status).toBe(400);
    expect(fieldsOf(badMonth.body)).toEqual(['month', 'x']);
  });

  it('shows the review with its pinned questions plus the month’s regional ones; ETag is the revision', async () => {
    const response = await read(ids.r1);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(response.body).toMatchObject({
      id: ids.r1,
      revision: 0,
      disclosure: 'full',
      caseRef: SECRETS.caseRef,
      status: 'open',
      questionnaire: { id: QUESTIONNAIRE, version: 1 },
      lookBack: { months: 12, reason: null },
    });
    expect((response.body.questions as { id: string; source: string }[]).map((q) => `${q.id}:${q.source}`)).toEqual([
      'q1:version',
      'q2:version',
      'q3:version',
      'q4:version',
      'rq1:regional',
    ]);
  });

  it('saves answers partially, validating them against the questions (400 with fields)', async () => {
    const first = await write('put', `${ids.r1}/answers`, {
      answers: [
        { questionId: 'q1', value: 'no' },
        { questionId: 'q3', value: SECRETS.text },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe('"1"');

    const bad = await write('put', `${ids.r1}/answers`, {
      answers: [
        { questionId: 'q1', value: 'vielleicht' },
        { questionId: 'q4', value: '31.03.2026' },
        { questionId: 'v2-only', value: 'yes' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['answers.0.value', 'answers.1.value', 'answers.2.questionId']);
    const shape = await write('put', `${ids.r1}/answers`, { answers: [{ questionId: 'q1' }], colour: 'red' });
    expect(shape.status).toBe(400);
    expect(fieldsOf(shape.body)).toEqual(['answers.0.value', 'colour']);
    expect((await write('put', `${ids.r1}/answers`, { answers: [] })).status).toBe(400);

    const view = await read(ids.r1);
    expect(view.body.revision).toBe(1);
    expect(view.body.answers).toEqual(
      expect.arrayContaining([
        { questionId: 'q1', kind: 'yes-no-na', value: 'no' },
        { questionId: 'q3', kind: 'sealed', value: SECRETS.text },
      ]),
    );
  });

  it('extends the look-back only with a reason (002:40)', async () => {
    const without = await write('post', `${ids.r1}/look-back-extensions`, { months: 18 });
    expect(without.status).toBe(422);
    expect(without.body.detail ?? without.body.title).toBeDefined();
    const withReason = await write('post', `${ids.r1}/look-back-extensions`, {
      months: 18,
      reason: 'Sinnvoller Aufsatzpunkt liegt vor 12 Monaten',
    });
    expect(withReason.status).toBe(200);
    expect((await read(ids.r1)).body.lookBack).toEqual({
      months: 18,
      reason: 'Sinnvoller Aufsatzpunkt liegt vor 12 Monaten',
    });
  });

  let seriousDefect: string;

  it('records defects (category from the question by default, VfV on financial loss) and withdraws one with a reason', async () => {
    const serious = await write('post', `${ids.r1}/defects`, {
      questionId: 'q1',
      severity: 'serious',
      description: SECRETS.defect,
      financialLoss: true,
    });
    expect(serious.status).toBe(201);
    expect(serious.body).toEqual({
      id: ids.r1,
      revision: 3,
      position: expect.any(Number),
      defectId: expect.any(String),
    });
    seriousDefect = serious.body.defectId;
    const minor = await write('post', `${ids.r1}/defects`, {
      questionId: 'q2',
      category: 'dokumentation',
      severity: 'minor',
      legalNorm: '§ 15 Abs. 2 SGB II',
      description: 'Vermerk unvollständig',
      financialLoss: false,
    });
    expect(minor.status).toBe(201);
    const unknownQuestion = await write('post', `${ids.r1}/defects`, {
      questionId: 'nope',
      severity: 'minor',
      description: 'x',
      financialLoss: false,
    });
    expect(unknownQuestion.status).toBe(400);
    expect(unknownQuestion.body.errors).toEqual([{ field: 'questionId', message: expect.any(String) }]);
    const badSeverity = await write('post', `${ids.r1}/defects`, {
      questionId: 'q1',
      severity: 'grave',
      description: 'x',
    });
    expect(badSeverity.status).toBe(400);
    expect(fieldsOf(badSeverity.body)).toEqual(['financialLoss', 'severity']);

    const stale = await write(
      'post',
      `${ids.r1}/defects/${minor.body.defectId}/withdrawal`,
      { reason: 'Irrtum' },
      'teamLead',
      '"3"',
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    const withdrawn = await write(
      'post',
      `${ids.r1}/defects/${minor.body.defectId}/withdrawal`,
      { reason: 'Irrtum' },
      'teamLead',
      '"4"',
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.headers.etag).toBe('"5"');
    expect(
      (await write('post', `${ids.r1}/defects/${minor.body.defectId}/withdrawal`, { reason: 'nochmal' })).status,
    ).toBe(422);
    expect((await write('post', `${ids.r1}/defects/${ids.r2}/withdrawal`, { reason: 'x' })).status).toBe(404);

    const view = await read(ids.r1);
    expect(view.body.defects).toEqual([
      expect.objectContaining({
        defectId: seriousDefect,
        category: 'beratung',
        legalNorm: '§ 15 SGB II',
        severity: 'serious',
        vfv: true,
        description: SECRETS.defect,
        withdrawn: false,
      }),
      expect.objectContaining({ category: 'dokumentation', withdrawn: true, withdrawalReason: 'Irrtum', vfv: false }),
    ]);
  });

  it('completes only when every mandatory question (regional ones included) is answered, then locks', async () => {
    const early = await write('post', `${ids.r1}/completion`, {
      outcome: 'not-goal-directed',
      summary: SECRETS.summary,
    });
    expect(early.status).toBe(422);
    // The open questions are named as the team lead reads them; their ids travel as an extension member.
    expect(early.body.detail).toMatch(/2 Pflichtfragen sind noch offen: „Frage q2“; „Frage rq1“\. \/ /);
    expect(early.body.openMandatoryQuestions).toEqual([
      { id: 'q2', text: 'Frage q2' },
      { id: 'rq1', text: 'Frage rq1' },
    ]);
    const talkTooEarly = await write('post', `${ids.r1}/talks`, { date: '2026-03-10', employee: 'x', outcome: 'y' });
    expect(talkTooEarly.status).toBe(422);

    expect(
      (
        await write('put', `${ids.r1}/answers`, {
          answers: [
            { questionId: 'q2', value: 'not-goal-directed' },
            { questionId: 'rq1', value: 'na' },
            { questionId: 'q4', value: '2025-11-03' },
          ],
        })
      ).status,
    ).toBe(200);
    const done = await write('post', `${ids.r1}/completion`, {
      outcome: 'not-goal-directed',
      summary: SECRETS.summary,
    });
    expect(done.status).toBe(200);

    const locked = await Promise.all([
      write('put', `${ids.r1}/answers`, { answers: [{ questionId: 'q1', value: 'yes' }] }),
      write('post', `${ids.r1}/defects`, {
        questionId: 'q1',
        severity: 'minor',
        description: 'x',
        financialLoss: false,
      }),
      write('post', `${ids.r1}/defects/${seriousDefect}/withdrawal`, { reason: 'x' }),
      write('post', `${ids.r1}/completion`, { outcome: 'goal-directed', summary: 'x' }),
      write('post', `${ids.r1}/look-back-extensions`, { months: 24, reason: 'x' }),
    ]);
    expect(locked.map((response) => response.status)).toEqual([422, 422, 422, 422, 422]);

    const view = await read(ids.r1);
    expect(view.body).toMatchObject({
      status: 'completed',
      outcome: 'not-goal-directed',
      summary: SECRETS.summary,
      completedOn: '2026-03-10',
    });
  });

  it('corrects the completed review with a reason, as a new event', async () => {
    const nothing = await write('post', `${ids.r1}/corrections`, { reason: 'nichts', outcome: 'not-goal-directed' });
    expect(nothing.status).toBe(422);
    expect((await write('post', `${ids.r1}/corrections`, { outcome: 'goal-directed' })).status).toBe(400);
    const corrected = await write('post', `${ids.r1}/corrections`, {
      reason: 'Nachträglich Vermerk gefunden',
      outcome: 'goal-directed',
      answers: [{ questionId: 'q2', value: 'goal-directed' }],
      defects: [{ defectId: seriousDefect, severity: 'minor' }],
    });
    expect(corrected.status).toBe(201);
    const view = await read(ids.r1);
    expect(view.body).toMatchObject({
      outcome: 'goal-directed',
      corrections: [{ reason: 'Nachträglich Vermerk gefunden', asDeputy: false }],
    });
    expect(view.body.defects[0]).toMatchObject({ defectId: seriousDefect, severity: 'minor' });
  });

  it('records the one-on-one talk and the anonymised team discussion (no transcript)', async () => {
    const badDate = await write('post', `${ids.r1}/talks`, { date: '2026-03-11', employee: 'x', outcome: 'y' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors).toEqual([{ field: 'date', message: expect.any(String) }]);
    const talk = await write('post', `${ids.r1}/talks`, {
      date: '2026-03-10',
      employee: SECRETS.employee,
      outcome: SECRETS.talk,
    });
    expect(talk.status).toBe(201);
    const discussion = await write('post', `${ids.r1}/team-discussions`, { date: '2026-03-10' });
    expect(discussion.status).toBe(201);
    expect(
      (await write('post', `${ids.r1}/talks`, { date: '2026-03-10', employee: 'x', outcome: 'y', transcript: 'z' }))
        .status,
    ).toBe(400);

    const view = await read(ids.r1);
    expect(view.body.talks).toEqual([
      { date: '2026-03-10', employee: SECRETS.employee, outcome: SECRETS.talk, asDeputy: false },
    ]);
    expect(view.body.teamDiscussions).toEqual([{ date: '2026-03-10', notes: null, asDeputy: false }]);

    const worklist = await http()
      .get('/api/v1/teams/team-1/worklist?month=2026-03')
      .set('Authorization', as('teamLead'))
      .set('X-Min-Position', String(position));
    expect((worklist.body.items as { id: string }[]).find((item) => item.id === ids.r1)).toMatchObject({
      status: 'completed',
      outcome: 'goal-directed',
      defects: 1,
      seriousDefects: 0,
      talkHeld: true,
      teamDiscussed: true,
    });
  });

  it('stores every personal field only encrypted: no clear byte in the event or read store', () => {
    expectNoClearTextInStores(config, Object.values(SECRETS));
  });

  it('withholds customer data from area heads and deputies outside an absence; management sees it', async () => {
    const areaHead = await read(ids.r1, 'areaHead');
    expect(areaHead.status).toBe(200);
    expect(areaHead.body).toMatchObject({ disclosure: 'withheld', caseRef: null, casePseudonym: null, summary: null });
    expect(areaHead.body.talks).toEqual([{ date: '2026-03-10', employee: null, outcome: null, asDeputy: false }]);
    expect(areaHead.body.defects[0]).toMatchObject({ description: null, severity: 'minor', category: 'beratung' });
    const deputy = await read(ids.r1, 'deputy');
    expect(deputy.body).toMatchObject({ disclosure: 'withheld', caseRef: null });
    const management = await read(ids.r1, 'management');
    expect(management.body).toMatchObject({ disclosure: 'full', caseRef: SECRETS.caseRef });
  });

  it('hides other teams and tenants (404), refuses roles without the action (403) and bad ids (400)', async () => {
    expect((await read(ids.r1, 'teamLead2')).status).toBe(404);
    expect((await read(ids.r1, 'otherAreaHead')).status).toBe(404);
    expect((await read(ids.r1, 'otherTenant')).status).toBe(404);
    expect((await read(ids.r1, 'otherTenantManagement')).status).toBe(404);
    expect((await read('0196b000-0000-7000-8000-0000000000ff')).status).toBe(404);
    expect((await read(ids.r1, 'employee')).status).toBe(403);
    expect((await http().get('/api/v1/reviews/not-a-uuid').set('Authorization', as('teamLead'))).status).toBe(400);
    const answer = { answers: [{ questionId: 'q1', value: 'yes' }] };
    expect((await write('put', `${ids.r3}/answers`, answer)).status).toBe(404);
    expect((await write('put', `${ids.r4}/answers`, answer, 'otherTenant')).status).toBe(404);
    expect((await write('put', `${ids.r3}/answers`, answer, 'areaHead')).status).toBe(403);
    expect((await write('put', `${ids.r3}/answers`, answer, 'management')).status).toBe(403);
    expect((await http().put(`/api/v1/reviews/${ids.r3}/answers`).send(answer)).status).toBe(401);
    const withdrawn = await write('put', `${ids.r5}/answers`, answer);
    expect(withdrawn.status).toBe(422);
    expect((await read(ids.r5)).body).toMatchObject({ status: 'withdrawn', withdrawal: { replacedBy: ids.r7 } });
  });

  it('lets the deputy act only during the recorded absence, as deputy work, and not where the programme excludes deputies', async () => {
    const answer = { answers: [{ questionId: 'q1', value: 'yes' }] };
    const outside = await write('put', `${ids.r7}/answers`, answer, 'deputy');
    expect(outside.status).toBe(422);
    expect(outside.body.code).toBe('RULE_VIOLATION');

    clock.set('2026-03-17T09:00:00.000Z');
    const inside = await write('put', `${ids.r7}/answers`, answer, 'deputy');
    expect(inside.status).toBe(200);
    const view = await read(ids.r7, 'deputy');
    expect(view.body).toMatchObject({ disclosure: 'full', deputyWork: true, caseRef: 'BG-07' });
    expect((await write('put', `${ids.r6}/answers`, answer, 'deputy')).status).toBe(422);
    // The team lead's own work is not deputy work.
    expect((await read(ids.r1)).body.deputyWork).toBe(false);
  });

  it('shows the month’s open reviews as overdue once the deadline has passed (Berlin date)', async () => {
    // 31 March 23:30 in Berlin is still the deadline day; overdue starts on 1 April.
    clock.set('2026-03-31T21:30:00.000Z');
    const onDeadline = await http()
      .get('/api/v1/teams/team-1/worklist?month=2026-03')
      .set('Authorization', as('teamLead'));
    expect(onDeadline.body.counts.overdue).toBe(1); // only February's review
    clock.set('2026-03-31T22:30:00.000Z');
    const after = await http().get('/api/v1/teams/team-1/worklist?month=2026-03').set('Authorization', as('teamLead'));
    expect(after.body.today).toBe('2026-04-01');
    const overdue = (after.body.items as { id: string; overdue: boolean }[])
      .filter((item) => item.overdue)
      .map((item) => item.id);
    expect(overdue.sort()).toEqual([ids.r2, ids.r6, ids.r7].sort());
    const april = await http().get('/api/v1/teams/team-1/worklist').set('Authorization', as('teamLead'));
    expect(april.body.month).toBe('2026-04');
    expect((april.body.items as { id: string }[]).map((item) => item.id).sort()).toEqual(
      [ids.r2, ids.r6, ids.r7].sort(),
    );
  });

  it('passes the authorisation matrix generated from every route’s declared action', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: TENANT,
      units: ['team-1', AREA],
      pathParams: { id: ids.r1, teamId: 'team-1', defectId: seriousDefect },
    });
  }, 120_000);
});

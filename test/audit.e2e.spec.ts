import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import type { Question } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { MEASURES, ORGANISATION_UNITS, QUESTIONNAIRES, REVIEWS } from '@pruefpfad/projections';
import { EVENT_STORE } from '../apps/api/src/runtime/tokens.js';
import {
  defineProgramme,
  expectAuthorizationMatrix,
  mintTokens,
  organisationFacts,
  projected,
  questionnaireFacts,
  seed,
  teamLeadAssigned,
  testClock,
  unitDefined,
} from './support/scenario-setup.js';
import { startTestAppWithClock, temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * The auditors' record over HTTP on the embedded stores: a month is imported and drawn as in the quarter
 * scenario, one drawn review is worked through by its team lead (answers, a serious defect, completion,
 * the talk) with a measure that is followed up; then its history, its past states, the month's samples
 * and the export files are read by auditors, team leads, area heads and management.
 */
const TENANT = 'jc-a';
const AREA = 'mi';
const OTHER_AREA = 'leistung';
const PROCESS = 'allgemeine-vermittlung';
const QUESTIONNAIRE = 'vkb';
const GROUPS = ['u25', 'ue25', 'reha', 'alleinerziehend'];

/** Clear personal texts written through the API: an auditor must never see one of them. */
const MARKERS = {
  answer: 'Sprachkurs-Wartezeit Herr Özdemir',
  defect: 'Kooperationsplan ohne Unterschrift Kundin Schmidt',
  summary: 'Fallzusammenfassung Schmidt-Vertraulich',
  employee: 'Erika Mustermann-Sachbearbeitung',
  talk: 'Vereinbart: Vorlage künftig nutzen (Mustermann)',
  owner: 'Erika Mustermann-Verantwortlich',
  measure: 'Schulung Kooperationsplan für Frau Mustermann',
  followUp: 'Nachgehalten mit Frau Mustermann',
};
/** Case references of the population all contain this; subjects of the people who acted. */
const CASE_REF_MARK = '123D';
const SUBJECTS = ['tl-1', 'ah-1'];

const question = (id: string, answerType: Question['answerType'], mandatory: boolean): Question => ({
  id,
  text: `Frage ${id}`,
  answerType,
  mandatory,
  category: 'beratung',
  legalNorm: answerType === 'yes-no-na' ? '§ 15 SGB II' : null,
  guidance: null,
});

function populationCsv(): string {
  const lines = ['caseReference;customerGroup;team;process;needs16a'];
  for (const team of ['team-1', 'team-2'])
    for (let i = 1; i <= 12; i += 1)
      lines.push(`${team}-${CASE_REF_MARK}${String(i).padStart(6, '0')};${GROUPS[i % 4]};${team};${PROCESS};nein`);
  return `${lines.join('\n')}\n`;
}

/** Every marker and subject that appears in `text`. */
const leaked = (text: string): string[] =>
  [...Object.values(MARKERS), CASE_REF_MARK, ...SUBJECTS.flatMap((subject) => [`"${subject}"`, `;${subject};`])].filter(
    (marker) => text.includes(marker),
  );

interface HistoryEvent {
  position: number;
  streamId: string;
  revision: number;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: { user: string; role: string };
  correlationId: string;
  causationId: string | null;
  line: { de: string; en: string };
  data: Record<string, unknown>;
}

describe('audit trail over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2026-03-02T09:00:00.000Z');
  let config: AppConfig;
  let app: INestApplication;
  let eventStore: EventStore;
  let tokens: Record<string, string> = {};
  let programmeId: string;
  let reviewId: string;
  let otherTeamReviewId: string;
  let measureId: string;
  let lastPosition: number;
  /** Revision of the review stream right after the defect, and the instant of that write. */
  let defectRevision: number;
  let defectAt: string;

  const http = () => request(app.getHttpServer());
  const as = (who: string) => `Bearer ${tokens[who]}`;
  const get = (who: string, path: string) =>
    http().get(path).set('Authorization', as(who)).set('X-Min-Position', String(lastPosition));

  async function write(method: 'post' | 'put', path: string, body: object): Promise<request.Response> {
    const response = await http()[method](path).set('Authorization', as('teamLead')).send(body);
    expect([200, 201]).toContain(response.status);
    lastPosition = response.body.position;
    return response;
  }

  /** The reactor opens reviews asynchronously: wait (bounded) until every stream exists and is projected. */
  async function reviewsOpened(reviewIds: readonly string[]): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (
      !(await Promise.all(reviewIds.map((id) => eventStore.streamInfo(`review-${id}`)))).every(
        (s) => s.revision !== null,
      )
    ) {
      if (Date.now() > deadline) throw new Error('reviews were not opened in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await projected(app, REVIEWS, await eventStore.headPosition());
  }

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestAppWithClock(config, clock);
    eventStore = app.get(EVENT_STORE);
    tokens = await mintTokens(config, {
      auditor: { roles: ['auditor'], tenant: TENANT, subject: 'rev-1' },
      teamLead: { roles: ['team_lead'], tenant: TENANT, units: ['team-1'], subject: 'tl-1' },
      teamLead2: { roles: ['team_lead'], tenant: TENANT, units: ['team-2'], subject: 'tl-2' },
      deputy: { roles: ['deputy'], tenant: TENANT, units: ['team-1'], subject: 'dep-1' },
      areaHead: { roles: ['area_head'], tenant: TENANT, units: [AREA], subject: 'ah-1' },
      otherAreaHead: { roles: ['area_head'], tenant: TENANT, units: [OTHER_AREA], subject: 'ah-2' },
      management: { roles: ['management'], tenant: TENANT, subject: 'gf-1' },
      employee: { roles: ['employee'], tenant: TENANT, units: ['team-1'], subject: 'emp-1' },
      operator: { roles: ['operator'], tenant: TENANT, subject: 'op-1' },
      otherTenantAuditor: { roles: ['auditor'], tenant: 'jc-b', subject: 'rev-b' },
      otherTenantManagement: { roles: ['management'], tenant: 'jc-b', subject: 'gf-b' },
    });

    const organisation = await seed(app, organisationFacts, TENANT, [
      unitDefined(AREA, 'area', null),
      unitDefined(OTHER_AREA, 'area', null),
      unitDefined('team-1', 'team', AREA),
      unitDefined('team-2', 'team', AREA),
      unitDefined('team-l1', 'team', OTHER_AREA, { process: 'leistung' }),
      teamLeadAssigned('team-1', 'tl-1', 'dep-1'),
      teamLeadAssigned('team-2', 'tl-2', null),
    ]);
    await projected(app, ORGANISATION_UNITS, organisation);
    const questionnaire = await seed(app, questionnaireFacts, QUESTIONNAIRE, [
      {
        type: 'QuestionnaireVersionPublished',
        data: {
          questionnaireId: QUESTIONNAIRE,
          version: 1,
          title: 'Verlaufsbezogene Kundenbetrachtung',
          process: PROCESS,
          source: '003:62',
          sections: [
            {
              id: 's1',
              title: 'Integrationsprozess',
              questions: [
                question('q1', 'yes-no-na', true),
                question('q2', 'goal-directed', true),
                question('q3', 'text', false),
              ],
            },
          ],
          validFrom: '2026-01-01',
          reason: 'Weisung 2021',
        },
      },
    ]);
    await projected(app, QUESTIONNAIRES, questionnaire);

    programmeId = (
      await defineProgramme(app, as('areaHead'), {
        settings: {
          title: 'VKB Markt & Integration',
          areaId: AREA,
          customerProcess: PROCESS,
          questionnaireId: QUESTIONNAIRE,
          minimumCasesPerTeamLead: 2,
        },
        reason: 'Einführung nach Beschluss der Geschäftsleitung',
      })
    ).id;

    const imported = await http()
      .post(`/api/v1/programmes/${programmeId}/populations?month=2026-03&fileName=opds-2026-03.csv`)
      .set('Authorization', as('areaHead'))
      .set('Content-Type', 'text/csv')
      .send(populationCsv());
    expect(imported.status).toBe(201);
    const drawn = await http()
      .post(`/api/v1/programmes/${programmeId}/samples`)
      .set('Authorization', as('areaHead'))
      .send({ month: '2026-03' });
    expect(drawn.status).toBe(201);
    const samples = drawn.body.samples as { sampleId: string; teamId: string }[];
    const caseIds = async (sample: { sampleId: string }): Promise<string[]> => {
      const read = await http()
        .get(`/api/v1/programmes/${programmeId}/samples/${sample.sampleId}`)
        .set('Authorization', as('areaHead'))
        .set('X-Min-Position', String(drawn.body.position));
      expect(read.status).toBe(200);
      return (read.body.cases as { reviewId: string }[]).map((c) => c.reviewId);
    };
    const team1 = await caseIds(samples.find((s) => s.teamId === 'team-1')!);
    const team2 = await caseIds(samples.find((s) => s.teamId === 'team-2')!);
    await reviewsOpened([...team1, ...team2]);
    reviewId = team1[0]!;
    otherTeamReviewId = team2[0]!;

    // The team lead works through the review.
    const base = `/api/v1/reviews/${reviewId}`;
    clock.set('2026-03-10T09:00:00.000Z');
    await write('put', `${base}/answers`, {
      answers: [
        { questionId: 'q1', value: 'no' },
        { questionId: 'q2', value: 'not-goal-directed' },
        { questionId: 'q3', value: MARKERS.answer },
      ],
    });
    const defect = await write('post', `${base}/defects`, {
      questionId: 'q1',
      severity: 'serious',
      description: MARKERS.defect,
      financialLoss: false,
    });
    defectRevision = defect.body.revision;
    defectAt = '2026-03-10T10:00:00+01:00';
    clock.set('2026-03-12T09:00:00.000Z');
    await write('post', `${base}/completion`, { outcome: 'not-goal-directed', summary: MARKERS.summary });
    await write('post', `${base}/talks`, { date: '2026-03-12', employee: MARKERS.employee, outcome: MARKERS.talk });
    await projected(app, REVIEWS, lastPosition);
    const measure = await write('post', '/api/v1/teams/team-1/measures', {
      kind: 'feedback',
      scope: 'individual',
      owner: MARKERS.owner,
      description: MARKERS.measure,
      dueDate: '2026-04-30',
      reviewId,
    });
    measureId = measure.headers.location!.split('/').pop()!;
    await projected(app, MEASURES, lastPosition);
    clock.set('2026-03-20T09:00:00.000Z');
    await write('post', `/api/v1/measures/${measureId}/follow-ups`, { date: '2026-03-20', note: MARKERS.followUp });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  const historyOf = async (who: string, id = reviewId) => {
    const response = await get(who, `/api/v1/reviews/${id}/history`);
    expect(response.status).toBe(200);
    return response.body as { disclosure: string; events: HistoryEvent[]; streams: { streamId: string }[] };
  };

  it('lists every event of the review and its measure in global order, with metadata and lines', async () => {
    const history = await historyOf('auditor');
    expect(history.events.map((e) => e.type)).toEqual([
      'CaseSampled',
      'AnswersRecorded',
      'DefectRecorded',
      'ReviewCompleted',
      'TalkHeld',
      'MeasureAgreed',
      'MeasureFollowedUp',
    ]);
    const positions = history.events.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
    expect(history.streams.map((s) => s.streamId)).toEqual([`review-${reviewId}`, `measure-${measureId}`]);
    expect(history.events.map((e) => `${e.streamId}@${e.revision}`)).toEqual([
      ...[0, 1, 2, 3, 4].map((revision) => `review-${reviewId}@${revision}`),
      `measure-${measureId}@0`,
      `measure-${measureId}@1`,
    ]);

    const defect = history.events[2]!;
    expect(defect).toMatchObject({
      schemaVersion: 1,
      occurredAt: '2026-03-10T09:00:00.000Z',
      actor: { role: 'team_lead' },
      correlationId: expect.any(String),
      line: {
        de: 'Mangel erfasst: Frage q1, gravierend, § 15 SGB II (Kategorie beratung)',
        en: 'Defect recorded: question q1, serious, § 15 SGB II (category beratung)',
      },
    });
    expect(defect.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(history.events[3]!.line.de).toBe('Prüfung abgeschlossen: nicht zielgerichtet');
    expect(history.events[4]!.line.en).toBe('One-on-one talk held on 2026-03-12');
    expect(history.events[5]!.line.de).toBe(
      'Maßnahme vereinbart: Rückmeldung (einzeln), fällig 2026-04-30, entschieden als team_lead',
    );
    // The reactor opened the review in reaction to the draw: caused by the draw event, same correlation.
    const sampled = history.events[0]!;
    expect(sampled.line.de).toMatch(/^Fall gezogen \(Ziehung\): Stichprobe 2026-03, Team team-1/);
    expect(sampled.causationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sampled.actor.role).toBe('area_head');
  });

  it('shows auditors and area heads placeholders and actor pseudonyms, never clear personal data', async () => {
    for (const who of ['auditor', 'areaHead']) {
      const history = await historyOf(who);
      expect(history.disclosure).toBe('pseudonymised');
      expect(leaked(JSON.stringify(history))).toEqual([]);
      const [sampled, answers, defect] = history.events;
      expect(sampled!.data['caseRef']).toBe(`«verschlüsselt: review:${reviewId}#1»`);
      expect(answers!.data['answers']).toContainEqual({
        questionId: 'q3',
        answer: { kind: 'sealed', value: `«verschlüsselt: review:${reviewId}#3»` },
      });
      expect(sampled!.data['casePseudonym']).toBe(`«verschlüsselt: review:${reviewId}#2»`);
      expect(defect!.data['description']).toBe(`«verschlüsselt: review:${reviewId}#4»`);
      expect(history.events[5]!.data['owner']).toBe(`«verschlüsselt: measure:${measureId}#1»`);
      // The same person acted on each of the team lead's events: one stable pseudonym.
      const actors = new Set(history.events.slice(1, 5).map((e) => e.actor.user));
      expect(actors.size).toBe(1);
      expect([...actors][0]).toMatch(/^pseudonym:[a-z2-7]{32}$/);
    }
    // The same placeholders on every call: an auditor's notes stay valid.
    expect(JSON.stringify(await historyOf('auditor'))).toBe(JSON.stringify(await historyOf('areaHead')));
  });

  it('shows the team’s lead and management the opened values; a deputy outside an absence gets placeholders', async () => {
    for (const who of ['teamLead', 'management']) {
      const history = await historyOf(who);
      expect(history.disclosure).toBe('full');
      const text = JSON.stringify(history);
      for (const marker of Object.values(MARKERS)) expect(text).toContain(marker);
      expect(history.events[0]!.data['caseRef']).toMatch(new RegExp(`^team-1-${CASE_REF_MARK}\\d{6}$`));
      expect(history.events[2]!.actor.user).toBe('tl-1');
    }
    const deputy = await historyOf('deputy');
    expect(deputy.disclosure).toBe('pseudonymised');
    expect(leaked(JSON.stringify(deputy))).toEqual([]);
  });

  it('folds the review as of an earlier revision or instant, and that state differs from now', async () => {
    const asOf = (who: string, query: string) => get(who, `/api/v1/reviews/${reviewId}/as-of?${query}`);
    const now = await asOf('teamLead', 'revision=4');
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ aggregate: 'review', revision: 4, currentRevision: 4, eventsApplied: 5 });
    expect(now.body.state).toMatchObject({ status: 'completed', outcome: 'not-goal-directed' });

    const earlier = await asOf('teamLead', `revision=${defectRevision}`);
    expect(earlier.body).toMatchObject({ revision: defectRevision, eventsApplied: defectRevision + 1 });
    expect(earlier.body.state).toMatchObject({
      status: 'open',
      outcome: null,
      defects: { [Object.keys(earlier.body.state.defects)[0]!]: { severity: 'serious', withdrawn: false } },
      answers: { q3: { kind: 'sealed', value: MARKERS.answer } },
    });
    expect(earlier.body.state).not.toEqual(now.body.state);

    const byTime = await asOf('teamLead', `at=${encodeURIComponent(defectAt)}`);
    expect(byTime.status).toBe(200);
    expect(byTime.body).toMatchObject({ asOf: { at: '2026-03-10T09:00:00.000Z' }, revision: defectRevision });
    expect(byTime.body.state).toEqual(earlier.body.state);
    const beforeDraw = await asOf('teamLead', 'at=2026-03-01T00:00:00Z');
    expect(beforeDraw.body).toMatchObject({ revision: null, eventsApplied: 0, state: { status: 'absent' } });

    const auditor = await asOf('auditor', `revision=${defectRevision}`);
    expect(auditor.body.disclosure).toBe('pseudonymised');
    expect(auditor.body.state.answers.q3.value).toBe(`«verschlüsselt: review:${reviewId}#3»`);
    expect(leaked(JSON.stringify(auditor.body))).toEqual([]);

    for (const bad of ['', 'revision=1&at=2026-03-10T09:00:00Z', 'revision=-1', 'at=2026-03-10', 'revision=99'])
      expect((await asOf('auditor', bad)).status).toBe(400);
  });

  it('folds programmes and questionnaires as of an earlier revision', async () => {
    const revised = await http()
      .post(`/api/v1/programmes/${programmeId}/revisions`)
      .set('Authorization', as('areaHead'))
      .send({ changes: { title: 'VKB Markt & Integration 2026' }, reason: 'Prüffeststellung der Revision' });
    expect(revised.status).toBe(200);
    const first = await get('employee', `/api/v1/programmes/${programmeId}/as-of?revision=0`);
    expect(first.status).toBe(200);
    expect(first.body.state).toMatchObject({
      status: 'defined',
      revisions: 0,
      settings: { title: 'VKB Markt & Integration' },
    });
    const now = await get('auditor', `/api/v1/programmes/${programmeId}/as-of?revision=1`);
    expect(now.body.state).toMatchObject({ revisions: 1, settings: { title: 'VKB Markt & Integration 2026' } });

    const questionnaire = await get('auditor', `/api/v1/questionnaires/${QUESTIONNAIRE}/as-of?at=2026-03-10T09:00:00Z`);
    expect(questionnaire.status).toBe(200);
    expect(questionnaire.body.state).toMatchObject({
      status: 'published',
      versions: [{ version: 1, questionIds: ['q1', 'q2', 'q3'] }],
    });
    expect((await get('auditor', '/api/v1/questionnaires/unknown/as-of?revision=0')).status).toBe(404);
    expect((await get('otherTenantAuditor', `/api/v1/programmes/${programmeId}/as-of?revision=0`)).status).toBe(404);
    expect((await get('otherTenantAuditor', `/api/v1/questionnaires/${QUESTIONNAIRE}/as-of?revision=0`)).status).toBe(
      404,
    );
  });

  it('lists the month’s samples with fingerprint, seed and pseudonymous cases, recomputed and matching', async () => {
    const response = await get('auditor', '/api/v1/audit/samples?month=2026-03');
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ samples: 2, verified: 2, mismatched: 0 });
    for (const sample of response.body.samples) {
      expect(sample).toMatchObject({
        programmeId,
        month: '2026-03',
        algorithm: 'hmac-sha256-rank/v1',
        n: 2,
        verification: { matches: true, population: { matches: true }, cases: { matches: true }, mismatches: [] },
      });
      expect(sample.populationFingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(sample.seed).toMatch(/^[0-9a-f]{64}$/);
      expect(sample.verification.population.recomputedFingerprint).toBe(sample.populationFingerprint);
      expect(sample.cases).toHaveLength(2);
    }
    const listed = response.body.samples as { cases: { reviewId: string }[] }[];
    expect(listed.flatMap((s) => s.cases.map((c) => c.reviewId))).toContain(reviewId);
    expect(JSON.stringify(response.body)).not.toContain(CASE_REF_MARK);

    const otherArea = await get('otherAreaHead', '/api/v1/audit/samples?month=2026-03');
    expect(otherArea.body.samples).toEqual([]);
    expect((await get('areaHead', '/api/v1/audit/samples?month=2026-03')).body.summary.samples).toBe(2);
    expect((await get('auditor', '/api/v1/audit/samples?month=2026-02')).body.samples).toEqual([]);
    expect((await get('auditor', '/api/v1/audit/samples?month=2026-13')).status).toBe(400);
    expect((await get('otherTenantAuditor', '/api/v1/audit/samples?month=2026-03')).body.samples).toEqual([]);
  });

  it('exports one review as JSON and CSV files an auditor can keep', async () => {
    const json = await get('auditor', `/api/v1/reviews/${reviewId}/audit-export.json`);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toBe(`attachment; filename="pruefpfad-review-${reviewId}.json"`);
    const file = JSON.parse(json.text);
    expect(file).toMatchObject({
      format: 'pruefpfad/audit-export/v1',
      scope: { kind: 'review', reviewId },
      tenant: TENANT,
      exportedAt: '2026-03-20T09:00:00.000Z',
      exportedByRoles: ['auditor'],
    });
    expect(file.reviews).toHaveLength(1);
    expect(file.reviews[0].events).toHaveLength(7);
    expect(file.reviews[0].events[0].chain).toMatch(/^[0-9a-f]+$/);
    expect(leaked(json.text)).toEqual([]);

    const csv = await get('auditor', `/api/v1/reviews/${reviewId}/audit-export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatch(/^Prüfung \/ review;Position;/);
    expect(rows[3]).toContain('Mangel erfasst: Frage q1, gravierend, § 15 SGB II (Kategorie beratung)');
    expect(rows.slice(1).every((row) => row.startsWith(`${reviewId};`))).toBe(true);
    expect(leaked(csv.text)).toEqual([]);
  });

  it('exports a unit’s quarter with every review and its history, pseudonymised for auditors', async () => {
    const team = await get('auditor', '/api/v1/audit/exports/team-1/2026/Q1.json');
    expect(team.status).toBe(200);
    expect(team.headers['content-disposition']).toBe('attachment; filename="pruefpfad-team-1-2026-Q1.json"');
    const teamFile = JSON.parse(team.text) as { scope: unknown; reviews: { teamId: string; reviewId: string }[] };
    expect(teamFile.scope).toEqual({ kind: 'unit-quarter', unitId: 'team-1', year: 2026, quarter: 1 });
    expect(teamFile.reviews).toHaveLength(2);
    expect(teamFile.reviews.every((r) => r.teamId === 'team-1')).toBe(true);
    expect(teamFile.reviews.map((r) => r.reviewId)).toContain(reviewId);
    expect(leaked(team.text)).toEqual([]);

    const area = await get('auditor', `/api/v1/audit/exports/${AREA}/2026/Q1.csv`);
    expect(area.status).toBe(200);
    expect(area.headers['content-type']).toMatch(/^text\/csv/);
    const rows = area.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1);
    const reviewsInRows = new Set(rows.map((row) => row.split(';')[0]));
    expect(reviewsInRows.size).toBe(4);
    expect(reviewsInRows).toContain(otherTeamReviewId);
    // Four CaseSampled events plus the worked review's four further events and its measure's two.
    expect(rows).toHaveLength(4 + 4 + 2);
    expect(leaked(area.text)).toEqual([]);

    const teamLead = await get('teamLead', '/api/v1/audit/exports/team-1/2026/Q1.json');
    expect(teamLead.text).toContain(MARKERS.defect);
    const empty = await get('auditor', '/api/v1/audit/exports/team-1/2026/Q2.json');
    expect(JSON.parse(empty.text).reviews).toEqual([]);
    expect((await get('auditor', '/api/v1/audit/exports/team-1/2026/Q5.json')).status).toBe(400);
    expect((await get('auditor', '/api/v1/audit/exports/no-such-team/2026/Q1.json')).status).toBe(404);
  });

  it('answers 404 for another tenant’s or team’s review and 403 for roles without the action', async () => {
    const paths = [
      `/api/v1/reviews/${reviewId}/history`,
      `/api/v1/reviews/${reviewId}/as-of?revision=0`,
      `/api/v1/reviews/${reviewId}/audit-export.json`,
    ];
    for (const path of paths) {
      expect((await get('otherTenantAuditor', path)).status).toBe(404);
      expect((await get('otherTenantManagement', path)).status).toBe(404);
      expect((await get('teamLead2', path)).status).toBe(404);
      expect((await get('otherAreaHead', path)).status).toBe(404);
      expect((await get('employee', path)).status).toBe(403);
      expect((await get('operator', path)).status).toBe(403);
    }
    expect((await get('teamLead', `/api/v1/reviews/${otherTeamReviewId}/history`)).status).toBe(404);
    expect((await get('auditor', '/api/v1/reviews/0196b000-0000-7000-8000-00000000ffff/history')).status).toBe(404);
    expect((await get('otherAreaHead', `/api/v1/audit/exports/team-1/2026/Q1.json`)).status).toBe(404);
    expect((await get('teamLead2', `/api/v1/audit/exports/${AREA}/2026/Q1.json`)).status).toBe(404);
    expect((await get('teamLead', '/api/v1/audit/samples?month=2026-03')).status).toBe(403);
    expect((await get('operator', `/api/v1/programmes/${programmeId}/as-of?revision=0`)).status).toBe(403);
  });

  it('declares an action on every route that the policy table backs (authorisation matrix)', async () => {
    await expectAuthorizationMatrix(app, config, {
      tenant: TENANT,
      units: ['team-1', AREA],
      pathParams: { id: reviewId, unitId: 'team-1', year: '2026', quarter: '1', programmeId, teamId: 'team-1' },
    });
  }, 180_000);
});

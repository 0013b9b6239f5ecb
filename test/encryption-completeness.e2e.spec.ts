import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import request, { type Response } from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { createApp } from '../apps/api/src/bootstrap.js';
import { testClock, mintTokens } from './support/scenario-setup.js';
import { temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * Encryption completeness: a distinct marker goes into every personal field the API accepts, through
 * HTTP only (organisation, programme, population import, draw, supplementary draw, replacement, review
 * work, talk, team discussion, measures, team and legal reports). Each marker is then read back in clear
 * by someone entitled to it (so the test proves the marker really went in), and afterwards no byte of any
 * file in the data and key directories (event store, read store, key store, their WAL files, anything
 * else written there) nor any line the application logged may hold one, in its case or lower-cased.
 */
const TENANT = 'jc-enc';
const AREA = 'markt-integration';
const TEAM = 'team-1';
const CATALOGUE = 'verlaufsbezogene-kundenbetrachtung';
const PROCESS = 'allgemeine-vermittlung';
const MONTH = '2026-01';
const TAG = randomBytes(4).toString('hex').toUpperCase();
const marker = (field: string): string => `MARKER-${field}-${TAG}`;

const MARKERS = {
  leadName: marker('LEADNAME'),
  deputyName: marker('DEPUTYNAME'),
  programmeNote: marker('PROGRAMMENOTE'),
  answerText: marker('ANSWERTEXT'),
  correctedAnswer: marker('CORRECTEDANSWER'),
  lookBackReason: marker('LOOKBACK'),
  defectDescription: marker('DEFECT'),
  withdrawalReason: marker('DEFECTWITHDRAWAL'),
  summary: marker('SUMMARY'),
  correctionReason: marker('CORRECTION'),
  employee: marker('EMPLOYEE'),
  talkOutcome: marker('TALKOUTCOME'),
  teamNotes: marker('TEAMNOTES'),
  measureOwner: marker('MEASUREOWNER'),
  measureDescription: marker('MEASUREDESC'),
  followUpNote: marker('FOLLOWUP'),
  completionNote: marker('MEASUREDONE'),
  cancellationReason: marker('MEASURECANCEL'),
  assessment: marker('ASSESSMENT'),
  seriousDefect: marker('SERIOUSDEFECT'),
  legalNote: marker('LEGALNOTE'),
  legalAssessment: marker('LEGALASSESSMENT'),
  supplementaryReason: marker('SUPPLEMENTARY'),
  replacementReason: marker('REPLACEMENT'),
  backdatedReason: marker('BACKDATED'),
  voidReason: marker('VOID'),
} as const;
/**
 * Sealed reasons no endpoint shows in clear (the legal hold's, the delegation's: they stay in the record).
 * They are scanned for like the rest; that they went in shows in the commands' success.
 */
const WRITE_ONLY = {
  delegationReason: marker('DELEGATION'),
  legalHoldReason: marker('LEGALHOLD'),
  legalHoldLiftReason: marker('LEGALHOLDLIFT'),
} as const;
/** Case references: one marker per population row. */
const CASE_REFS = Array.from({ length: 8 }, (_, index) => marker(`CASEREF${index}`));

/** Every message the application logs, at every level, as text. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private capture(...values: unknown[]): void {
    this.lines.push(values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' '));
  }
  log(...values: unknown[]): void {
    this.capture(...values);
  }
  error(...values: unknown[]): void {
    this.capture(...values);
  }
  warn(...values: unknown[]): void {
    this.capture(...values);
  }
  debug(...values: unknown[]): void {
    this.capture(...values);
  }
  verbose(...values: unknown[]): void {
    this.capture(...values);
  }
  fatal(...values: unknown[]): void {
    this.capture(...values);
  }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

interface QuestionSpec {
  readonly id: string;
  readonly answerType: 'yes-no-na' | 'goal-directed' | 'text' | 'date';
  readonly mandatory: boolean;
}

function catalogueQuestions(): QuestionSpec[] {
  const file = new URL(`../catalogues/${CATALOGUE}.json`, import.meta.url);
  const catalogue = JSON.parse(fs.readFileSync(file, 'utf8')) as { sections: { questions: QuestionSpec[] }[] };
  return catalogue.sections.flatMap((section) => section.questions);
}

describe('encryption completeness: no personal field in clear in any store file or log line', () => {
  const dirs = temporaryDirectories();
  const clock = testClock('2025-12-15T09:00:00.000Z');
  const logger = new CapturingLogger();
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let position = 0;
  let programmeId = '';
  let sampleId = '';
  let reviewId = '';
  let replacedId = '';
  let measureId = '';
  let cancelledMeasureId = '';
  /** What was read back in clear, by field: every marker must show up here. */
  const readBack = new Map<string, unknown>();

  const call = async (
    method: 'get' | 'post' | 'put',
    url: string,
    who: string,
    expected: number,
    body?: string | object,
    contentType?: string,
  ): Promise<Response> => {
    let pending = request(app.getHttpServer())
      [method](url)
      .set('Authorization', `Bearer ${tokens[who]}`)
      .set('X-Min-Position', String(position));
    if (contentType !== undefined) pending = pending.set('Content-Type', contentType);
    const response = body === undefined ? await pending : await pending.send(body);
    if (response.status !== expected)
      throw new Error(`${method.toUpperCase()} ${url} as ${who}: ${response.status} ${JSON.stringify(response.body)}`);
    const at = (response.body as { position?: unknown } | undefined)?.position;
    if (typeof at === 'number') position = Math.max(position, at);
    return response;
  };
  const get = (url: string, who: string) => call('get', url, who, 200);

  /** Bounded polling for the reactor's work (reviews opened from a draw). */
  async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await probe();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error('condition not reached within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const worklist = async () =>
    (await get(`/api/v1/teams/${TEAM}/worklist?month=${MONTH}`, 'lead')).body as {
      items: { id: string; caseRef: string | null; status: string }[];
    };

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await createApp(config, { logger, projectionsInProcess: true, clock });
    await app.init();
    tokens = await mintTokens(config, {
      management: { roles: ['management'], tenant: TENANT, units: [], subject: 'gf-1' },
      areaHead: { roles: ['area_head'], tenant: TENANT, units: [AREA], subject: 'bl-1' },
      lead: { roles: ['team_lead'], tenant: TENANT, units: [TEAM], subject: 'tl-1' },
      legal: { roles: ['legal'], tenant: TENANT, units: [], subject: 'recht-1' },
      employee: { roles: ['employee'], tenant: TENANT, units: [TEAM], subject: 'sb-1' },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  it('takes a marker into every personal field over HTTP and reads each back in clear', async () => {
    // Organisation: the team lead's and deputy's names.
    await call('put', '/api/v1/organisation', 'management', 200, {
      areas: [
        {
          id: AREA,
          name: 'Markt & Integration',
          teams: [
            {
              id: TEAM,
              name: 'Team 1',
              process: PROCESS,
              lead: { subject: 'tl-1', name: MARKERS.leadName },
              deputy: { subject: 'dep-1', name: MARKERS.deputyName },
            },
          ],
        },
      ],
    });
    const organisation = await get('/api/v1/organisation', 'employee');
    readBack.set('leadName', organisation.body);

    const questionnaire = await call('post', '/api/v1/questionnaires', 'management', 201, {
      catalogue: CATALOGUE,
      validFrom: '2025-12-01',
    });
    const defined = await call('post', '/api/v1/programmes', 'areaHead', 201, {
      settings: {
        title: 'Kundenbetrachtung',
        areaId: AREA,
        customerProcess: PROCESS,
        questionnaireId: questionnaire.body.id,
        minimumCasesPerTeamLead: 3,
        drawnBy: 'area_head',
      },
      reason: 'Einführung',
      note: MARKERS.programmeNote,
    });
    programmeId = defined.body.id as string;
    readBack.set('programmeNote', (await get(`/api/v1/programmes/${programmeId}`, 'lead')).body);

    // The month's population, each case reference a marker; the draw opens three reviews.
    clock.set(`${MONTH}-02T09:00:00.000Z`);
    const csv = [
      'caseReference;customerGroup;team;process;needs16a',
      ...CASE_REFS.map((ref, index) => `${ref};${index % 2 === 0 ? 'u25' : 'ue25'};${TEAM};${PROCESS};nein`),
    ].join('\n');
    await call(
      'post',
      `/api/v1/programmes/${programmeId}/populations?month=${MONTH}`,
      'areaHead',
      201,
      `${csv}\n`,
      'text/csv',
    );
    const drawn = await call('post', `/api/v1/programmes/${programmeId}/samples`, 'areaHead', 201, { month: MONTH });
    sampleId = (drawn.body.samples as { sampleId: string }[])[0]!.sampleId;
    let list = await eventually(worklist, (body) => body.items.length >= 3);

    await call('post', `/api/v1/programmes/${programmeId}/samples/${sampleId}/supplementary`, 'areaHead', 201, {
      count: 1,
      reason: MARKERS.supplementaryReason,
    });
    list = await eventually(worklist, (body) => body.items.length >= 4);
    const [first, second] = [...list.items].sort((a, b) => (a.id < b.id ? -1 : 1));
    reviewId = first!.id;
    replacedId = second!.id;
    await call('post', `/api/v1/programmes/${programmeId}/samples/${sampleId}/replacements`, 'lead', 201, {
      reviewId: replacedId,
      reason: MARKERS.replacementReason,
    });
    list = await eventually(worklist, (body) => !body.items.some((item) => item.id === replacedId));
    readBack.set(
      'caseRefs',
      list.items.map((item) => item.caseRef),
    );
    readBack.set('replacementReason', (await get(`/api/v1/reviews/${replacedId}`, 'lead')).body);
    readBack.set('samplingReasons', (await get(`/api/v1/programmes/${programmeId}/samples/${sampleId}`, 'lead')).body);

    // December drawn late (a reason), then voided as a mistake (a reason): both sealed, both read back.
    const december = [
      'caseReference;customerGroup;team;process;needs16a',
      ...[1, 2, 3, 4].map((n) => `DEZ-${TAG}-${n};u25;${TEAM};${PROCESS};nein`),
    ].join('\n');
    await call(
      'post',
      `/api/v1/programmes/${programmeId}/populations?month=2025-12`,
      'areaHead',
      201,
      `${december}\n`,
      'text/csv',
    );
    const late = await call('post', `/api/v1/programmes/${programmeId}/samples`, 'areaHead', 201, {
      month: '2025-12',
      backdatedReason: MARKERS.backdatedReason,
    });
    const lateSample = (late.body.samples as { sampleId: string }[])[0]!.sampleId;
    await call('post', `/api/v1/programmes/${programmeId}/samples/${lateSample}/void`, 'areaHead', 201, {
      reason: MARKERS.voidReason,
    });
    readBack.set('lateSample', (await get(`/api/v1/programmes/${programmeId}/samples/${lateSample}`, 'lead')).body);

    // One review worked through: answers, look-back, defects, withdrawal, completion, correction.
    clock.set(`${MONTH}-12T09:00:00.000Z`);
    const questions = catalogueQuestions();
    const textQuestion = questions.find((question) => question.answerType === 'text' && question.mandatory)!;
    const answer = (question: QuestionSpec) => ({
      questionId: question.id,
      value:
        question.answerType === 'yes-no-na'
          ? question.id === 'vkb-kooperationsplan' || question.id === 'vkb-beratung-bedarf'
            ? 'no'
            : 'yes'
          : question.answerType === 'goal-directed'
            ? 'not-goal-directed'
            : question.answerType === 'date'
              ? '2025-02-01'
              : MARKERS.answerText,
    });
    const base = `/api/v1/reviews/${reviewId}`;
    await call('put', `${base}/answers`, 'lead', 200, {
      answers: questions.filter((question) => question.mandatory).map(answer),
    });
    await call('post', `${base}/look-back-extensions`, 'lead', 200, { months: 18, reason: MARKERS.lookBackReason });
    const serious = await call('post', `${base}/defects`, 'lead', 201, {
      questionId: 'vkb-kooperationsplan',
      severity: 'serious',
      financialLoss: false,
      description: MARKERS.defectDescription,
    });
    const withdrawn = await call('post', `${base}/defects`, 'lead', 201, {
      questionId: 'vkb-beratung-bedarf',
      severity: 'minor',
      financialLoss: false,
      description: 'ohne Personenbezug',
    });
    await call('post', `${base}/defects/${withdrawn.body.defectId}/withdrawal`, 'lead', 200, {
      reason: MARKERS.withdrawalReason,
    });
    await call('post', `${base}/completion`, 'lead', 200, { outcome: 'not-goal-directed', summary: MARKERS.summary });
    await call('post', `${base}/corrections`, 'lead', 201, {
      reason: MARKERS.correctionReason,
      answers: [{ questionId: textQuestion.id, value: MARKERS.correctedAnswer }],
    });
    clock.set(`${MONTH}-20T09:00:00.000Z`);
    await call('post', `${base}/talks`, 'lead', 201, {
      date: `${MONTH}-20`,
      employee: MARKERS.employee,
      outcome: MARKERS.talkOutcome,
    });
    await call('post', `${base}/team-discussions`, 'lead', 201, { date: `${MONTH}-20`, notes: MARKERS.teamNotes });
    readBack.set('review', (await get(base, 'lead')).body);
    readBack.set('history', (await get(`${base}/history`, 'lead')).body);

    // Measures: one followed up and completed, one cancelled.
    const agreed = await call('post', `/api/v1/teams/${TEAM}/measures`, 'lead', 201, {
      kind: 'feedback',
      scope: 'individual',
      owner: MARKERS.measureOwner,
      description: MARKERS.measureDescription,
      dueDate: '2026-02-15',
      reviewId,
    });
    measureId = agreed.body.id as string;
    await call('post', `/api/v1/measures/${measureId}/follow-ups`, 'lead', 200, {
      date: `${MONTH}-20`,
      note: MARKERS.followUpNote,
    });
    await call('post', `/api/v1/measures/${measureId}/completion`, 'lead', 200, { note: MARKERS.completionNote });
    const cancelled = await call('post', `/api/v1/teams/${TEAM}/measures`, 'lead', 201, {
      kind: 'instruction',
      scope: 'team',
      owner: 'Team 1',
      description: 'Hinweis',
      dueDate: '2026-02-15',
    });
    cancelledMeasureId = cancelled.body.id as string;
    await call('post', `/api/v1/measures/${cancelledMeasureId}/cancellation`, 'lead', 200, {
      reason: MARKERS.cancellationReason,
    });
    readBack.set('measures', (await get(`/api/v1/teams/${TEAM}/measures`, 'lead')).body);

    // After the quarter: the team report and the legal department's report.
    clock.set('2026-04-02T09:00:00.000Z');
    const draft = await get(`/api/v1/teams/${TEAM}/reports/2026/Q1/draft`, 'lead');
    const seriousDefects = (draft.body.seriousDefects as { category: string; legalNorm: string | null }[]).map(
      (defect) => ({ category: defect.category, legalNorm: defect.legalNorm, description: MARKERS.seriousDefect }),
    );
    expect(seriousDefects).toHaveLength(1);
    expect(serious.body.defectId).toEqual(expect.any(String));
    await call('post', `/api/v1/teams/${TEAM}/reports/2026/Q1/submission`, 'lead', 201, {
      assessment: MARKERS.assessment,
      seriousDefects,
    });
    await call('post', '/api/v1/legal/reports/2026/Q1', 'legal', 201, {
      findings: [
        {
          legalNorm: '§ 15 SGB II',
          reason: 'other',
          teamId: TEAM,
          upheldAppeals: 1,
          avoidable: 1,
          note: MARKERS.legalNote,
        },
      ],
      assessment: MARKERS.legalAssessment,
    });
    readBack.set('teamReport', (await get(`/api/v1/teams/${TEAM}/reports/2026/Q1`, 'lead')).body);
    readBack.set('legalReport', (await get('/api/v1/legal/reports/2026/Q1', 'legal')).body);

    // Reasons that are recorded sealed and shown to nobody in clear.
    await call('post', `/api/v1/organisation/teams/${TEAM}/delegations`, 'areaHead', 201, {
      from: '2026-04-06',
      to: '2026-04-10',
      toSubject: 'sb-2',
      reason: WRITE_ONLY.delegationReason,
    });
    await call('post', `/api/v1/reviews/${reviewId}/legal-hold`, 'legal', 201, { reason: WRITE_ONLY.legalHoldReason });
    await call('post', `/api/v1/reviews/${reviewId}/legal-hold/lift`, 'legal', 200, {
      reason: WRITE_ONLY.legalHoldLiftReason,
    });

    // Every marker went in: each reads back in clear for someone entitled to it.
    const everything = JSON.stringify([...readBack.values()]);
    const missing = [...Object.entries(MARKERS), ...CASE_REFS.map((ref) => [ref, ref] as const)]
      .filter(([, value]) => !everything.includes(value))
      .map(([field]) => field);
    // Four cases were drawn, one of them replaced: their references are in the worklist or the replaced review.
    const drawnRefs = CASE_REFS.filter((ref) => everything.includes(ref));
    expect(drawnRefs.length).toBeGreaterThanOrEqual(4);
    expect(missing.filter((field) => !field.startsWith('MARKER-CASEREF'))).toEqual([]);
  }, 120_000);

  it('leaves no marker in clear in any byte of the data and key directories', () => {
    const files = [...filesUnder(config.dataDir), ...filesUnder(config.keyDir)];
    const names = files.map((file) => path.basename(file));
    // The scan covers the stores and their WAL files (else it would pass on files it never saw).
    expect(names).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite', 'keys.sqlite']));
    expect(files.reduce((sum, file) => sum + fs.statSync(file).size, 0)).toBeGreaterThan(0);
    const found: string[] = [];
    for (const file of files) {
      const content = fs.readFileSync(file);
      for (const value of [...Object.values(MARKERS), ...Object.values(WRITE_ONLY), ...CASE_REFS])
        for (const variant of [value, value.toLowerCase()])
          if (content.includes(Buffer.from(variant, 'utf8'))) found.push(`${path.basename(file)}: ${variant}`);
    }
    expect(found).toEqual([]);
  });

  it('logs no marker', () => {
    expect(logger.lines.length).toBeGreaterThan(0);
    const text = logger.lines.join('\n').toLowerCase();
    const found = [...Object.values(MARKERS), ...Object.values(WRITE_ONLY), ...CASE_REFS].filter((value) =>
      text.includes(value.toLowerCase()),
    );
    expect(found).toEqual([]);
  });
});

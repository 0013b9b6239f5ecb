import { INDICATOR_MONTH_EVENT_SCHEMAS, INDICATOR_SETTINGS_EVENT_SCHEMAS } from '../indicators/indicators.events.js';
import { LEGAL_QUOTA_EVENT_SCHEMAS } from '../legal-quota/legal-quota.events.js';
import { MEASURE_EVENT_SCHEMAS } from '../measure/measure.events.js';
import { ORGANISATION_EVENT_SCHEMAS } from '../organisation/organisation.events.js';
import { PROGRAMME_EVENT_SCHEMAS, type ProgrammeSettings } from '../programme/programme.events.js';
import { QUESTIONNAIRE_EVENT_SCHEMAS, type Question } from '../questionnaire/questionnaire.events.js';
import { REPORT_EVENT_SCHEMAS, type ReportFigures } from '../report/report.events.js';
import { REVIEW_EVENT_SCHEMAS } from '../review/review.events.js';
import {
  AREA_RISK_ANALYSIS_EVENT_SCHEMAS,
  RISK_EVENT_SCHEMAS,
  RISK_MATRIX_EVENT_SCHEMAS,
} from '../risk/risk.events.js';
import { SAMPLING_EVENT_SCHEMAS } from '../sampling/sampling.events.js';
import type { Sealed } from '../shared/sealed.js';
import {
  RENDERED_EVENT_TYPES,
  genericHistoryLine,
  renderHistoryLine,
  type AuditedEvent,
  type AuditedEventType,
} from './history-lines.js';

/** Every event catalogue of libs/domain/src/<context>/<context>.events.ts, with schema versions. */
const CATALOGUES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  review: REVIEW_EVENT_SCHEMAS,
  measure: MEASURE_EVENT_SCHEMAS,
  programme: PROGRAMME_EVENT_SCHEMAS,
  questionnaire: QUESTIONNAIRE_EVENT_SCHEMAS,
  sampling: SAMPLING_EVENT_SCHEMAS,
  report: REPORT_EVENT_SCHEMAS,
  organisation: ORGANISATION_EVENT_SCHEMAS,
  legalQuota: LEGAL_QUOTA_EVENT_SCHEMAS,
  indicatorMonth: INDICATOR_MONTH_EVENT_SCHEMAS,
  indicatorSettings: INDICATOR_SETTINGS_EVENT_SCHEMAS,
  risk: RISK_EVENT_SCHEMAS,
  riskMatrix: RISK_MATRIX_EVENT_SCHEMAS,
  areaRiskAnalysis: AREA_RISK_ANALYSIS_EVENT_SCHEMAS,
};

const CLEAR_SECRET = 'Frau Schmidt, BG 123D456';
const sealed = (n: number): Sealed => ({ $sealed: 1, kid: 'review:r-1', iv: `iv${n}`, ct: 'Y3Q', tag: `tag${n}` });

const settings: ProgrammeSettings = {
  title: 'VKB Markt & Integration',
  areaId: 'mi',
  customerProcess: 'allgemeine-vermittlung',
  questionnaireId: 'vkb',
  minimumCasesPerTeamLead: 10,
  drawnBy: 'area_head',
  errorRatePolicy: { kind: 'none' },
  reviewDeadlineDaysAfterMonth: 0,
  retentionMonths: 12,
  reportDueDay: 15,
  deputiesReview: true,
  excludeDrawnWithinMonths: 6,
  coverageRule: 'least-recently-covered',
  section16aConsent: null,
};

const question: Question = {
  id: '4.2',
  text: 'Kooperationsplan aktuell?',
  answerType: 'yes-no-na',
  mandatory: true,
  category: 'beratung',
  legalNorm: '§ 15 SGB II',
  guidance: null,
};

const figures: ReportFigures = {
  reviewsSampled: 10,
  reviewsDone: 9,
  reviewsRequired: 30,
  goalDirected: 7,
  notGoalDirected: 2,
  defects: {},
  seriousDefects: 1,
  financialLossDefects: 0,
  talksHeld: 3,
  teamDiscussionsHeld: 1,
  measuresAgreed: 2,
  measuresCompleted: 1,
  measuresCancelled: 0,
  measuresOpen: 1,
  measuresOverdue: 0,
  asOf: '2026-03-31',
  programmes: [],
};

const drawnCase = { reviewId: 'r-9', token: 'tk-9', customerGroup: 'u25', rank: 0 };

/** One example per event type: the mapped type makes the compiler demand an entry for every type. */
const EXAMPLES: { readonly [Type in AuditedEventType]: Extract<AuditedEvent, { type: Type }>['data'] } = {
  CaseSampled: {
    reviewId: 'r-1',
    sampleId: 's-1',
    programmeId: 'p-1',
    areaId: 'mi',
    teamId: 'team-1',
    month: '2026-03',
    casePseudonym: { $sealed: 1, kid: 'review:r-1', iv: 'iv', ct: 'ps', tag: 'tag' },
    caseRef: sealed(1),
    customerGroup: 'u25',
    questionnaireId: 'vkb',
    questionnaireVersion: 1,
    deadline: '2026-03-31',
    origin: { kind: 'draw', replaces: null },
  },
  AnswersRecorded: {
    reviewId: 'r-1',
    answers: [
      { questionId: '4.1', answer: { kind: 'yes-no-na', value: 'yes' } },
      { questionId: '4.3', answer: { kind: 'sealed', value: sealed(2) } },
    ],
    asDeputy: true,
  },
  LookBackExtended: { reviewId: 'r-1', months: 18, reason: sealed(3) },
  DefectRecorded: {
    reviewId: 'r-1',
    defectId: 'd-1',
    questionId: '4.2',
    category: 'beratung',
    severity: 'serious',
    legalNorm: '§ 15 SGB II',
    description: sealed(4),
    financialLoss: false,
    asDeputy: false,
  },
  DefectWithdrawn: { reviewId: 'r-1', defectId: 'd-1', reason: sealed(5) },
  ReviewCompleted: {
    reviewId: 'r-1',
    outcome: 'not-goal-directed',
    summary: sealed(6),
    completedAt: '2026-03-20T09:00:00.000Z',
    completedOn: '2026-03-20',
    asDeputy: false,
  },
  ReviewCorrected: {
    reviewId: 'r-1',
    reason: sealed(7),
    outcome: 'goal-directed',
    answers: [],
    defects: [{ defectId: 'd-1', severity: 'minor', category: 'beratung', withdrawn: false }],
  },
  TalkHeld: { reviewId: 'r-1', date: '2026-03-21', employee: sealed(8), outcome: sealed(9), asDeputy: false },
  TeamDiscussionHeld: { reviewId: 'r-1', date: '2026-03-24', notes: null },
  ReviewWithdrawn: { reviewId: 'r-1', reason: sealed(20), replacedBy: 'r-2' },
  MeasureAgreed: {
    measureId: 'm-1',
    tenant: 'jc-a',
    areaId: 'mi',
    teamId: 'team-1',
    reviewId: 'r-1',
    kind: 'training',
    scope: 'team',
    owner: sealed(10),
    description: sealed(11),
    dueDate: '2026-04-30',
    agreedOn: '2026-03-21',
    decidedByRole: 'area_head',
  },
  MeasureFollowedUp: { measureId: 'm-1', date: '2026-04-10', note: sealed(12) },
  MeasureCompleted: { measureId: 'm-1', date: '2026-04-20', note: null },
  MeasureCancelled: { measureId: 'm-1', date: '2026-04-20', reason: sealed(13) },
  ProgrammeDefined: {
    programmeId: 'p-1',
    settings,
    reason: 'Einführung',
    note: null,
    definedAt: '2026-01-05T09:00:00.000Z',
  },
  ProgrammeRevised: {
    programmeId: 'p-1',
    revision: 1,
    changes: { minimumCasesPerTeamLead: 12 },
    reason: 'Risikobewertung Q1',
    staffCouncil: { date: '2026-03-01', outcome: 'agreed' },
    note: null,
    revisedAt: '2026-03-02T09:00:00.000Z',
  },
  QuestionnaireVersionPublished: {
    questionnaireId: 'vkb',
    version: 2,
    title: 'Verlaufsbezogene Kundenbetrachtung',
    process: 'allgemeine-vermittlung',
    source: '003:62',
    sections: [{ id: 's1', title: 'Integration', questions: [question, { ...question, id: '4.3' }] }],
    validFrom: '2026-04-01',
    reason: 'Überarbeitung',
  },
  RegionalQuestionsAdded: {
    questionnaireId: 'vkb',
    additionId: 'a-1',
    region: 'rd-nrw',
    questions: [question],
    validFrom: '2026-03-01',
    validTo: '2026-05-31',
    reason: 'Schwerpunkt',
  },
  PopulationImported: {
    populationId: 'pop-1',
    programmeId: 'p-1',
    month: '2026-03',
    rowCount: 80,
    fingerprint: 'ab'.repeat(32),
    source: { format: 'csv', fileName: 'opds.csv' },
  },
  PopulationImportCompleted: {
    populationId: 'pop-1',
    programmeId: 'p-1',
    month: '2026-03',
    rowCount: 50_000,
    chunks: 100,
    fingerprint: 'ab'.repeat(32),
  },
  PopulationRowsAdded: {
    populationId: 'pop-1',
    chunk: 0,
    rows: [
      {
        token: 'tk-1',
        caseRef: sealed(14),
        customerGroup: 'u25',
        teamId: 'team-1',
        process: 'allgemeine-vermittlung',
        needs16a: false,
      },
    ],
  },
  SampleDrawn: {
    sampleId: 's-1',
    programmeId: 'p-1',
    month: '2026-03',
    teamId: 'team-1',
    areaId: 'mi',
    populationId: 'pop-1',
    populationFingerprint: 'ab'.repeat(32),
    seed: 'cd'.repeat(32),
    algorithm: 'hmac-sha256-rank/v1',
    n: 1,
    eligible: 36,
    excluded: { recentlyDrawn: 0, section16a: 4 },
    coverage: { groups: ['u25'], covered: ['u25'], deferred: [], rule: 'least-recently-covered' },
    inputs: { recentlyDrawn: [], lastCovered: {}, section16aIncluded: false },
    cases: [drawnCase],
    questionnaireId: 'vkb',
    questionnaireVersion: 1,
    deadline: '2026-03-31',
    drawnByRole: 'area_head',
    backdated: null,
  },
  SupplementaryCasesDrawn: { sampleId: 's-1', teamId: 'team-1', reason: sealed(21), cases: [drawnCase] },
  CaseReplaced: {
    sampleId: 's-1',
    teamId: 'team-1',
    replacedReviewId: 'r-1',
    reason: sealed(22),
    replacement: drawnCase,
  },
  SampleVoided: { sampleId: 's-1', teamId: 'team-1', reason: sealed(23), reviewIds: ['r-1'] },
  PopulationReferencesDestroyed: {
    populationId: 'pop-1',
    programmeId: 'p-1',
    month: '2026-03',
    keptUntil: '2026-05-01',
  },
  ReportSubmitted: {
    reportId: 'jc-a-team-1-2026-Q1',
    kind: 'team',
    unitId: 'team-1',
    areaId: 'mi',
    year: 2026,
    quarter: 1,
    figures,
    seriousDefects: [{ category: 'beratung', legalNorm: '§ 15 SGB II', description: sealed(15) }],
    assessment: sealed(16),
    submittedAt: '2026-04-10T09:00:00.000Z',
    dueDate: '2026-04-15',
  },
  LegalReportSubmitted: {
    reportId: 'jc-a-legal-2026-Q1',
    kind: 'legal',
    unitId: 'legal',
    year: 2026,
    quarter: 1,
    nil: true,
    findings: [],
    assessment: null,
    submittedAt: '2026-04-10T09:00:00.000Z',
    dueDate: '2026-04-15',
  },
  UnitDefined: { unitId: 'team-1', kind: 'team', parentId: 'mi', name: 'Team 1', process: 'allgemeine-vermittlung' },
  UnitRevised: { unitId: 'team-1', kind: 'team', parentId: 'mi', name: 'Team Eins', process: null },
  TeamLeadAssigned: {
    teamId: 'team-1',
    leadSubject: 'tl-1',
    leadName: sealed(17),
    leadNameFingerprint: 'fp',
    deputySubject: 'dep-1',
    deputyName: null,
    deputyNameFingerprint: null,
    since: '2026-01-01',
  },
  AbsenceRecorded: {
    absenceId: 'abs-1',
    teamId: 'team-1',
    from: '2026-03-16',
    to: '2026-03-20',
    recordedByRole: 'team_lead',
  },
  AbsenceCancelled: { absenceId: 'abs-1', teamId: 'team-1' },
  DelegationApproved: {
    delegationId: 'del-1',
    teamId: 'team-1',
    toSubject: 'tl-2',
    from: '2026-03-01',
    to: '2026-03-31',
    reason: sealed(18),
  },
  LegalQuotaFiguresRecorded: {
    quotaId: 'jc-a-2026-02',
    month: '2026-02',
    rows: [
      {
        legalNorm: '§ 22 SGB II',
        teamId: 'team-1',
        settled: 40,
        upheldFully: 6,
        upheldPartly: 4,
        avoidable: { documentation: 1, 'application-of-law': 2, 'fact-finding': 0 },
      },
    ],
    recordedAt: '2026-03-02T09:00:00.000Z',
  },
  LegalQuotaFiguresCorrected: {
    quotaId: 'jc-a-2026-02',
    month: '2026-02',
    rows: [
      {
        legalNorm: '§ 22 SGB II',
        teamId: 'team-1',
        settled: 42,
        upheldFully: 6,
        upheldPartly: 4,
        avoidable: { documentation: 1, 'application-of-law': 2, 'fact-finding': 1 },
      },
    ],
    previousTotals: {
      settled: 40,
      upheld: 10,
      upheldFully: 6,
      upheldPartly: 4,
      avoidable: 3,
      avoidableByReason: { documentation: 1, 'application-of-law': 2, 'fact-finding': 0 },
    },
    reason: sealed(19),
    correctedAt: '2026-03-05T09:00:00.000Z',
  },
  RiskIdentified: {
    riskId: 'risk-1',
    tenant: 'jc-a',
    title: 'Fehlende Anhörung',
    description: 'Anhörungen fehlen',
    source: { kind: 'external-audit', auditor: 'bundesrechnungshof' },
    areaId: 'area-mi',
    process: 'Leistungsminderung',
    links: { defectCategories: [], trends: [], teamReports: [], measures: [] },
    identifiedOn: '2026-03-02',
    reason: 'Prüfbericht',
  },
  RiskAssessed: {
    riskId: 'risk-1',
    impact: 3,
    likelihood: 2,
    score: 6,
    aboveAppetite: true,
    damagePotential: false,
    matrixRevision: -1,
    assessedOn: '2026-03-31',
    reassessBy: '2026-06-30',
    reason: 'Quartalsbewertung',
  },
  RiskReassessed: {
    riskId: 'risk-1',
    previous: { impact: 4, likelihood: 2, score: 8 },
    impact: 3,
    likelihood: 2,
    score: 6,
    aboveAppetite: true,
    damagePotential: false,
    matrixRevision: -1,
    assessedOn: '2026-03-31',
    reassessBy: '2026-06-30',
    reason: 'Quartalsbewertung',
  },
  RiskTreatmentDecided: {
    riskId: 'risk-1',
    strategy: 'accept',
    decidedOn: '2026-03-31',
    measureIds: [],
    transferTo: null,
    recheckOn: '2026-06-30',
    againstAppetite: true,
    reason: 'hinnehmbar',
  },
  RiskClosed: { riskId: 'risk-1', closedOn: '2026-09-30', reason: 'Prozess entfallen' },
  RiskMatrixSet: {
    tenant: 'jc-a',
    matrix: {
      impact: [
        { level: 1, de: 'gering', en: 'low' },
        { level: 2, de: 'hoch', en: 'high' },
      ],
      likelihood: [
        { level: 1, de: 'selten', en: 'rare' },
        { level: 2, de: 'häufig', en: 'frequent' },
      ],
      appetite: { maxAcceptedScore: 2, alwaysTreatFromImpact: null },
    },
    decidedOn: '2026-01-05',
    reason: 'GF',
  },
  AreaRiskAnalysisConsolidated: {
    tenant: 'jc-a',
    areaId: 'area-mi',
    year: 2026,
    quarter: 1,
    teamReports: ['team-1-2026-Q1', 'team-2-2026-Q1'],
    riskIds: ['risk-1'],
    summary: 'Zusammenfassung',
    consolidatedOn: '2026-04-20',
    reason: 'Quartal',
  },
  IndicatorSettingsAgreed: {
    tenant: 'jc-a',
    areaId: 'mi',
    teamId: 'team-1',
    settings: { contactIntervalMonths: 3, counsellingSharePercent: 60, slotMinutes: 45 },
    reason: sealed(30),
    agreedByRole: 'team_lead',
  },
  IndicatorDataImported: {
    tenant: 'jc-a',
    areaId: 'mi',
    teamId: 'team-1',
    month: '2026-03',
    referenceDate: '2026-03-31',
    importNumber: 2,
    source: 'cases',
    rowCount: 120,
    fingerprint: 'f'.repeat(64),
    settings: { contactIntervalMonths: 6, counsellingSharePercent: 60, slotMinutes: 60 },
    figures: {
      firstConsultation: { eligible: 10, fulfilled: 9, excluded: 2 },
      counsellingContact: null,
      graduateManagement: null,
      counsellingCapacity: null,
    },
    reason: sealed(31),
    importedByRole: 'team_lead',
  },
  IndicatorRated: {
    teamId: 'team-1',
    month: '2026-03',
    indicator: 'graduate-management',
    rating: 'amber',
    importNumber: 1,
    comment: sealed(32),
    measureIds: ['m-1'],
    ratedByRole: 'team_lead',
  },
  TeamRiskProposed: {
    teamId: 'team-1',
    month: '2026-03',
    placement: {
      impact: 3,
      likelihood: 2,
      score: 6,
      aboveAppetite: true,
      damagePotential: false,
      impactLevels: 4,
      likelihoodLevels: 4,
    },
    reason: sealed(33),
    proposedByRole: 'team_lead',
  },
  TeamRiskRated: {
    teamId: 'team-1',
    month: '2026-03',
    placement: {
      impact: 3,
      likelihood: 2,
      score: 6,
      aboveAppetite: true,
      damagePotential: false,
      impactLevels: 4,
      likelihoodLevels: 4,
    },
    proposedByRole: 'team_lead',
    confirmedByRole: 'area_head',
  },
};

const catalogueEntries = Object.entries(CATALOGUES).flatMap(([context, schemas]) =>
  Object.entries(schemas).map(([type, schemaVersion]) => ({ context, type, schemaVersion })),
);

describe('history lines', () => {
  it('has a renderer for exactly the event types of every catalogue', () => {
    expect([...RENDERED_EVENT_TYPES].sort()).toEqual(catalogueEntries.map((entry) => entry.type).sort());
  });

  it.each(catalogueEntries)('renders $context event $type in German and English', ({ type, schemaVersion }) => {
    const data = EXAMPLES[type as AuditedEventType];
    expect(data).toBeDefined();
    const line = renderHistoryLine({ type, schemaVersion, data });
    const generic = genericHistoryLine(type, schemaVersion);
    expect(line.de).not.toEqual(generic.de);
    expect(line.en).not.toEqual(generic.en);
    expect(line.de).not.toEqual(line.en);
    for (const text of [line.de, line.en]) {
      expect(text).not.toMatch(/undefined|null|\[object Object\]/);
      // Sealed values never reach a line: neither their ciphertext nor their key ids.
      expect(text).not.toMatch(/review:r-1|tag\d|iv\d/);
    }
  });

  it('words a defect as the record does', () => {
    const line = renderHistoryLine({ type: 'DefectRecorded', schemaVersion: 1, data: EXAMPLES.DefectRecorded });
    expect(line.de).toMatch(/^Mangel erfasst: Frage 4\.2, gravierend, § 15 SGB II/);
    expect(line.en).toMatch(/^Defect recorded: question 4\.2, serious, § 15 SGB II/);
    const minorWithoutNorm = renderHistoryLine({
      type: 'DefectRecorded',
      schemaVersion: 1,
      data: { ...EXAMPLES.DefectRecorded, severity: 'minor', legalNorm: null, financialLoss: true, asDeputy: true },
    });
    expect(minorWithoutNorm.de).toBe(
      'Mangel erfasst: Frage 4.2, geringfügig, ohne Rechtsnorm (Kategorie beratung, finanzieller Schaden (VfV)) – als Stellvertretung',
    );
  });

  it('counts, dates and outcomes come from the event', () => {
    expect(renderHistoryLine({ type: 'AnswersRecorded', schemaVersion: 1, data: EXAMPLES.AnswersRecorded })).toEqual({
      de: 'Antworten erfasst: 2 Fragen (4.1, 4.3) – als Stellvertretung',
      en: 'Answers recorded: 2 questions (4.1, 4.3) – as deputy',
    });
    expect(renderHistoryLine({ type: 'ReviewCompleted', schemaVersion: 1, data: EXAMPLES.ReviewCompleted })).toEqual({
      de: 'Prüfung abgeschlossen: nicht zielgerichtet',
      en: 'Review completed: not goal-directed',
    });
    expect(renderHistoryLine({ type: 'MeasureAgreed', schemaVersion: 1, data: EXAMPLES.MeasureAgreed }).de).toBe(
      'Maßnahme vereinbart: Schulung (teamweit), fällig 2026-04-30, entschieden als area_head',
    );
    expect(
      renderHistoryLine({ type: 'LegalReportSubmitted', schemaVersion: 1, data: EXAMPLES.LegalReportSubmitted }).de,
    ).toBe('Bericht Recht 2026/Q1 eingereicht (Fehlanzeige)');
  });

  it('calls a supplementary draw an Ergänzungsstichprobe', () => {
    expect(
      renderHistoryLine({ type: 'SupplementaryCasesDrawn', schemaVersion: 1, data: EXAMPLES.SupplementaryCasesDrawn }),
    ).toEqual({
      de: 'Ergänzungsstichprobe gezogen: 1 Fall für Team team-1, mit Begründung',
      en: 'Supplementary draw: 1 case for team team-1, with a reason',
    });
    const sampled = renderHistoryLine({
      type: 'CaseSampled',
      schemaVersion: 1,
      data: { ...EXAMPLES.CaseSampled, origin: { kind: 'supplementary', replaces: null } },
    });
    expect(sampled.de).toMatch(/^Fall gezogen \(Ergänzungsstichprobe\)/);
    for (const { type, schemaVersion } of catalogueEntries) {
      const data = EXAMPLES[type as AuditedEventType];
      expect(renderHistoryLine({ type, schemaVersion, data }).de).not.toMatch(/nach(?:zieh|gezogen)/i);
    }
  });

  it("words a correction of the legal department's figures with before and after", () => {
    const line = renderHistoryLine({
      type: 'LegalQuotaFiguresCorrected',
      schemaVersion: 1,
      data: EXAMPLES.LegalQuotaFiguresCorrected,
    });
    expect(line.de).toBe(
      'Widerspruchszahlen 2026-02 korrigiert, mit Begründung: erledigt 40 → 42, Stattgaben 10 → 10, vermeidbar 3 → 4',
    );
  });

  it('renders the risk register with scores, appetite and re-check date', () => {
    expect(renderHistoryLine({ type: 'RiskReassessed', schemaVersion: 1, data: EXAMPLES.RiskReassessed }).de).toBe(
      'Risiko neu bewertet: 8 → 3 × 2 = 6, über der Risikobereitschaft; neu zu bewerten bis 2026-06-30 – Quartalsbewertung',
    );
    expect(
      renderHistoryLine({ type: 'RiskTreatmentDecided', schemaVersion: 1, data: EXAMPLES.RiskTreatmentDecided }).en,
    ).toBe('Risk strategy: accept, re-check on 2026-06-30, confirmed above the risk appetite – hinnehmbar');
  });

  it('gives an unknown type and malformed data the generic line', () => {
    expect(renderHistoryLine({ type: 'SomethingNew', schemaVersion: 3, data: { x: CLEAR_SECRET } })).toEqual({
      de: 'Ereignis SomethingNew (Schema 3)',
      en: 'Event SomethingNew (schema 3)',
    });
    expect(renderHistoryLine({ type: 'AnswersRecorded', schemaVersion: 1, data: {} })).toEqual(
      genericHistoryLine('AnswersRecorded', 1),
    );
    expect(renderHistoryLine({ type: 'DefectRecorded', schemaVersion: 1, data: null })).toEqual(
      genericHistoryLine('DefectRecorded', 1),
    );
    // Properties of Object.prototype are no renderers.
    expect(renderHistoryLine({ type: 'toString', schemaVersion: 1, data: {} })).toEqual(
      genericHistoryLine('toString', 1),
    );
  });
});

import type { IndicatorKind } from '../indicators/indicator-figures.js';
import type { IndicatorEvent, IndicatorRating } from '../indicators/indicators.events.js';
import type { LegalQuotaEvent, LegalQuotaTotals } from '../legal-quota/legal-quota.events.js';
import type { MeasureEvent, MeasureKind } from '../measure/measure.events.js';
import type { OrganisationEvent } from '../organisation/organisation.events.js';
import type { ProgrammeEvent } from '../programme/programme.events.js';
import type { QuestionnaireEvent, Section } from '../questionnaire/questionnaire.events.js';
import type { ReportEvent } from '../report/report.events.js';
import type { ReviewEvent, Severity } from '../review/review.events.js';
import type { AreaRiskAnalysisEvent, RiskEvent, RiskMatrixEvent, RiskStrategy } from '../risk/risk.events.js';
import type { PopulationEvent, SamplingEvent } from '../sampling/sampling.events.js';

/**
 * One human-readable line per event of the record, German first, English second (000:90: reviews,
 * findings, talks and measures are documented comprehensibly). Lines use only the events' clear fields:
 * sealed personal fields (case references, employees, free text) never reach a line, so the same line is
 * safe for every role. Unknown types (a newer catalogue, a foreign stream) and malformed data get a
 * generic line instead of failing the whole history.
 */
export interface HistoryLine {
  readonly de: string;
  readonly en: string;
}

export type AuditedEvent =
  | ReviewEvent
  | MeasureEvent
  | ProgrammeEvent
  | QuestionnaireEvent
  | PopulationEvent
  | SamplingEvent
  | ReportEvent
  | OrganisationEvent
  | LegalQuotaEvent
  | IndicatorEvent
  | RiskEvent
  | RiskMatrixEvent
  | AreaRiskAnalysisEvent;

export type AuditedEventType = AuditedEvent['type'];

type Renderers = {
  readonly [Type in AuditedEventType]: (data: Extract<AuditedEvent, { type: Type }>['data']) => HistoryLine;
};

const SEVERITY: Record<Severity, HistoryLine> = {
  minor: { de: 'geringfügig', en: 'minor' },
  serious: { de: 'gravierend', en: 'serious' },
};

const OUTCOME: Record<'goal-directed' | 'not-goal-directed', HistoryLine> = {
  'goal-directed': { de: 'zielgerichtet', en: 'goal-directed' },
  'not-goal-directed': { de: 'nicht zielgerichtet', en: 'not goal-directed' },
};

const MEASURE_KIND: Record<MeasureKind, HistoryLine> = {
  feedback: { de: 'Rückmeldung', en: 'feedback' },
  'individual-development': { de: 'individuelle Entwicklung', en: 'individual development' },
  instruction: { de: 'klargestellte Weisung', en: 'clarified instruction' },
  'process-change': { de: 'Prozessänderung', en: 'process change' },
  training: { de: 'Schulung', en: 'training' },
  qualification: { de: 'Qualifizierung', en: 'qualification' },
};

const INDICATOR_NAME: Record<IndicatorKind, HistoryLine> = {
  'first-consultation': { de: 'Erstberatung', en: 'first consultation' },
  'counselling-contact': { de: 'Beratungsaktivität', en: 'counselling contact' },
  'graduate-management': { de: 'Absolventenmanagement', en: 'graduate management' },
  'counselling-capacity': { de: 'Beratungskapazität', en: 'counselling capacity' },
};

const RATING: Record<IndicatorRating, HistoryLine> = {
  green: { de: 'grün', en: 'green' },
  amber: { de: 'gelb', en: 'amber' },
  red: { de: 'rot', en: 'red' },
};

const ORIGIN: Record<'draw' | 'supplementary' | 'replacement', HistoryLine> = {
  draw: { de: 'Ziehung', en: 'draw' },
  supplementary: { de: 'Ergänzungsstichprobe', en: 'supplementary draw' },
  replacement: { de: 'Ersatzfall', en: 'replacement' },
};

const UNIT_KIND: Record<'area' | 'team', HistoryLine> = {
  area: { de: 'Bereich', en: 'area' },
  team: { de: 'Team', en: 'team' },
};

const RISK_STRATEGY: Record<RiskStrategy, HistoryLine> = {
  accept: { de: 'hinnehmen', en: 'accept' },
  transfer: { de: 'übertragen', en: 'transfer' },
  avoid: { de: 'vermeiden', en: 'avoid' },
  reduce: { de: 'reduzieren', en: 'reduce' },
};

const deputy = (asDeputy: boolean | undefined): HistoryLine =>
  asDeputy === true ? { de: ' – als Stellvertretung', en: ' – as deputy' } : { de: '', en: '' };

const plural = (count: number, one: HistoryLine, many: HistoryLine): HistoryLine =>
  count === 1 ? { de: `1 ${one.de}`, en: `1 ${one.en}` } : { de: `${count} ${many.de}`, en: `${count} ${many.en}` };

const questionCount = (sections: readonly Section[]): number =>
  sections.reduce((sum, section) => sum + section.questions.length, 0);

const short = (hex: string): string => (hex.length > 12 ? `${hex.slice(0, 12)}…` : hex);

const RENDERERS: Renderers = {
  // ---- reviews -------------------------------------------------------------------------------------
  CaseSampled: (d) => {
    const replaces =
      d.origin.replaces === null
        ? { de: '', en: '' }
        : { de: ` für ${d.origin.replaces}`, en: ` for ${d.origin.replaces}` };
    return {
      de:
        `Fall gezogen (${ORIGIN[d.origin.kind].de}${replaces.de}): Stichprobe ${d.month}, Team ${d.teamId}, ` +
        `Kundengruppe ${d.customerGroup}, Fragebogen ${d.questionnaireId} v${d.questionnaireVersion}, fällig ${d.deadline}`,
      en:
        `Case sampled (${ORIGIN[d.origin.kind].en}${replaces.en}): sample ${d.month}, team ${d.teamId}, ` +
        `customer group ${d.customerGroup}, questionnaire ${d.questionnaireId} v${d.questionnaireVersion}, due ${d.deadline}`,
    };
  },
  AnswersRecorded: (d) => {
    const count = plural(d.answers.length, { de: 'Frage', en: 'question' }, { de: 'Fragen', en: 'questions' });
    const ids = d.answers.map((answer) => answer.questionId).join(', ');
    return {
      de: `Antworten erfasst: ${count.de} (${ids})${deputy(d.asDeputy).de}`,
      en: `Answers recorded: ${count.en} (${ids})${deputy(d.asDeputy).en}`,
    };
  },
  LookBackExtended: (d) => ({
    de: `Rückschau erweitert auf ${d.months} Monate, mit Begründung${deputy(d.asDeputy).de}`,
    en: `Look-back extended to ${d.months} months, with a reason${deputy(d.asDeputy).en}`,
  }),
  DefectRecorded: (d) => {
    const norm = d.legalNorm ?? { de: 'ohne Rechtsnorm', en: 'no legal norm' };
    const normDe = typeof norm === 'string' ? norm : norm.de;
    const normEn = typeof norm === 'string' ? norm : norm.en;
    const loss = d.financialLoss
      ? { de: ', finanzieller Schaden (VfV)', en: ', financial loss (VfV)' }
      : { de: '', en: '' };
    return {
      de: `Mangel erfasst: Frage ${d.questionId}, ${SEVERITY[d.severity].de}, ${normDe} (Kategorie ${d.category}${loss.de})${deputy(d.asDeputy).de}`,
      en: `Defect recorded: question ${d.questionId}, ${SEVERITY[d.severity].en}, ${normEn} (category ${d.category}${loss.en})${deputy(d.asDeputy).en}`,
    };
  },
  DefectWithdrawn: (d) => ({
    de: `Mangel ${d.defectId} zurückgenommen, mit Begründung${deputy(d.asDeputy).de}`,
    en: `Defect ${d.defectId} withdrawn, with a reason${deputy(d.asDeputy).en}`,
  }),
  ReviewCompleted: (d) => ({
    de: `Prüfung abgeschlossen: ${OUTCOME[d.outcome].de}${deputy(d.asDeputy).de}`,
    en: `Review completed: ${OUTCOME[d.outcome].en}${deputy(d.asDeputy).en}`,
  }),
  ReviewCorrected: (d) => {
    const outcome =
      d.outcome === null
        ? { de: 'Ergebnis unverändert', en: 'outcome unchanged' }
        : { de: `Ergebnis ${OUTCOME[d.outcome].de}`, en: `outcome ${OUTCOME[d.outcome].en}` };
    const answers = plural(d.answers.length, { de: 'Antwort', en: 'answer' }, { de: 'Antworten', en: 'answers' });
    const defects = plural(d.defects.length, { de: 'Mangel', en: 'defect' }, { de: 'Mängel', en: 'defects' });
    return {
      de: `Prüfung korrigiert: ${outcome.de}, ${answers.de}, ${defects.de} geändert${deputy(d.asDeputy).de}`,
      en: `Review corrected: ${outcome.en}, ${answers.en}, ${defects.en} changed${deputy(d.asDeputy).en}`,
    };
  },
  TalkHeld: (d) => ({
    de: `Vier-Augen-Gespräch geführt am ${d.date}${deputy(d.asDeputy).de}`,
    en: `One-on-one talk held on ${d.date}${deputy(d.asDeputy).en}`,
  }),
  TeamDiscussionHeld: (d) => ({
    de: `Im Team anonymisiert besprochen am ${d.date}${deputy(d.asDeputy).de}`,
    en: `Discussed anonymised in the team on ${d.date}${deputy(d.asDeputy).en}`,
  }),
  ReviewWithdrawn: (d) => ({
    de:
      d.replacedBy === null
        ? 'Prüfung zurückgezogen, weil die Stichprobe aufgehoben wurde, mit Begründung'
        : `Prüfung zurückgezogen, Fall ersetzt durch ${d.replacedBy}, mit Begründung`,
    en:
      d.replacedBy === null
        ? 'Review withdrawn because its sample was voided, with a reason'
        : `Review withdrawn, case replaced by ${d.replacedBy}, with a reason`,
  }),

  // ---- measures ------------------------------------------------------------------------------------
  MeasureAgreed: (d) => {
    const scope = d.scope === 'team' ? { de: 'teamweit', en: 'team-wide' } : { de: 'einzeln', en: 'individual' };
    return {
      de: `Maßnahme vereinbart: ${MEASURE_KIND[d.kind].de} (${scope.de}), fällig ${d.dueDate}, entschieden als ${d.decidedByRole}`,
      en: `Measure agreed: ${MEASURE_KIND[d.kind].en} (${scope.en}), due ${d.dueDate}, decided as ${d.decidedByRole}`,
    };
  },
  MeasureFollowedUp: (d) => ({
    de: `Maßnahme nachgehalten am ${d.date}`,
    en: `Measure followed up on ${d.date}`,
  }),
  MeasureCompleted: (d) => ({
    de: `Maßnahme abgeschlossen am ${d.date}`,
    en: `Measure completed on ${d.date}`,
  }),
  MeasureCancelled: (d) => ({
    de: `Maßnahme abgebrochen am ${d.date}, mit Begründung`,
    en: `Measure cancelled on ${d.date}, with a reason`,
  }),

  // ---- programmes ----------------------------------------------------------------------------------
  ProgrammeDefined: (d) => ({
    de:
      `Prüfplan festgelegt: ${d.settings.title}, Bereich ${d.settings.areaId}, mindestens ` +
      `${d.settings.minimumCasesPerTeamLead} Fälle je Teamleitung und Monat – Grund: ${d.reason}`,
    en:
      `Programme defined: ${d.settings.title}, area ${d.settings.areaId}, at least ` +
      `${d.settings.minimumCasesPerTeamLead} cases per team lead and month – reason: ${d.reason}`,
  }),
  ProgrammeRevised: (d) => {
    const changed = Object.keys(d.changes).join(', ');
    const council =
      d.staffCouncil === null
        ? { de: '', en: '' }
        : {
            de: `; Personalrat ${d.staffCouncil.outcome === 'agreed' ? 'zugestimmt' : 'angehört'} am ${d.staffCouncil.date}`,
            en: `; staff council ${d.staffCouncil.outcome === 'agreed' ? 'agreed' : 'consulted'} on ${d.staffCouncil.date}`,
          };
    return {
      de: `Prüfplan geändert (Revision ${d.revision}): ${changed} – Grund: ${d.reason}${council.de}`,
      en: `Programme revised (revision ${d.revision}): ${changed} – reason: ${d.reason}${council.en}`,
    };
  },

  // ---- questionnaires ------------------------------------------------------------------------------
  QuestionnaireVersionPublished: (d) => {
    const count = plural(questionCount(d.sections), { de: 'Frage', en: 'question' }, { de: 'Fragen', en: 'questions' });
    return {
      de: `Fragebogen ${d.questionnaireId} Version ${d.version} veröffentlicht („${d.title}“): ${count.de}, gültig ab ${d.validFrom}`,
      en: `Questionnaire ${d.questionnaireId} version ${d.version} published ("${d.title}"): ${count.en}, valid from ${d.validFrom}`,
    };
  },
  RegionalQuestionsAdded: (d) => {
    const count = plural(d.questions.length, { de: 'Frage', en: 'question' }, { de: 'Fragen', en: 'questions' });
    return {
      de: `Regionale Zusatzfragen (${d.region}) zu ${d.questionnaireId}: ${count.de}, gültig ${d.validFrom} bis ${d.validTo}`,
      en: `Regional questions (${d.region}) added to ${d.questionnaireId}: ${count.en}, valid ${d.validFrom} to ${d.validTo}`,
    };
  },

  // ---- sampling ------------------------------------------------------------------------------------
  PopulationImported: (d) => ({
    de: `Grundgesamtheit ${d.month} importiert: ${d.rowCount} Fälle, Fingerabdruck ${short(d.fingerprint)}`,
    en: `Population ${d.month} imported: ${d.rowCount} cases, fingerprint ${short(d.fingerprint)}`,
  }),
  PopulationRowsAdded: (d) => ({
    de: `Grundgesamtheit, Teil ${d.chunk}: ${d.rows.length} Fälle`,
    en: `Population, part ${d.chunk}: ${d.rows.length} cases`,
  }),
  PopulationImportCompleted: (d) => ({
    de: `Import der Grundgesamtheit ${d.month} abgeschlossen: ${d.rowCount} Fälle in ${d.chunks} Teilen, Fingerabdruck ${short(d.fingerprint)}`,
    en: `Population ${d.month} import completed: ${d.rowCount} cases in ${d.chunks} parts, fingerprint ${short(d.fingerprint)}`,
  }),
  SampleDrawn: (d) => ({
    de:
      `Stichprobe ${d.month} gezogen: Team ${d.teamId}, ${d.cases.length} von ${d.eligible} Fällen (mindestens ${d.n}), ` +
      `Grundgesamtheit ${short(d.populationFingerprint)}, Seed ${short(d.seed)}` +
      (d.backdated === null ? '' : `; nachträglich am ${d.backdated.drawnOn}, mit Begründung`),
    en:
      `Sample ${d.month} drawn: team ${d.teamId}, ${d.cases.length} of ${d.eligible} cases (at least ${d.n}), ` +
      `population ${short(d.populationFingerprint)}, seed ${short(d.seed)}` +
      (d.backdated === null ? '' : `; back-dated on ${d.backdated.drawnOn}, with a reason`),
  }),
  SupplementaryCasesDrawn: (d) => {
    const count = plural(d.cases.length, { de: 'Fall', en: 'case' }, { de: 'Fälle', en: 'cases' });
    return {
      de: `Ergänzungsstichprobe gezogen: ${count.de} für Team ${d.teamId}, mit Begründung`,
      en: `Supplementary draw: ${count.en} for team ${d.teamId}, with a reason`,
    };
  },
  SampleVoided: (d) => {
    const count = plural(d.reviewIds.length, { de: 'Prüfung', en: 'review' }, { de: 'Prüfungen', en: 'reviews' });
    return {
      de: `Stichprobe von Team ${d.teamId} aufgehoben, mit Begründung: ${count.de} zurückgezogen`,
      en: `Sample of team ${d.teamId} voided, with a reason: ${count.en} withdrawn`,
    };
  },
  PopulationReferencesDestroyed: (d) => ({
    de: `Fallnummern der Grundgesamtheit ${d.month} nach Fristablauf (${d.keptUntil}) gelöscht; Ziehungen bleiben prüfbar`,
    en: `Case references of population ${d.month} destroyed after their window (${d.keptUntil}); draws stay verifiable`,
  }),
  CaseReplaced: (d) => ({
    de: `Fall ersetzt: Prüfung ${d.replacedReviewId} durch ${d.replacement.reviewId}, mit Begründung`,
    en: `Case replaced: review ${d.replacedReviewId} by ${d.replacement.reviewId}, with a reason`,
  }),

  // ---- reports -------------------------------------------------------------------------------------
  ReportSubmitted: (d) => ({
    de: `Quartalsbericht ${d.year}/Q${d.quarter} von ${d.unitId} eingereicht (fällig ${d.dueDate}), ${d.figures.reviewsDone} Prüfungen`,
    en: `Quarterly report ${d.year}/Q${d.quarter} of ${d.unitId} submitted (due ${d.dueDate}), ${d.figures.reviewsDone} reviews`,
  }),
  LegalReportSubmitted: (d) => ({
    de: `Bericht Recht ${d.year}/Q${d.quarter} eingereicht${d.nil ? ' (Fehlanzeige)' : `: ${d.findings.length} Feststellungen`}`,
    en: `Legal report ${d.year}/Q${d.quarter} submitted${d.nil ? ' (nil report)' : `: ${d.findings.length} findings`}`,
  }),

  // ---- legal department's quota (001:252–280) -------------------------------------------------------
  LegalQuotaFiguresRecorded: (d) => {
    const t = quotaTotals(d.rows);
    return {
      de: `Widerspruchszahlen ${d.month} erfasst: ${t.settled} erledigt, ${t.upheld} Stattgaben, ${t.avoidable} vermeidbar (${d.rows.length} Zeilen)`,
      en: `Appeal figures ${d.month} recorded: ${t.settled} settled, ${t.upheld} upheld, ${t.avoidable} avoidable (${d.rows.length} rows)`,
    };
  },
  LegalQuotaFiguresCorrected: (d) => {
    const t = quotaTotals(d.rows);
    const p: LegalQuotaTotals = d.previousTotals;
    return {
      de: `Widerspruchszahlen ${d.month} korrigiert, mit Begründung: erledigt ${p.settled} → ${t.settled}, Stattgaben ${p.upheld} → ${t.upheld}, vermeidbar ${p.avoidable} → ${t.avoidable}`,
      en: `Appeal figures ${d.month} corrected, with a reason: settled ${p.settled} → ${t.settled}, upheld ${p.upheld} → ${t.upheld}, avoidable ${p.avoidable} → ${t.avoidable}`,
    };
  },

  // ---- monthly team indicators (004:100) --------------------------------------------------------------
  IndicatorSettingsAgreed: (d) => ({
    de: `Teamvereinbarung Kennzahlen ${d.teamId}: Kontakt alle ${d.settings.contactIntervalMonths} Monate, ${d.settings.counsellingSharePercent} % Beratungszeit, Termine zu ${d.settings.slotMinutes} Minuten`,
    en: `Indicator agreement of ${d.teamId}: contact every ${d.settings.contactIntervalMonths} months, ${d.settings.counsellingSharePercent} % counselling time, ${d.settings.slotMinutes}-minute slots`,
  }),
  IndicatorDataImported: (d) => ({
    de: `Kennzahlen ${d.month} von ${d.teamId} importiert (Stichtag ${d.referenceDate}, ${d.source === 'cases' ? 'Fallzeilen' : 'fertige Zahlen'}, ${d.rowCount} Zeilen)${d.importNumber > 1 ? `, Ersatz Nr. ${d.importNumber} mit Begründung` : ''}`,
    en: `Indicators ${d.month} of ${d.teamId} imported (reference date ${d.referenceDate}, ${d.source === 'cases' ? 'case rows' : 'ready counts'}, ${d.rowCount} rows)${d.importNumber > 1 ? `, replacement no. ${d.importNumber} with a reason` : ''}`,
  }),
  IndicatorRated: (d) => ({
    de: `Kennzahl ${INDICATOR_NAME[d.indicator].de} ${d.month} bewertet: ${RATING[d.rating].de}${d.measureIds.length > 0 ? `, ${d.measureIds.length} Maßnahme(n) verknüpft` : ''}`,
    en: `Indicator ${INDICATOR_NAME[d.indicator].en} ${d.month} rated: ${RATING[d.rating].en}${d.measureIds.length > 0 ? `, ${d.measureIds.length} measure(s) linked` : ''}`,
  }),
  TeamRiskProposed: (d) => ({
    de: `Risikobewertung ${d.month} von ${d.teamId} vorgeschlagen (${d.proposedByRole}): Auswirkung ${d.placement.impact}, Wahrscheinlichkeit ${d.placement.likelihood}${d.placement.aboveAppetite ? ', über der Risikobereitschaft' : ''}`,
    en: `Risk rating ${d.month} of ${d.teamId} proposed (${d.proposedByRole}): impact ${d.placement.impact}, likelihood ${d.placement.likelihood}${d.placement.aboveAppetite ? ', above appetite' : ''}`,
  }),
  TeamRiskRated: (d) => ({
    de: `Risiko ${d.month} von ${d.teamId} gemeinsam bewertet (${d.proposedByRole} und ${d.confirmedByRole}): Auswirkung ${d.placement.impact}, Wahrscheinlichkeit ${d.placement.likelihood}`,
    en: `Risk ${d.month} of ${d.teamId} rated jointly (${d.proposedByRole} and ${d.confirmedByRole}): impact ${d.placement.impact}, likelihood ${d.placement.likelihood}`,
  }),

  // ---- organisation --------------------------------------------------------------------------------
  UnitDefined: (d) => ({
    de: `Einheit angelegt: ${UNIT_KIND[d.kind].de} ${d.unitId} („${d.name}“)`,
    en: `Unit defined: ${UNIT_KIND[d.kind].en} ${d.unitId} ("${d.name}")`,
  }),
  UnitRevised: (d) => ({
    de: `Einheit geändert: ${UNIT_KIND[d.kind].de} ${d.unitId} („${d.name}“)`,
    en: `Unit revised: ${UNIT_KIND[d.kind].en} ${d.unitId} ("${d.name}")`,
  }),
  TeamLeadAssigned: (d) => ({
    de: `Teamleitung für ${d.teamId} zugeordnet ab ${d.since}${d.deputySubject === null ? '' : ', mit Stellvertretung'}`,
    en: `Team lead of ${d.teamId} assigned from ${d.since}${d.deputySubject === null ? '' : ', with a deputy'}`,
  }),
  AbsenceRecorded: (d) => ({
    de: `Abwesenheit der Teamleitung von ${d.teamId} erfasst: ${d.from} bis ${d.to}`,
    en: `Absence of the team lead of ${d.teamId} recorded: ${d.from} to ${d.to}`,
  }),
  AbsenceCancelled: (d) => ({
    de: `Abwesenheit ${d.absenceId} der Teamleitung von ${d.teamId} aufgehoben`,
    en: `Absence ${d.absenceId} of the team lead of ${d.teamId} cancelled`,
  }),
  DelegationApproved: (d) => ({
    de: `Übertragung der Fachaufsicht für ${d.teamId} genehmigt: ${d.from} bis ${d.to}`,
    en: `Delegation of supervision for ${d.teamId} approved: ${d.from} to ${d.to}`,
  }),
  // ---- risk register (001:107–125): risks concern processes, never persons ---------------------------
  RiskIdentified: (d) => ({
    de: `Risiko „${d.title}“ erfasst (Quelle: ${d.source.kind}${d.source.auditor ? `, ${d.source.auditor}` : ''}; ${d.areaId ?? 'Jobcenter'}, ${d.process}) – ${d.reason}`,
    en: `Risk "${d.title}" identified (source: ${d.source.kind}${d.source.auditor ? `, ${d.source.auditor}` : ''}; ${d.areaId ?? 'Jobcenter'}, ${d.process}) – ${d.reason}`,
  }),
  RiskAssessed: (d) => ({
    de: `Risiko bewertet: Schadensausmaß ${d.impact} × Eintrittswahrscheinlichkeit ${d.likelihood} = ${d.score}${d.aboveAppetite ? ', über der Risikobereitschaft' : ''}; neu zu bewerten bis ${d.reassessBy} – ${d.reason}`,
    en: `Risk assessed: impact ${d.impact} × likelihood ${d.likelihood} = ${d.score}${d.aboveAppetite ? ', above the risk appetite' : ''}; reassess by ${d.reassessBy} – ${d.reason}`,
  }),
  RiskReassessed: (d) => ({
    de: `Risiko neu bewertet: ${d.previous.score} → ${d.impact} × ${d.likelihood} = ${d.score}${d.aboveAppetite ? ', über der Risikobereitschaft' : ''}; neu zu bewerten bis ${d.reassessBy} – ${d.reason}`,
    en: `Risk reassessed: ${d.previous.score} → ${d.impact} × ${d.likelihood} = ${d.score}${d.aboveAppetite ? ', above the risk appetite' : ''}; reassess by ${d.reassessBy} – ${d.reason}`,
  }),
  RiskTreatmentDecided: (d) => ({
    de: `Risikostrategie: ${RISK_STRATEGY[d.strategy].de}${d.recheckOn === null ? '' : `, Überprüfung am ${d.recheckOn}`}${d.measureIds.length > 0 ? `, ${d.measureIds.length} Maßnahme(n)` : ''}${d.againstAppetite ? ', über der Risikobereitschaft bestätigt' : ''} – ${d.reason}`,
    en: `Risk strategy: ${RISK_STRATEGY[d.strategy].en}${d.recheckOn === null ? '' : `, re-check on ${d.recheckOn}`}${d.measureIds.length > 0 ? `, ${d.measureIds.length} measure(s)` : ''}${d.againstAppetite ? ', confirmed above the risk appetite' : ''} – ${d.reason}`,
  }),
  RiskClosed: (d) => ({ de: `Risiko geschlossen – ${d.reason}`, en: `Risk closed – ${d.reason}` }),
  RiskMatrixSet: (d) => ({
    de: `Risikomatrix ${d.matrix.impact.length} × ${d.matrix.likelihood.length} festgelegt, Risikobereitschaft bis Wert ${d.matrix.appetite.maxAcceptedScore} – ${d.reason}`,
    en: `Risk matrix ${d.matrix.impact.length} × ${d.matrix.likelihood.length} set, risk appetite up to score ${d.matrix.appetite.maxAcceptedScore} – ${d.reason}`,
  }),
  AreaRiskAnalysisConsolidated: (d) => ({
    de: `Risikoanalyse ${d.areaId} ${d.year}-Q${d.quarter} aus ${d.teamReports.length} Teambericht(en) zusammengeführt – ${d.reason}`,
    en: `Risk analysis ${d.areaId} ${d.year}-Q${d.quarter} consolidated from ${d.teamReports.length} team report(s) – ${d.reason}`,
  }),
};

/** Totals of a quota month's rows (recomputed here: the domain's arithmetic module stays out of this file's imports). */
function quotaTotals(rows: LegalQuotaEvent['data']['rows']): { settled: number; upheld: number; avoidable: number } {
  let settled = 0;
  let upheld = 0;
  let avoidable = 0;
  for (const row of rows) {
    settled += row.settled;
    upheld += row.upheldFully + row.upheldPartly;
    avoidable += row.avoidable.documentation + row.avoidable['application-of-law'] + row.avoidable['fact-finding'];
  }
  return { settled, upheld, avoidable };
}

/** The types with their own line (every type of every context's event catalogue). */
export const RENDERED_EVENT_TYPES: readonly string[] = Object.keys(RENDERERS);

export function genericHistoryLine(type: string, schemaVersion: number): HistoryLine {
  return {
    de: `Ereignis ${type} (Schema ${schemaVersion})`,
    en: `Event ${type} (schema ${schemaVersion})`,
  };
}

function hasRenderer(type: string): type is AuditedEventType {
  return Object.prototype.hasOwnProperty.call(RENDERERS, type);
}

/** The line of one event: its type's renderer, or the generic line (unknown type or malformed data). */
export function renderHistoryLine(event: {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}): HistoryLine {
  if (!hasRenderer(event.type)) return genericHistoryLine(event.type, event.schemaVersion);
  const render = RENDERERS[event.type] as (data: unknown) => HistoryLine;
  try {
    return render(event.data);
  } catch {
    return genericHistoryLine(event.type, event.schemaVersion);
  }
}

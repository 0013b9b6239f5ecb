import type { Texts } from '../../i18n';

/** The shapes the risk register's API answers with (apps/api/src/risks), as far as the screens read them. */

export const RISK_SOURCES = [
  'supervision',
  'external-audit',
  'hospitation',
  'data-quality',
  'it-analysis',
  'complaints',
  'new-or-changed-tasks',
] as const;
export type RiskSourceKind = (typeof RISK_SOURCES)[number];

export const EXTERNAL_AUDITORS = ['bundesrechnungshof', 'interne-revision', 'rechnungspruefungsamt'] as const;
export type ExternalAuditor = (typeof EXTERNAL_AUDITORS)[number];

export const RISK_STRATEGIES = ['reduce', 'transfer', 'avoid', 'accept'] as const;
export type RiskStrategy = (typeof RISK_STRATEGIES)[number];

export interface Label {
  readonly de: string;
  readonly en: string;
}

export interface RiskLevel extends Label {
  readonly level: number;
}

export interface RiskMatrix {
  readonly impact: readonly RiskLevel[];
  readonly likelihood: readonly RiskLevel[];
  readonly appetite: { readonly maxAcceptedScore: number; readonly alwaysTreatFromImpact: number | null };
}

export interface MatrixInForce {
  readonly matrix: RiskMatrix;
  /** -1: the default matrix (nobody set one yet). */
  readonly revision: number;
  readonly decidedOn: string | null;
}

export interface RiskSource {
  readonly kind: RiskSourceKind;
  readonly auditor?: ExternalAuditor;
  readonly reference?: string;
}

export interface RiskLinks {
  readonly defectCategories: readonly string[];
  readonly trends: readonly string[];
  readonly teamReports: readonly string[];
  readonly measures: readonly string[];
}

export interface Assessment {
  readonly impact: number;
  readonly likelihood: number;
  readonly score: number;
  readonly aboveAppetite: boolean;
  readonly damagePotential: boolean;
  readonly matrixRevision: number;
  readonly assessedOn: string;
  readonly reassessBy: string;
  readonly reason: string;
}

export interface Treatment {
  readonly strategy: RiskStrategy;
  readonly decidedOn: string;
  readonly measureIds: readonly string[];
  readonly transferTo: string | null;
  readonly recheckOn: string | null;
  readonly againstAppetite: boolean;
  readonly reason?: string;
}

export interface RiskView {
  readonly _id: string;
  readonly title: string;
  readonly description: string;
  readonly source: RiskSource;
  readonly areaId: string | null;
  readonly process: string;
  readonly links: RiskLinks;
  readonly identifiedOn: string;
  readonly identificationReason: string;
  readonly status: 'open' | 'closed';
  readonly assessment: Assessment | null;
  readonly assessments: readonly (Assessment & { readonly kind: 'assessed' | 'reassessed' })[];
  readonly treatment: Treatment | null;
  readonly treatments: readonly Treatment[];
  readonly closedOn: string | null;
  readonly closingReason: string | null;
  readonly streamRevision: number;
  readonly reassessmentOverdue: boolean;
  readonly recheckOverdue: boolean;
}

export interface HeatMapCell {
  readonly impact: number;
  readonly likelihood: number;
  readonly score: number;
  readonly impactLabel: Label;
  readonly likelihoodLabel: Label;
  readonly aboveAppetite: boolean;
  readonly damagePotential: boolean;
  readonly count: number;
}

export interface HeatMap {
  readonly asOf: string;
  readonly matrix: MatrixInForce;
  readonly cells: readonly HeatMapCell[];
  readonly open: number;
  readonly unassessed: number;
  readonly offMatrix: number;
  readonly aboveAppetite: number;
}

export interface HistoryEvent {
  readonly position: number;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actor: { readonly role: string };
  readonly line: Label;
}

export interface RiskHistory {
  readonly riskId: string;
  readonly revision: number;
  readonly events: readonly HistoryEvent[];
}

/** The risk as its decider folds it (`GET risks/:id/as-of`). */
export interface RiskAsOf {
  readonly revision: number | null;
  readonly currentRevision: number | null;
  readonly eventsApplied: number;
  readonly lastOccurredAt: string | null;
  readonly state: {
    readonly status: 'none' | 'open' | 'closed';
    readonly title?: string;
    readonly source?: RiskSource;
    readonly areaId?: string | null;
    readonly process?: string;
    readonly identifiedOn?: string;
    readonly assessment?: Assessment | null;
    readonly assessments?: number;
    readonly treatment?: Treatment | null;
    readonly closedOn?: string | null;
  };
}

export interface AreaRiskAnalysis {
  readonly _id: string;
  readonly areaId: string;
  readonly year: number;
  readonly quarter: number;
  readonly teamReports: readonly string[];
  readonly riskIds: readonly string[];
  readonly summary: string;
  readonly consolidatedOn: string;
  readonly reason: string;
  readonly versions: number;
}

export interface OrganisationArea {
  readonly id: string;
  readonly name: string;
}

export const label = (value: Label, texts: Pick<Texts, 'language'>): string =>
  texts.language === 'de' ? value.de : value.en;

export function sourceName(kind: RiskSourceKind, t: Texts['t']): string {
  switch (kind) {
    case 'supervision':
      return t('Ergebnisse der Fachaufsicht', 'Supervision results');
    case 'external-audit':
      return t('Externe Prüfung', 'External audit');
    case 'hospitation':
      return t('Hospitation', 'Hospitation');
    case 'data-quality':
      return t('Datenqualität', 'Data quality');
    case 'it-analysis':
      return t('IT-Auswertung', 'IT analysis');
    case 'complaints':
      return t('Beschwerden (Kundenreaktionsmanagement)', 'Complaints (KRM)');
    case 'new-or-changed-tasks':
      return t('Neue oder geänderte Aufgaben', 'New or changed tasks');
  }
}

export function auditorName(auditor: ExternalAuditor): string {
  switch (auditor) {
    case 'bundesrechnungshof':
      return 'Bundesrechnungshof';
    case 'interne-revision':
      return 'Interne Revision';
    case 'rechnungspruefungsamt':
      return 'Rechnungsprüfungsamt';
  }
}

export function strategyName(strategy: RiskStrategy, t: Texts['t']): string {
  switch (strategy) {
    case 'accept':
      return t('Hinnehmen', 'Accept');
    case 'transfer':
      return t('Übertragen', 'Transfer');
    case 'avoid':
      return t('Vermeiden', 'Avoid');
    case 'reduce':
      return t('Vermindern', 'Reduce');
  }
}

/** `2 × 3 = 6 (hoch × möglich)`: an assessment in words. */
export function assessmentText(assessment: Assessment, matrix: RiskMatrix | undefined, texts: Texts): string {
  const impact = matrix?.impact[assessment.impact - 1];
  const likelihood = matrix?.likelihood[assessment.likelihood - 1];
  const words = impact && likelihood ? ` (${label(impact, texts)} × ${label(likelihood, texts)})` : '';
  return `${assessment.impact} × ${assessment.likelihood} = ${assessment.score}${words}`;
}

export function appetiteText(assessment: Assessment, t: Texts['t']): string {
  if (assessment.damagePotential)
    return t('Schadenspotenzial: über der Risikobereitschaft', 'Damage potential: above the appetite');
  return assessment.aboveAppetite
    ? t('über der Risikobereitschaft', 'above the appetite')
    : t('innerhalb der Risikobereitschaft', 'within the appetite');
}

/** The area's name from the organisation file, its id otherwise; null is the whole Jobcenter. */
export function areaName(areaId: string | null, areas: readonly OrganisationArea[] | undefined, t: Texts['t']) {
  if (areaId === null) return t('ganzes Jobcenter', 'whole Jobcenter');
  return areas?.find((area) => area.id === areaId)?.name ?? areaId;
}

/** Comma- or line-separated ids as a list (empty entries dropped). */
export const idList = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');

export const riskKey = (riskId: string) => ['risks', 'risk', riskId];
export const RISKS_KEY = ['risks'];

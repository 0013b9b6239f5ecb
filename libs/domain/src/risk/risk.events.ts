import type { DomainEvent } from '../shared/decider.js';
import type { RiskMatrix } from './risk-matrix.js';

/**
 * The risk register of the internal control system (Krefeld, 001:107–125): tenant-wide, owned by management
 * ("die umfassende und abschließende Verantwortung liegt bei der Geschäftsführung", 001:125), maintained with
 * the area heads. Risks concern processes and areas, never persons: titles, descriptions and reasons are
 * management's wording about a process and are stored in clear like a programme's revision reason. Figures
 * are never per employee.
 *
 * Streams: `risk-<riskId>` (one per risk), `risk-matrix-<tenant>` (management's matrix and appetite line),
 * `risk-analysis-<areaId>-<yyyy>-Q<n>` (an area head's consolidation of the team reports of a quarter).
 */

/** Where a risk was found (001:115, 001:121 "neue oder geänderte Aufgaben", complaints from the KRM). */
export const RISK_SOURCES = [
  'supervision', // Ergebnisse der Fachaufsicht
  'external-audit', // externe Revision: Bundesrechnungshof, Interne Revision, Rechnungsprüfungsamt
  'hospitation',
  'data-quality',
  'it-analysis',
  'complaints', // Kundenreaktionsmanagement (KRM)
  'new-or-changed-tasks',
] as const;
export type RiskSourceKind = (typeof RISK_SOURCES)[number];

/** The auditing bodies an external-audit source names. */
export const EXTERNAL_AUDITORS = ['bundesrechnungshof', 'interne-revision', 'rechnungspruefungsamt'] as const;
export type ExternalAuditor = (typeof EXTERNAL_AUDITORS)[number];

export interface RiskSource {
  readonly kind: RiskSourceKind;
  /** Required for `external-audit`, absent otherwise. */
  readonly auditor?: ExternalAuditor;
  /** Where exactly (report, finding number, date), optional. */
  readonly reference?: string;
}

/** What raised the risk: defect categories, trends, team reports and measures (by their ids). */
export interface RiskLinks {
  readonly defectCategories: readonly string[];
  /** Trend references, e.g. a programme id of a routine or a trend query's name. */
  readonly trends: readonly string[];
  /** Report ids (`<teamId>-<yyyy>-Q<n>`). */
  readonly teamReports: readonly string[];
  readonly measures: readonly string[];
}

export const RISK_STRATEGIES = ['accept', 'transfer', 'avoid', 'reduce'] as const;
export type RiskStrategy = (typeof RISK_STRATEGIES)[number];

/** An assessment as recorded: the levels, where they lie on the matrix in force, and when it is due again. */
export interface RecordedRiskAssessment {
  readonly impact: number;
  readonly likelihood: number;
  readonly score: number;
  readonly aboveAppetite: boolean;
  readonly damagePotential: boolean;
  /** Revision of `risk-matrix-<tenant>` the assessment was made on (-1: the default matrix). */
  readonly matrixRevision: number;
  readonly assessedOn: string;
  /** The quarterly reassessment is due by this day. */
  readonly reassessBy: string;
  readonly reason: string;
}

export type RiskIdentified = DomainEvent<
  'RiskIdentified',
  {
    readonly riskId: string;
    readonly tenant: string;
    readonly title: string;
    readonly description: string;
    readonly source: RiskSource;
    /** The area concerned, or null for the whole Jobcenter. */
    readonly areaId: string | null;
    readonly process: string;
    readonly links: RiskLinks;
    readonly identifiedOn: string;
    readonly reason: string;
  }
>;

export type RiskAssessed = DomainEvent<'RiskAssessed', { readonly riskId: string } & RecordedRiskAssessment>;

/** The quarterly (or occasional) reassessment, with the assessment it replaces. */
export type RiskReassessed = DomainEvent<
  'RiskReassessed',
  {
    readonly riskId: string;
    readonly previous: { readonly impact: number; readonly likelihood: number; readonly score: number };
  } & RecordedRiskAssessment
>;

export type RiskTreatmentDecided = DomainEvent<
  'RiskTreatmentDecided',
  {
    readonly riskId: string;
    readonly strategy: RiskStrategy;
    readonly decidedOn: string;
    /** `reduce`: the measures that reduce it (at least one). */
    readonly measureIds: readonly string[];
    /** `transfer`: to whom (e.g. an insurer, another agency). */
    readonly transferTo: string | null;
    /** `accept`: the day by which the accepted risk is re-checked (no long uncontrolled period, 001:119). */
    readonly recheckOn: string | null;
    /** `accept` of a risk above the appetite line: management confirmed deciding against it. */
    readonly againstAppetite: boolean;
    readonly reason: string;
  }
>;

export type RiskClosed = DomainEvent<
  'RiskClosed',
  { readonly riskId: string; readonly closedOn: string; readonly reason: string }
>;

export type RiskEvent = RiskIdentified | RiskAssessed | RiskReassessed | RiskTreatmentDecided | RiskClosed;

export const RISK_EVENT_SCHEMAS = {
  RiskIdentified: 1,
  RiskAssessed: 1,
  RiskReassessed: 1,
  RiskTreatmentDecided: 1,
  RiskClosed: 1,
} as const satisfies Record<RiskEvent['type'], number>;

export const riskStreamId = (riskId: string): string => `risk-${riskId}`;

/** Management sets the matrix and its appetite line (001:119). */
export type RiskMatrixSet = DomainEvent<
  'RiskMatrixSet',
  { readonly tenant: string; readonly matrix: RiskMatrix; readonly decidedOn: string; readonly reason: string }
>;
export type RiskMatrixEvent = RiskMatrixSet;
export const RISK_MATRIX_EVENT_SCHEMAS = { RiskMatrixSet: 1 } as const satisfies Record<
  RiskMatrixEvent['type'],
  number
>;
export const riskMatrixStreamId = (tenant: string): string => `risk-matrix-${tenant}`;

/**
 * The area head consolidates the team reports of a quarter into the area's risk analysis: which reports
 * were taken in, which register risks the area sees (new ones are identified separately), and the summary.
 */
export type AreaRiskAnalysisConsolidated = DomainEvent<
  'AreaRiskAnalysisConsolidated',
  {
    readonly tenant: string;
    readonly areaId: string;
    readonly year: number;
    readonly quarter: number;
    readonly teamReports: readonly string[];
    readonly riskIds: readonly string[];
    readonly summary: string;
    readonly consolidatedOn: string;
    readonly reason: string;
  }
>;
export type AreaRiskAnalysisEvent = AreaRiskAnalysisConsolidated;
export const AREA_RISK_ANALYSIS_EVENT_SCHEMAS = { AreaRiskAnalysisConsolidated: 1 } as const satisfies Record<
  AreaRiskAnalysisEvent['type'],
  number
>;
export const areaRiskAnalysisId = (areaId: string, year: number, quarter: number): string =>
  `${areaId}-${year}-Q${quarter}`;
export const areaRiskAnalysisStreamId = (analysisId: string): string => `risk-analysis-${analysisId}`;

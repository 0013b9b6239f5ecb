import type { RecordedRiskAssessment, RiskLinks, RiskSource, RiskStrategy } from '@pruefpfad/domain';

/**
 * Read model `risks`: one document per risk of the register, `_id` = riskId. The register list, the heat
 * map (counts per matrix cell of the open risks' current assessment, computed at query time) and the
 * quarterly risk report read it. Overdue reassessments and re-checks are not stored: they depend on the day.
 * No personal data: risks concern processes and areas (001:113).
 */
export const RISKS = 'risks';

export interface RiskTreatmentView {
  readonly strategy: RiskStrategy;
  readonly decidedOn: string;
  readonly measureIds: readonly string[];
  readonly transferTo: string | null;
  readonly recheckOn: string | null;
  readonly againstAppetite: boolean;
  readonly reason: string;
}

export interface RiskDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly title: string;
  readonly description: string;
  readonly source: RiskSource;
  readonly areaId: string | null;
  readonly process: string;
  readonly links: RiskLinks;
  readonly identifiedOn: string;
  readonly identificationReason: string;
  readonly status: 'open' | 'closed';
  /** The current assessment, and every assessment in order (the first is `RiskAssessed`). */
  readonly assessment: RecordedRiskAssessment | null;
  readonly assessments: readonly (RecordedRiskAssessment & { readonly kind: 'assessed' | 'reassessed' })[];
  readonly treatment: RiskTreatmentView | null;
  readonly treatments: readonly RiskTreatmentView[];
  readonly closedOn: string | null;
  readonly closingReason: string | null;
  readonly streamRevision: number;
}

/** Read model `area-risk-analyses`: the area head's latest consolidation per area and quarter. */
export const AREA_RISK_ANALYSES = 'area-risk-analyses';

export interface AreaRiskAnalysisDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly areaId: string;
  readonly year: number;
  readonly quarter: number;
  readonly teamReports: readonly string[];
  readonly riskIds: readonly string[];
  readonly summary: string;
  readonly consolidatedOn: string;
  readonly reason: string;
  /** How often the quarter was consolidated (a late report gives a new version; the stream keeps all). */
  readonly versions: number;
}

import type { Texts } from '../../i18n';

/** The shapes of the indicators API (apps/api/src/indicators), as far as the screens read them. */

export const INDICATOR_KINDS = [
  'first-consultation',
  'counselling-contact',
  'graduate-management',
  'counselling-capacity',
] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export const RATINGS = ['green', 'amber', 'red'] as const;
export type Rating = (typeof RATINGS)[number];

export interface ShareFigure {
  readonly eligible: number;
  readonly fulfilled: number;
  readonly excluded: number | null;
}

export interface GraduateFigure {
  readonly eligible: number;
  readonly fulfilledNarrow: number;
  readonly fulfilledWide: number;
  readonly pending: number | null;
}

export interface CapacityFigure {
  readonly usedSlots: number;
  readonly possibleSlots: number;
  readonly workingHours: number | null;
}

export interface IndicatorFigures {
  readonly firstConsultation: ShareFigure | null;
  readonly counsellingContact: ShareFigure | null;
  readonly graduateManagement: GraduateFigure | null;
  readonly counsellingCapacity: CapacityFigure | null;
}

export interface IndicatorSettings {
  readonly contactIntervalMonths: number;
  readonly counsellingSharePercent: number;
  readonly slotMinutes: number;
}

export interface Placement {
  readonly impact: number;
  readonly likelihood: number;
  readonly score: number;
  readonly aboveAppetite: boolean;
  readonly damagePotential?: boolean;
  readonly impactLevels?: number;
  readonly likelihoodLevels?: number;
}

export interface IndicatorRatingView {
  readonly rating: Rating;
  readonly current: boolean;
  readonly comment: string | null;
  readonly measureIds: readonly string[];
  readonly ratedAt: string;
  readonly ratedByRole: string;
}

/** `GET teams/:teamId/indicators/:month` (IndicatorMonthView). */
export interface IndicatorMonthView {
  readonly teamId: string;
  readonly areaId: string;
  readonly month: string;
  readonly referenceDate: string;
  readonly importNumber: number;
  readonly source: 'cases' | 'counts';
  readonly rowCount: number;
  readonly importedAt: string;
  readonly settings: IndicatorSettings;
  readonly figures: IndicatorFigures;
  readonly indicators: readonly {
    readonly indicator: IndicatorKind;
    readonly percent: number | null;
    readonly rating: IndicatorRatingView | null;
  }[];
  readonly riskProposal: {
    readonly placement: Placement;
    readonly proposedByRole: string;
    readonly reason: string | null;
  } | null;
  readonly teamRisk: {
    readonly placement: Placement;
    readonly proposedByRole: string;
    readonly confirmedByRole: string;
    readonly ratedAt: string;
  } | null;
  readonly revision: number;
}

/** `GET areas/:areaId/indicators/:month` (AreaIndicatorOverview). */
export interface AreaIndicatorOverview {
  readonly areaId: string;
  readonly month: string;
  readonly minCellCount: number;
  readonly teams: readonly {
    readonly teamId: string;
    readonly referenceDate: string;
    readonly indicators: readonly {
      readonly indicator: IndicatorKind;
      readonly suppressed: boolean;
      readonly percent: number | null;
      readonly rating: Rating | null;
      readonly ratingCurrent: boolean | null;
    }[];
    readonly teamRisk: { impact: number; likelihood: number; score: number; aboveAppetite: boolean } | null;
    readonly riskProposed: boolean;
  }[];
}

export interface SettingsView {
  readonly teamId: string;
  readonly agreed: boolean;
  readonly settings: IndicatorSettings;
}

export interface MatrixLevel {
  readonly level: number;
  readonly de: string;
  readonly en: string;
}

/** `GET /api/v1/risk-matrix` (read by area heads; team leads are not register readers). */
export interface MatrixInForce {
  readonly matrix: {
    readonly impact: readonly MatrixLevel[];
    readonly likelihood: readonly MatrixLevel[];
    readonly appetite: { readonly maxAcceptedScore: number; readonly alwaysTreatFromImpact: number | null };
  };
}

export interface MeasureSummary {
  readonly id: string;
  readonly kind: string;
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly dueDate: string;
  readonly description?: unknown;
}

export function indicatorName(kind: IndicatorKind, t: Texts['t']): string {
  switch (kind) {
    case 'first-consultation':
      return t('Erstberatung Neukunden', 'First consultation of new customers');
    case 'counselling-contact':
      return t('Beratungskontakt in 6 Monaten', 'Counselling contact within 6 months');
    case 'graduate-management':
      return t('Absolventenmanagement', 'Graduate management');
    case 'counselling-capacity':
      return t('Beratungskapazität', 'Counselling capacity');
  }
}

export function ratingName(rating: Rating, t: Texts['t']): string {
  switch (rating) {
    case 'green':
      return t('grün', 'green');
    case 'amber':
      return t('gelb', 'amber');
    case 'red':
      return t('rot', 'red');
  }
}

export function roleSide(role: string): 'team' | 'area' {
  return role === 'area_head' ? 'area' : 'team';
}

/** A percentage as people in Germany read it (one decimal), or a dash for none. */
export function percentText(value: number | null, language: Texts['language']): string {
  return value === null
    ? '–'
    : `${value.toLocaleString(language === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 })} %`;
}

export const monthPath = (teamId: string, month: string) =>
  `/api/v1/teams/${encodeURIComponent(teamId)}/indicators/${month}`;

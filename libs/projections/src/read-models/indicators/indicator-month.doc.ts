import type {
  IndicatorFigures,
  IndicatorKind,
  IndicatorRating,
  IndicatorSettings,
  IndicatorSource,
  RecordedRiskPlacement,
  Sealed,
} from '@pruefpfad/domain';

/**
 * Read model `indicator-months`: one document per team and month of the monthly indicators (004:100),
 * `_id` = `<tenant>-<teamId>-<yyyy-mm>`. Counts only (never a case, never an employee); the team lead's
 * comments and the risk proposal's reason stay sealed and are opened at query time after authorisation.
 */
export const INDICATOR_MONTHS = 'indicator-months';

export interface IndicatorRatingEntry {
  readonly rating: IndicatorRating;
  /** The import rated; a later import (a replacement) leaves the rating to be renewed (`current: false`). */
  readonly importNumber: number;
  readonly comment: Sealed | null;
  readonly measureIds: readonly string[];
  readonly ratedAt: string;
  readonly ratedByRole: string;
}

export interface IndicatorMonthDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly month: string;
  readonly referenceDate: string;
  readonly importNumber: number;
  readonly source: IndicatorSource;
  readonly rowCount: number;
  readonly fingerprint: string;
  readonly settings: IndicatorSettings;
  readonly figures: IndicatorFigures;
  readonly importedAt: string;
  readonly importedByRole: string;
  /** The latest rating per indicator. */
  readonly ratings: Readonly<Partial<Record<IndicatorKind, IndicatorRatingEntry>>>;
  readonly riskProposal: {
    readonly placement: RecordedRiskPlacement;
    readonly reason: Sealed;
    readonly proposedByRole: string;
    readonly proposedAt: string;
  } | null;
  readonly teamRisk: {
    readonly placement: RecordedRiskPlacement;
    readonly proposedByRole: string;
    readonly confirmedByRole: string;
    readonly ratedAt: string;
  } | null;
  readonly streamRevision: number;
}

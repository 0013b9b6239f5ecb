import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';
import type { IndicatorFigures, IndicatorKind, IndicatorSettings } from './indicator-figures.js';

/**
 * The monthly team indicators of Lichtenberg (004:54–100): team level only, for orientation, not targets.
 *
 * Stream per team and month `indicators-<tenant>-<teamId>-<yyyy-mm>`, sealed under
 * `indicators:<tenant>-<teamId>-<yyyy-mm>`: the imported figures (counts only: the pseudonymised case rows
 * are judged at import and never stored), the team lead's rating of each indicator with the measures taken,
 * and the team's risk rated jointly by team lead and area head on the risk matrix (004:100).
 *
 * Stream per team `indicator-settings-<tenant>-<teamId>`: the team's agreed contact interval (004:42) and
 * counselling share, used by every later import and recorded in it.
 *
 * Retention: the keys `indicators:` and `indicator-settings:` are kept like the quarterly team reports'
 * (`report:`), not destroyed with reviews after 12 months (000:92 concerns the stored checklists): a team's
 * month is the documentation of the team's work and its leadership's assessment (000:90, 004:100), holds
 * counts only (no case, no employee) and refers to no review, so a review's purge leaves it unchanged.
 */
export type IndicatorRating = 'green' | 'amber' | 'red';
export const INDICATOR_RATINGS: readonly IndicatorRating[] = ['green', 'amber', 'red'];

export type IndicatorSource = 'cases' | 'counts';

export type IndicatorSettingsAgreed = DomainEvent<
  'IndicatorSettingsAgreed',
  {
    readonly tenant: string;
    readonly areaId: string;
    readonly teamId: string;
    readonly settings: IndicatorSettings;
    /** Why (e.g. the team agreement on shorter contact intervals), sealed free text. */
    readonly reason: Sealed;
    readonly agreedByRole: string;
  }
>;

export type IndicatorDataImported = DomainEvent<
  'IndicatorDataImported',
  {
    readonly tenant: string;
    readonly areaId: string;
    readonly teamId: string;
    readonly month: string;
    /** Stichtag: the local date the figures were taken at (within the month). */
    readonly referenceDate: string;
    /** 1 for the month's first import, counting up with every replacement. */
    readonly importNumber: number;
    readonly source: IndicatorSource;
    /** Rows received (case rows, or count rows). */
    readonly rowCount: number;
    /** SHA-256 of the file as received: the same file again changes nothing. */
    readonly fingerprint: string;
    readonly settings: IndicatorSettings;
    readonly figures: IndicatorFigures;
    /** Why a month already imported is replaced (sealed); null for the first import. */
    readonly reason: Sealed | null;
    readonly importedByRole: string;
  }
>;

export type IndicatorRated = DomainEvent<
  'IndicatorRated',
  {
    readonly teamId: string;
    readonly month: string;
    readonly indicator: IndicatorKind;
    readonly rating: IndicatorRating;
    /** The import the rating looked at (a replaced import leaves the rating to be renewed). */
    readonly importNumber: number;
    /** The team lead's assessment and the measures taken (004:100), sealed; required for amber and red. */
    readonly comment: Sealed | null;
    /** Measures of the team (`measure-<id>`) taken for this indicator. */
    readonly measureIds: readonly string[];
    readonly ratedByRole: string;
  }
>;

/** A placement on the risk matrix as recorded (the matrix may change later; the event keeps what held). */
export interface RecordedRiskPlacement {
  readonly impact: number;
  readonly likelihood: number;
  readonly score: number;
  readonly aboveAppetite: boolean;
  readonly damagePotential: boolean;
  /** Size of the matrix the levels refer to. */
  readonly impactLevels: number;
  readonly likelihoodLevels: number;
}

export type TeamRiskProposed = DomainEvent<
  'TeamRiskProposed',
  {
    readonly teamId: string;
    readonly month: string;
    readonly placement: RecordedRiskPlacement;
    /** Why, sealed. */
    readonly reason: Sealed;
    /** `team_lead`/`deputy` (the team's side) or `area_head`; the other side confirms. */
    readonly proposedByRole: string;
  }
>;

export type TeamRiskRated = DomainEvent<
  'TeamRiskRated',
  {
    readonly teamId: string;
    readonly month: string;
    readonly placement: RecordedRiskPlacement;
    readonly proposedByRole: string;
    readonly confirmedByRole: string;
  }
>;

export type IndicatorMonthEvent = IndicatorDataImported | IndicatorRated | TeamRiskProposed | TeamRiskRated;
export type IndicatorSettingsEvent = IndicatorSettingsAgreed;
export type IndicatorEvent = IndicatorMonthEvent | IndicatorSettingsEvent;

export const INDICATOR_MONTH_EVENT_SCHEMAS = {
  IndicatorDataImported: 1,
  IndicatorRated: 1,
  TeamRiskProposed: 1,
  TeamRiskRated: 1,
} as const satisfies Record<IndicatorMonthEvent['type'], number>;

export const INDICATOR_SETTINGS_EVENT_SCHEMAS = {
  IndicatorSettingsAgreed: 1,
} as const satisfies Record<IndicatorSettingsEvent['type'], number>;

export const INDICATOR_EVENT_TYPES: readonly IndicatorEvent['type'][] = [
  'IndicatorSettingsAgreed',
  'IndicatorDataImported',
  'IndicatorRated',
  'TeamRiskProposed',
  'TeamRiskRated',
];

export const indicatorMonthId = (tenant: string, teamId: string, month: string): string =>
  `${tenant}-${teamId}-${month}`;
export const indicatorMonthStreamId = (id: string): string => `indicators-${id}`;
export const indicatorMonthKeyId = (id: string): string => `indicators:${id}`;
export const indicatorSettingsId = (tenant: string, teamId: string): string => `${tenant}-${teamId}`;
export const indicatorSettingsStreamId = (id: string): string => `indicator-settings-${id}`;
export const indicatorSettingsKeyId = (id: string): string => `indicator-settings:${id}`;

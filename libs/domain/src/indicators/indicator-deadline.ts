import { addMonths, lastDayOfMonth } from '../calendar/local-date.js';
import type { Deadline } from '../deadlines/deadline.js';
import type { KindLabel } from '../deadlines/digest-mail.js';
import type { IndicatorKind } from './indicator-figures.js';

export const INDICATOR_RATING_LABEL: KindLabel = {
  de: 'Bewertung der Monatskennzahlen',
  en: 'rating of the monthly indicators',
};

export interface IndicatorMonthFacts {
  readonly tenant: string;
  readonly areaId: string;
  readonly teamId: string;
  /** The month whose data were imported (its reference date lies in it). */
  readonly month: string;
  /** The indicators the imported data give figures for. */
  readonly indicators: readonly IndicatorKind[];
  /** The indicators rated on the current import (a replacement import asks for a new rating). */
  readonly ratedOnCurrentImport: readonly IndicatorKind[];
}

/**
 * Each month the team lead rates each indicator (004:100). The seeds set no date; ours: a month's
 * figures are rated by the end of the following month, the month in which they are discussed with the
 * area head and management. One deadline per team and month while any indicator of the current import is
 * unrated; none before anything was imported (the import itself is the team's own monthly step).
 */
export function indicatorRatingDeadline(facts: IndicatorMonthFacts): Deadline | null {
  const rated = new Set(facts.ratedOnCurrentImport);
  if (facts.indicators.every((indicator) => rated.has(indicator))) return null;
  return {
    kind: 'indicator-rating',
    ref: `${facts.teamId}/${facts.month}`,
    dueDate: lastDayOfMonth(addMonths(facts.month, 1)),
    action: 'indicators.rate',
    resource: { tenant: facts.tenant, unit: facts.teamId, parentUnits: [facts.areaId] },
    path: `/api/v1/teams/${facts.teamId}/indicators/${facts.month}`,
  };
}

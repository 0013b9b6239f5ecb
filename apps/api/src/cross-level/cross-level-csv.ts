import { csvCell, csvNumber, figureRows, suppressedRow } from '../trends/trend-csv.js';
import type { CrossLevelFigures } from './cross-level-figures.js';
import type { CrossLevelTrendView } from './cross-level-trends.service.js';

export const CROSS_LEVEL_CSV_HEADER = [
  'Zeitraum',
  'Jobcenter',
  'Region',
  'Kennzahl',
  'Kategorie',
  'Ausprägung',
  'Wert',
] as const;

const TOTAL = 'gesamt / total';

/**
 * A cross-level trend view as rows, with exactly the suppression of the JSON answer: a suppressed
 * Jobcenter or total shows one "suppressed" row and no figure.
 */
export function renderCrossLevelCsv(view: CrossLevelTrendView): string {
  const rows: string[][] = [];
  const emit = (
    period: string,
    asOf: string,
    jobcenter: string,
    region: string,
    figures: CrossLevelFigures | null,
  ): void => {
    const add = (label: string, category: string, characteristic: string, value: number | null) =>
      rows.push([period, jobcenter, region, label, category, characteristic, csvNumber(value)]);
    if (figures === null) {
      add(...suppressedRow(view.minCellCount), null);
      return;
    }
    figureRows(figures, asOf, add);
  };
  // The day overdue measures are counted on, as in the trend figures: the period's end, or today.
  const asOf = (to: string): string => (view.today < to ? view.today : to);
  for (const period of view.periods) {
    for (const jobcenter of period.jobcenters)
      emit(period.period, asOf(period.to), jobcenter.tenant, jobcenter.region, jobcenter.figures);
    emit(period.period, asOf(period.to), TOTAL, view.region ?? TOTAL, period.total.figures);
  }
  const lines = [CROSS_LEVEL_CSV_HEADER.join(';'), ...rows.map((row) => row.map(csvCell).join(';'))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

import { csvCell, csvNumber, suppressedRow } from '../trends/trend-csv.js';
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
  const emit = (period: string, jobcenter: string, region: string, figures: CrossLevelFigures | null): void => {
    const add = (label: string, category: string, characteristic: string, value: number | null) =>
      rows.push([period, jobcenter, region, label, category, characteristic, csvNumber(value)]);
    if (figures === null) {
      add(...suppressedRow(view.minCellCount), null);
      return;
    }
    add('Prüfungen / reviews', '', 'Mindestzahl / minimum', figures.reviews.minimum);
    add('Prüfungen / reviews', '', 'gezogen / sampled', figures.reviews.sampled);
    add('Prüfungen / reviews', '', 'erledigt / done', figures.reviews.done);
    add('Prüfungen / reviews', '', '% der Mindestzahl / % of minimum', figures.reviews.percentOfMinimum);
    add('Gravierende Mängel / serious defects', '', 'Prüfungen / reviews', figures.seriousDefects.reviews);
    add('Gravierende Mängel / serious defects', '', 'Anteil / share', figures.seriousDefects.share);
    add('Mängel je Prüfung / defects per review', '', 'gesamt / total', figures.defects.perReview);
    for (const [category, figure] of Object.entries(figures.defects.byCategory)) {
      if (figure.minor !== null) add('Mängel / defects', category, 'geringfügig / minor', figure.minor);
      if (figure.serious !== null) add('Mängel / defects', category, 'gravierend / serious', figure.serious);
      add('Mängel je Prüfung / defects per review', category, 'gesamt / total', figure.perReview);
    }
    add('Gespräche / talks', '', 'Vier-Augen-Gespräche / one-on-one', figures.talksHeld);
    add('Gespräche / talks', '', 'Teambesprechungen / team discussions', figures.teamDiscussionsHeld);
    add('Maßnahmen / measures', '', 'vereinbart / agreed', figures.measures.agreed);
    add('Maßnahmen / measures', '', 'abgeschlossen / completed', figures.measures.completed);
    add('Maßnahmen / measures', '', 'überfällig / overdue', figures.measures.overdue);
    add('Berichte / reports', '', 'pünktlich / on time', figures.reports.onTime);
    add('Berichte / reports', '', 'verspätet / late', figures.reports.late);
    add('Berichte / reports', '', 'fehlend / missing', figures.reports.missing);
  };
  for (const period of view.periods) {
    for (const jobcenter of period.jobcenters)
      emit(period.period, jobcenter.tenant, jobcenter.region, jobcenter.figures);
    emit(period.period, TOTAL, view.region ?? TOTAL, period.total.figures);
  }
  const lines = [CROSS_LEVEL_CSV_HEADER.join(';'), ...rows.map((row) => row.map(csvCell).join(';'))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

import { isSmallCell } from '@pruefpfad/domain';
import type { PeriodFigures } from '@pruefpfad/projections';
import { suppressedPeriods } from './trend-suppression.js';
import type { TrendView } from './trends.queries.js';

const AGAINST_TEST = 'gegen den Toleranztest entschieden / decided against the tolerance test';

export const TREND_CSV_HEADER = ['Zeitraum', 'Kennzahl', 'Kategorie', 'Ausprägung', 'Wert'] as const;

/** Semicolon-separated with a byte-order mark and decimal commas, as German spreadsheet programs expect. */
export function csvCell(value: string): string {
  // A cell a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvNumber = (value: number | null): string => (value === null ? '' : String(value).replace('.', ','));

/** The row that stands for a suppressed period (or Jobcenter) in every export. */
export const suppressedRow = (minCellCount: number): [string, string, string] => [
  'Kleine Zelle unterdrückt / small cell suppressed',
  '',
  `weniger als ${minCellCount} Prüfungen oder zum Schutz einer solchen Zelle / fewer than ${minCellCount} reviews, or hiding one`,
];

/** The figures every trend export shares (tenant trends and cross-level views), one `add` per row. */
export type FigureRows = Pick<
  PeriodFigures,
  'reviews' | 'seriousDefects' | 'defects' | 'talksHeld' | 'teamDiscussionsHeld' | 'measures' | 'reports'
>;

export function figureRows(
  figures: FigureRows,
  asOf: string,
  add: (label: string, category: string, characteristic: string, value: number | null) => void,
): void {
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
  add('Maßnahmen / measures', '', 'abgebrochen / cancelled', figures.measures.cancelled);
  add('Maßnahmen / measures', '', `überfällig am ${asOf} / overdue on ${asOf}`, figures.measures.overdue);
  add('Berichte / reports', '', 'pünktlich / on time', figures.reports.onTime);
  add('Berichte / reports', '', 'verspätet / late', figures.reports.late);
  add('Berichte / reports', '', 'fehlend / missing', figures.reports.missing);
  add('Berichte / reports', '', 'ausstehend / pending', figures.reports.pending);
}

/**
 * A trend query as rows (period, figure, category, characteristic, value): every figure of the JSON
 * answer, long format so that categories and programmes need no columns of their own. Exports leave
 * the caller's hands, so periods backed by fewer than `minCellCount` reviews are suppressed for every
 * caller (issue 5 point 6), with the secondary suppression of `suppressSmallCells`.
 */
export function renderTrendCsv(view: TrendView, minCellCount: number): string {
  const rows: string[][] = [];
  const add = (
    period: string,
    label: string,
    category: string,
    characteristic: string,
    value: number | string | null,
  ) => rows.push([period, label, category, characteristic, typeof value === 'string' ? value : csvNumber(value)]);
  const hidden = suppressedPeriods(view.periods, minCellCount);
  for (const [index, period] of view.periods.entries()) {
    const p = period.period;
    if (hidden[index]) {
      add(p, ...suppressedRow(minCellCount), null);
      continue;
    }
    figureRows(period, period.asOf, (...row) => add(p, ...row));
    for (const rate of period.errorRates) {
      // A programme's rate is a cell of its own: one backed by a handful of reviews is suppressed too.
      if (isSmallCell(rate.reviews, minCellCount)) {
        add(p, 'Fehlerquote / error rate', rate.title, suppressedRow(minCellCount)[2], null);
        continue;
      }
      add(p, 'Fehlerquote / error rate', rate.title, 'Prüfungen / reviews', rate.reviews);
      add(p, 'Fehlerquote / error rate', rate.title, 'mit Fehlern / with errors', rate.withErrors);
      add(p, 'Fehlerquote / error rate', rate.title, 'Quote / rate', rate.rate);
      add(p, 'Fehlerquote / error rate', rate.title, 'obere Grenze / upper bound', rate.upperBound);
      add(p, 'Fehlerquote / error rate', rate.title, 'Toleranz % / tolerance %', rate.tolerancePercent);
      add(p, 'Fehlerquote / error rate', rate.title, 'Regel / rule', rate.rule);
    }
    const against = new Set(period.suspendedAgainstToleranceTest);
    for (const programmeId of period.suspendedRoutines)
      add(
        p,
        'Prüfroutine ausgesetzt / routine suspended',
        programmeId,
        against.has(programmeId) ? AGAINST_TEST : '',
        1,
      );
  }
  const range = `${view.from}–${view.to}`;
  for (const routine of view.routines) {
    add(range, 'Prüfroutine / routine', routine.title, 'Status / status', routine.status);
    add(
      range,
      'Prüfroutine / routine',
      routine.title,
      'Aussetzung möglich / suspension candidate',
      routine.suspensionCandidate ? 'ja / yes' : 'nein / no',
    );
    if (routine.suspension !== null) {
      const { recheckOn, toleranceTest, againstToleranceTest } = routine.suspension;
      add(range, 'Prüfroutine / routine', routine.title, 'Überprüfung am / re-check on', recheckOn);
      // The outcome and the rule only: the test's counts may be a small cell (suppressed above, not here).
      add(
        range,
        'Prüfroutine / routine',
        routine.title,
        'Toleranztest bei der Entscheidung / tolerance test at the decision',
        againstToleranceTest === null
          ? 'nicht erfasst / not recorded'
          : againstToleranceTest
            ? AGAINST_TEST
            : 'bestanden / met',
      );
      if (toleranceTest !== null)
        add(
          range,
          'Prüfroutine / routine',
          routine.title,
          'Regel / rule',
          `${toleranceTest.rule} (${toleranceTest.rulesVersion})`,
        );
    }
    if (routine.recheckOverdue)
      add(range, 'Prüfroutine / routine', routine.title, 'Überprüfung überfällig / re-check overdue', 'ja / yes');
  }
  const lines = [TREND_CSV_HEADER.join(';'), ...rows.map((row) => row.map(csvCell).join(';'))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

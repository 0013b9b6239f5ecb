import { AVOIDABLE_REASONS, type LegalQuota, type ReportFigures, shareText } from '@pruefpfad/domain';
import type { QuotaPeriodView } from '../legal-quota/legal-quota.queries.js';
import type { LegalReportView, ReportDraft, TeamReportView } from './reports.queries.js';

/**
 * One model of a downloadable report, rendered to PDF and CSV alike, so both carry the same content.
 * German headings (the readers are the Jobcenter's staff); no personal data: the figures are counts, the
 * texts are the anonymised descriptions and assessment the team lead or legal department wrote.
 */
export interface PrintableRow {
  readonly section: string;
  readonly label: string;
  readonly category: string;
  readonly characteristic: string;
  readonly value: string;
}

export interface PrintableReport {
  readonly fileName: string;
  readonly title: string;
  readonly subtitle: string;
  readonly draft: boolean;
  readonly facts: readonly (readonly [string, string])[];
  readonly rows: readonly PrintableRow[];
}

const SEVERITY_DE = { minor: 'gering', serious: 'gravierend' } as const;

const REASON_DE: Readonly<Record<string, string>> = {
  documentation: 'Dokumentationsprobleme',
  'application-of-law': 'fehlerhafte Rechtsanwendung',
  'fact-finding': 'unzureichende Sachverhaltsaufklärung',
  'case-law': 'Rechtsprechung',
  other: 'Sonstiges',
};

const row = (section: string, label: string, value: string | number, category = '', characteristic = '') => ({
  section,
  label,
  category,
  characteristic,
  value: String(value),
});

function figureRows(figures: ReportFigures): PrintableRow[] {
  const k = 'Kennzahlen';
  return [
    row(k, 'Gezogene Fälle', figures.reviewsSampled),
    row(k, 'Durchgeführte Prüfungen', figures.reviewsDone),
    row(k, 'Mindestzahl (Soll)', figures.reviewsRequired),
    row(k, 'Zielgerichtet', figures.goalDirected),
    row(k, 'Nicht zielgerichtet', figures.notGoalDirected),
    row(k, 'Gravierende Mängel', figures.seriousDefects),
    row(k, 'Mängel mit finanziellem Schaden (VfV)', figures.financialLossDefects),
    row(k, '4-Augen-Gespräche', figures.talksHeld),
    row(k, 'Anonymisierte Teambesprechungen', figures.teamDiscussionsHeld),
    row(k, 'Maßnahmen vereinbart', figures.measuresAgreed),
    row(k, 'Maßnahmen abgeschlossen', figures.measuresCompleted),
    row(k, 'Maßnahmen abgebrochen', figures.measuresCancelled),
    row(k, `Maßnahmen offen (Stand ${figures.asOf})`, figures.measuresOpen),
    row(k, `Maßnahmen überfällig (Stand ${figures.asOf})`, figures.measuresOverdue),
    ...figures.programmes.map((programme) =>
      row('Prüfpläne', programme.title, `${programme.reviewsDone} von ${programme.reviewsRequired}`),
    ),
    ...Object.entries(figures.defects)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([category, counts]) => [
        row('Mängel nach Kategorie und Schwere', 'Anzahl', counts.minor, category, SEVERITY_DE.minor),
        row('Mängel nach Kategorie und Schwere', 'Anzahl', counts.serious, category, SEVERITY_DE.serious),
      ]),
  ];
}

export function printableTeamReport(
  teamName: string,
  report: TeamReportView | ReportDraft,
  tenant: string,
): PrintableReport {
  const submitted = 'assessment' in report;
  const period = `${report.year}/Q${report.quarter}`;
  const facts: [string, string][] = [
    ['Jobcenter', tenant],
    ['Team', `${teamName} (${report.teamId})`],
    ['Bereich', report.areaId],
    ['Berichtszeitraum', period],
    ['Fällig am', report.dueDate],
  ];
  if (submitted) facts.push(['Abgegeben am', `${report.submittedOn}${report.late ? ' (verspätet)' : ''}`]);
  const serious = submitted
    ? report.seriousDefects.map((defect) =>
        row('Gravierende Mängel', defect.legalNorm ?? '–', defect.description ?? '–', defect.category, 'gravierend'),
      )
    : report.seriousDefects.map((defect) =>
        row('Gravierende Mängel', defect.legalNorm ?? '–', '(Beschreibung bei Abgabe)', defect.category, 'gravierend'),
      );
  return {
    fileName: `quartalsbericht-${report.teamId}-${report.year}-Q${report.quarter}`,
    title: 'Quartalsbericht Fachaufsicht',
    subtitle: `${teamName} · ${period}${submitted ? '' : ' · ENTWURF'}`,
    draft: !submitted,
    facts,
    rows: [
      ...figureRows(report.figures),
      ...serious,
      ...(submitted ? [row('Bewertung', 'Bewertung der Teamleitung', report.assessment ?? '–')] : []),
    ],
  };
}

const Q = 'Widerspruchsquote (vermeidbare Stattgaben)';

/** Both shares of one cell; the second is informational only (001:258 "nachrichtlich"). */
function shareRows(section: string, category: string, quota: LegalQuota): PrintableRow[] {
  const upheld = quota.avoidableAmongUpheld;
  const settled = quota.avoidableAmongSettled;
  const judged = (status: string): string =>
    status === 'no-figure' ? '' : status === 'within-target' ? 'im Ziel' : 'über dem Ziel';
  return [
    row(
      section,
      `Anteil an allen Stattgaben (Ziel ≤ ${upheld.targetPercent} %)`,
      shareText(upheld),
      category,
      judged(upheld.status),
    ),
    row(
      section,
      `Anteil an allen erledigten Widersprüchen (nachrichtlich, vorläufiges Ziel ${settled.targetPercent} %)`,
      shareText(settled),
      category,
      judged(settled.status),
    ),
  ];
}

/** The quota of the quarter: each month, the quarter, avoidable by reason, by legal norm and by team. */
export function quotaRows(quota: QuotaPeriodView): PrintableRow[] {
  const months = quota.months.flatMap((month) =>
    month.recorded
      ? [
          row(Q, 'Erledigte Widersprüche', month.totals.settled, month.month),
          row(Q, 'Stattgaben (voll und teilweise)', month.totals.upheld, month.month),
          row(Q, 'davon vermeidbar', month.totals.avoidable, month.month),
          ...shareRows(Q, month.month, month.quota),
        ]
      : [row(Q, 'Monatszahlen', 'nicht erfasst', month.month)],
  );
  const quarter = 'Quartal';
  return [
    ...months,
    row(Q, 'Erledigte Widersprüche', quota.totals.settled, quarter),
    row(Q, 'Stattgaben (voll und teilweise)', quota.totals.upheld, quarter),
    row(Q, 'davon vermeidbar', quota.totals.avoidable, quarter),
    ...shareRows(Q, quarter, quota.quota),
    ...AVOIDABLE_REASONS.map((reason) =>
      row('Vermeidbare Stattgaben nach Grund', REASON_DE[reason] ?? reason, quota.byReason[reason], quarter),
    ),
    ...quota.byLegalNorm.flatMap((norm) => [
      row('Vermeidbare Stattgaben nach Rechtsnorm', 'Stattgaben', norm.totals.upheld, norm.legalNorm),
      row('Vermeidbare Stattgaben nach Rechtsnorm', 'davon vermeidbar', norm.totals.avoidable, norm.legalNorm),
    ]),
    ...quota.byTeam.flatMap((team) => {
      const name = team.teamId ?? 'teamübergreifend';
      return team.suppressed
        ? [
            row(
              'Vermeidbare Stattgaben nach Team',
              'Zahlen',
              `unterdrückt (weniger als ${quota.minCellCount} Fälle)`,
              name,
            ),
          ]
        : [
            row('Vermeidbare Stattgaben nach Team', 'Erledigte Widersprüche', team.totals.settled, name),
            row('Vermeidbare Stattgaben nach Team', 'Stattgaben', team.totals.upheld, name),
            row('Vermeidbare Stattgaben nach Team', 'davon vermeidbar', team.totals.avoidable, name),
            ...shareRows('Vermeidbare Stattgaben nach Team', name, team.quota),
          ];
    }),
  ];
}

export function printableLegalReport(report: LegalReportView, tenant: string): PrintableReport {
  const period = `${report.year}/Q${report.quarter}`;
  const findings = report.findings.flatMap((finding) => {
    const label = `${finding.legalNorm} (${REASON_DE[finding.reason] ?? finding.reason})`;
    const team = finding.teamId ?? 'teamübergreifend';
    return [
      row('Feststellungen', label, finding.upheldAppeals, team, 'Stattgaben'),
      row('Feststellungen', label, finding.avoidable, team, 'davon vermeidbar'),
      ...(finding.note === null ? [] : [row('Feststellungen', label, finding.note, team, 'Hinweis')]),
    ];
  });
  return {
    fileName: `rechtsbericht-${report.year}-Q${report.quarter}`,
    title: 'Quartalsbericht Sachgebiet Recht',
    subtitle: `${period}${report.nil ? ' · Fehlanzeige' : ''}`,
    draft: false,
    facts: [
      ['Jobcenter', tenant],
      ['Berichtszeitraum', period],
      ['Fällig am', report.dueDate],
      ['Abgegeben am', `${report.submittedOn}${report.late ? ' (verspätet)' : ''}`],
      ['Widerspruchsquote', `Monatszahlen mit Korrekturen, Stand des Abrufs (Regeln ${report.quota.rulesVersion})`],
    ],
    rows: [
      row('Angaben', 'Fehlanzeige', report.nil ? 'ja' : 'nein'),
      ...findings,
      ...quotaRows(report.quota),
      ...(report.assessment === null ? [] : [row('Bewertung', 'Erkenntnisse und Bewertung', report.assessment)]),
    ],
  };
}

import type { RiskStrategy } from '@pruefpfad/domain';
import type { PrintableReport, PrintableRow } from '../reports/printable-report.js';
import type { HeatMap, RiskView } from './risks.queries.js';

const STRATEGY_DE: Record<RiskStrategy, string> = {
  accept: 'hinnehmen',
  transfer: 'übertragen',
  avoid: 'vermeiden',
  reduce: 'reduzieren',
};

/**
 * The quarterly risk report for the Trägerversammlung: the heat map as a table, then every risk with its
 * assessment, strategy and due dates. Rendered by the reports' PDF and CSV helpers. No personal data.
 */
export function printableRiskReport(
  tenant: string,
  year: number,
  quarter: number,
  risks: readonly RiskView[],
  heatMap: HeatMap,
): PrintableReport {
  const row = (section: string, label: string, value: string | number, category = '', characteristic = '') =>
    ({ section, label, category, characteristic, value: String(value) }) satisfies PrintableRow;
  const rows: PrintableRow[] = [
    row('Überblick', 'Offene Risiken', heatMap.open),
    row('Überblick', 'Über der Risikobereitschaft', heatMap.aboveAppetite),
    row('Überblick', 'Noch nicht bewertet', heatMap.unassessed),
    row('Überblick', 'Neubewertung überfällig', risks.filter((risk) => risk.reassessmentOverdue).length),
    ...heatMap.cells.map((cell) =>
      row(
        'Risikomatrix',
        `${cell.impactLabel.de} × ${cell.likelihoodLabel.de}`,
        cell.count,
        `Schadensausmaß ${cell.impact}`,
        `Eintrittswahrscheinlichkeit ${cell.likelihood}${cell.aboveAppetite ? ' (über der Risikobereitschaft)' : ''}`,
      ),
    ),
    ...risks.map((risk) =>
      row(
        risk.status === 'open' ? 'Risiken' : 'Geschlossene Risiken',
        risk.title,
        risk.assessment === null
          ? 'nicht bewertet'
          : `${risk.assessment.impact} × ${risk.assessment.likelihood} = ${risk.assessment.score}`,
        `${risk.areaId ?? 'Jobcenter'} / ${risk.process}`,
        [
          risk.treatment === null ? 'Strategie offen' : `Strategie: ${STRATEGY_DE[risk.treatment.strategy]}`,
          risk.treatment?.recheckOn ? `Überprüfung am ${risk.treatment.recheckOn}` : '',
          risk.assessment ? `neu zu bewerten bis ${risk.assessment.reassessBy}` : '',
        ]
          .filter((part) => part !== '')
          .join(', '),
      ),
    ),
  ];
  return {
    fileName: `risikobericht-${tenant}-${year}-Q${quarter}`,
    title: `Risikobericht ${year}, ${quarter}. Quartal`,
    subtitle: 'für die Trägerversammlung / for the Trägerversammlung',
    draft: false,
    facts: [
      ['Jobcenter', tenant],
      ['Stand', heatMap.asOf],
      [
        'Risikomatrix',
        `${heatMap.matrix.matrix.impact.length} × ${heatMap.matrix.matrix.likelihood.length}, Risikobereitschaft bis Wert ${heatMap.matrix.matrix.appetite.maxAcceptedScore}`,
      ],
    ],
    rows,
  };
}

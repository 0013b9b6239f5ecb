import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { useTexts, type Texts } from '../../i18n';
import { DataTable, ErrorAlert, Loading, Section } from '../../ui';
import { label, type HeatMap } from './types';

const CELL = 84;
const LEFT = 150;
const TOP = 12;
const BOTTOM = 70;
/** Light fills (dark text stays readable on both, WCAG 1.4.3); the marker and the table say it in words too. */
const ABOVE_FILL = '#f4c7c3';
const WITHIN_FILL = '#d4ecd9';

/**
 * The heat map of the open risks: an SVG grid (impact up, likelihood across) with the count in each cell,
 * cells above the appetite line filled differently and marked with "!" (not colour alone), described by
 * its label; the same counts as a table below it.
 */
export function HeatMapSection() {
  const texts = useTexts();
  const { t, date } = texts;
  const heatMap = useQuery({
    queryKey: ['risks', 'heat-map'],
    queryFn: ({ signal }) => get<HeatMap>('/api/v1/risks/heat-map', signal),
  });
  return (
    <Section title={t('Heatmap der offenen Risiken', 'Heat map of the open risks')}>
      {heatMap.isPending ? <Loading /> : null}
      {heatMap.error ? <ErrorAlert error={heatMap.error} /> : null}
      {heatMap.data ? (
        <>
          <p>
            {t(
              `Stand ${date(heatMap.data.asOf)}: ${heatMap.data.open} offene Risiken, davon ${heatMap.data.aboveAppetite} über der Risikobereitschaft, ${heatMap.data.unassessed} noch nicht bewertet, ${heatMap.data.offMatrix} auf einer anderen Matrix bewertet (neu zu bewerten).`,
              `As of ${date(heatMap.data.asOf)}: ${heatMap.data.open} open risks, ${heatMap.data.aboveAppetite} of them above the appetite, ${heatMap.data.unassessed} not yet assessed, ${heatMap.data.offMatrix} assessed on another matrix (to be reassessed).`,
            )}
          </p>
          <HeatMapChart data={heatMap.data} texts={texts} />
          <HeatMapTable data={heatMap.data} texts={texts} />
        </>
      ) : null}
    </Section>
  );
}

function HeatMapChart({ data, texts }: { readonly data: HeatMap; readonly texts: Texts }) {
  const { t } = texts;
  const { impact, likelihood } = data.matrix.matrix;
  const width = LEFT + likelihood.length * CELL + 8;
  const height = TOP + impact.length * CELL + BOTTOM;
  const summary = t(
    `Heatmap: ${data.open - data.unassessed - data.offMatrix} bewertete offene Risiken auf der Matrix ${impact.length} × ${likelihood.length}, ${data.aboveAppetite} davon über der Risikobereitschaft. Die Zahlen je Feld stehen in der Tabelle darunter.`,
    `Heat map: ${data.open - data.unassessed - data.offMatrix} assessed open risks on the ${impact.length} × ${likelihood.length} matrix, ${data.aboveAppetite} of them above the appetite. The counts per cell are in the table below.`,
  );
  return (
    <figure className="stack">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: `${width}px` }}
      >
        {data.cells.map((cell) => {
          const x = LEFT + (cell.likelihood - 1) * CELL;
          const y = TOP + (impact.length - cell.impact) * CELL;
          return (
            <g key={`${cell.impact}x${cell.likelihood}`}>
              <rect
                x={x}
                y={y}
                width={CELL}
                height={CELL}
                fill={cell.aboveAppetite ? ABOVE_FILL : WITHIN_FILL}
                stroke="#1b1b1b"
                strokeWidth={cell.aboveAppetite ? 2 : 1}
              />
              <text x={x + CELL / 2} y={y + CELL / 2 + 8} textAnchor="middle" fontSize="26" fill="#1b1b1b">
                {cell.count}
              </text>
              <text x={x + 6} y={y + 16} fontSize="12" fill="#1b1b1b">
                {cell.aboveAppetite ? `! ${cell.score}` : String(cell.score)}
              </text>
            </g>
          );
        })}
        {impact.map((level) => (
          <text
            key={`impact-${level.level}`}
            x={LEFT - 8}
            y={TOP + (impact.length - level.level) * CELL + CELL / 2 + 5}
            textAnchor="end"
            fontSize="13"
            fill="#1b1b1b"
          >
            {`${level.level} ${label(level, texts)}`}
          </text>
        ))}
        {likelihood.map((level) => (
          <text
            key={`likelihood-${level.level}`}
            x={LEFT + (level.level - 1) * CELL + CELL / 2}
            y={TOP + impact.length * CELL + 18}
            textAnchor="middle"
            fontSize="12"
            fill="#1b1b1b"
          >
            {`${level.level} ${label(level, texts)}`}
          </text>
        ))}
        <text x={LEFT + (likelihood.length * CELL) / 2} y={height - 20} textAnchor="middle" fontSize="13">
          {t('Eintrittswahrscheinlichkeit →', 'Likelihood →')}
        </text>
        <text x={8} y={TOP + 14} fontSize="13">
          {t('↑ Schadensausmaß', '↑ Impact')}
        </text>
      </svg>
      <figcaption className="muted">
        {t(
          'Zahl in der Mitte: offene Risiken im Feld; oben links der Wert (Ausmaß × Wahrscheinlichkeit), mit „!“ und rötlich bei Feldern über der Risikobereitschaft, grünlich innerhalb.',
          'Number in the middle: open risks in the cell; top left the score (impact × likelihood), with "!" and reddish for cells above the appetite, greenish within.',
        )}
      </figcaption>
    </figure>
  );
}

function HeatMapTable({ data, texts }: { readonly data: HeatMap; readonly texts: Texts }) {
  const { t } = texts;
  const { impact, likelihood } = data.matrix.matrix;
  const rows = [...impact].reverse().map((level) => {
    const row: Record<string, string | number> = { impact: `${level.level} ${label(level, texts)}` };
    for (const column of likelihood) {
      const cell = data.cells.find(
        (candidate) => candidate.impact === level.level && candidate.likelihood === column.level,
      );
      row[`l${column.level}`] = cell
        ? `${cell.count} (${t('Wert', 'score')} ${cell.score}${cell.aboveAppetite ? t(', über der Risikobereitschaft', ', above the appetite') : ''})`
        : '–';
    }
    return row;
  });
  return (
    <DataTable
      label={t('Offene Risiken je Feld der Matrix', 'Open risks per matrix cell')}
      columns={[
        { key: 'impact', label: t('Schadensausmaß', 'Impact') },
        ...likelihood.map((level) => ({ key: `l${level.level}`, label: `${level.level} ${label(level, texts)}` })),
      ]}
      rows={rows}
    />
  );
}

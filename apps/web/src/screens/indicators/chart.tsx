import { useTexts } from '../../i18n';
import { percentText } from './types';

export interface Bar {
  readonly label: string;
  readonly percent: number | null;
}

/**
 * The shares as horizontal bars (0–100 %), an SVG made from the API's figures. The same figures stand in
 * the table beside it, so the chart is a picture for sighted readers with a summary as its name.
 */
export function ShareBars({ title, bars }: { readonly title: string; readonly bars: readonly Bar[] }) {
  const { t, language } = useTexts();
  const rowHeight = 34;
  const labelWidth = 250;
  const barWidth = 300;
  const height = bars.length * rowHeight + 24;
  const summary = bars.map((bar) => `${bar.label}: ${percentText(bar.percent, language)}`).join('; ');
  return (
    <figure className="stack">
      <svg
        role="img"
        aria-label={`${title}: ${summary}`}
        viewBox={`0 0 ${labelWidth + barWidth + 80} ${height}`}
        width="100%"
        style={{ maxWidth: '42rem' }}
      >
        {bars.map((bar, index) => {
          const y = index * rowHeight + 4;
          const width = bar.percent === null ? 0 : (Math.max(0, Math.min(100, bar.percent)) / 100) * barWidth;
          return (
            <g key={bar.label}>
              <text x={0} y={y + 18} fontSize={13} fill="#1b1b1b">
                {bar.label}
              </text>
              <rect x={labelWidth} y={y + 4} width={barWidth} height={20} fill="#e6e6e6" />
              <rect x={labelWidth} y={y + 4} width={width} height={20} fill="#0b5394" />
              <text x={labelWidth + barWidth + 6} y={y + 18} fontSize={13} fill="#1b1b1b">
                {bar.percent === null ? t('keine Daten', 'no data') : percentText(bar.percent, language)}
              </text>
            </g>
          );
        })}
        {[0, 50, 100].map((tick) => (
          <text
            key={tick}
            x={labelWidth + (tick / 100) * barWidth}
            y={height - 4}
            fontSize={11}
            fill="#1b1b1b"
            textAnchor="middle"
          >
            {`${tick} %`}
          </text>
        ))}
      </svg>
      <figcaption>
        {t(
          'Anteile als Balken; dieselben Zahlen stehen in der Tabelle.',
          'Shares as bars; the same figures are in the table.',
        )}
      </figcaption>
    </figure>
  );
}

import { useEffect, useRef, useState } from 'react';
import { useTexts } from '../../i18n';
import { Loading } from '../../ui';

export interface ChartPoint {
  readonly period: string;
  readonly series: string;
  readonly value: number;
}

let plot: Promise<typeof import('@observablehq/plot')> | undefined;

/**
 * Observable Plot, fetched once. A page that will show a chart calls this when it opens, so the library
 * arrives while its figures are still being asked for instead of after them.
 */
export function loadPlot(): Promise<typeof import('@observablehq/plot')> {
  plot ??= import('@observablehq/plot').catch((error: unknown) => {
    plot = undefined; // a failed fetch (network) is tried again by the next chart
    throw error;
  });
  return plot;
}

/**
 * A line chart as SVG from Observable Plot, loaded with a dynamic import only when a chart is shown (the
 * first page load stays small). The SVG is an image with a label; the same figures are in the table
 * beside it, which is what assistive technology reads.
 */
export function TrendChart({
  label,
  points,
  periods,
}: {
  readonly label: string;
  readonly points: readonly ChartPoint[];
  readonly periods: readonly string[];
}) {
  const { t } = useTexts();
  const host = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    const element = host.current;
    void loadPlot()
      .then((Plot) => {
        if (cancelled || !element) return;
        const svg = Plot.plot({
          width: Math.max(480, Math.min(960, element.clientWidth || 720)),
          height: 320,
          marginLeft: 48,
          marginBottom: 48,
          style: { background: 'transparent', color: '#1b1b1b', fontSize: '12px' },
          x: { type: 'point', domain: [...periods], label: null, tickRotate: periods.length > 12 ? -45 : 0 },
          y: { grid: true, label: t('Anzahl', 'Count'), zero: true },
          color: { legend: true, scheme: 'tableau10' },
          marks: [
            Plot.ruleY([0]),
            Plot.lineY(points as ChartPoint[], { x: 'period', y: 'value', stroke: 'series', marker: 'circle' }),
          ],
        });
        // The figure is one image for assistive technology; its figures are in the table.
        const image = svg instanceof SVGSVGElement ? svg : svg.querySelector('svg');
        // Plot labels its mark groups (`<g aria-label="line">`); inside an image those names are not
        // allowed (axe: aria-prohibited-attr) and say nothing the table does not.
        for (const element of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
          element.removeAttribute('aria-label');
          element.removeAttribute('aria-description');
        }
        image?.setAttribute('role', 'img');
        image?.setAttribute('aria-label', label);
        svg.setAttribute('data-chart', 'trends');
        element.replaceChildren(svg);
        setReady(true);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [label, points, periods, t]);
  return (
    <figure className="chart">
      {!ready && !failed ? <Loading /> : null}
      {failed ? (
        <p>
          {t(
            'Das Diagramm konnte nicht geladen werden; die Zahlen stehen in der Tabelle.',
            'The chart could not be loaded; the figures are in the table.',
          )}
        </p>
      ) : null}
      <div ref={host} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

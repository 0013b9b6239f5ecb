import { KolButton, KolForm, KolInputDate, KolLink, KolSelect } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { get } from '../../api';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section } from '../../ui';
import { loadPlot, TrendChart, type ChartPoint } from './chart';
import { selectedOf } from '../../forms';

interface TrendPeriod {
  readonly period: string;
  readonly reviews: {
    readonly minimum: number;
    readonly sampled: number;
    readonly done: number;
    readonly open: number;
    readonly percentOfMinimum: number | null;
  };
  readonly seriousDefects: { readonly reviews: number; readonly share: number | null };
  readonly defects: { readonly total: number; readonly perReview: number | null };
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
  readonly measures: {
    readonly agreed: number;
    readonly completed: number;
    readonly open: number;
    readonly overdue: number;
  };
  readonly reports: {
    readonly expected: number;
    readonly onTime: number;
    readonly late: number;
    readonly missing: number;
  };
}

interface TrendView {
  readonly from: string;
  readonly to: string;
  readonly granularity: 'month' | 'quarter';
  readonly errorRatesCollected: boolean;
  readonly errorRatesNote?: string;
  readonly periods: readonly TrendPeriod[];
}

/** Management: trends over the years as a chart, the same figures as a table, and the API's CSV. */
export function TrendsPage({
  from,
  to,
  granularity,
}: {
  readonly from: string;
  readonly to: string;
  readonly granularity: 'month' | 'quarter';
}) {
  const { t, pick, language } = useTexts();
  const query = `from=${from}&to=${to}&granularity=${granularity}`;
  const trends = useQuery({
    queryKey: ['trends', from, to, granularity],
    queryFn: ({ signal }) => get<TrendView>(`/api/v1/trends?${query}`, signal),
  });
  // The chart library is fetched while the figures are asked for, not after they arrived.
  useEffect(() => void loadPlot().catch(() => undefined), []);
  const [draftFrom, setDraftFrom] = useState(from);
  const [draftTo, setDraftTo] = useState(to);
  const [draftGranularity, setDraftGranularity] = useState<string>(granularity);
  const names = useMemo(
    () => ({
      done: t('Abgeschlossene Prüfungen', 'Completed reviews'),
      minimum: t('Mindestzahl', 'Minimum'),
      serious: t('Prüfungen mit gravierenden Mängeln', 'Reviews with serious defects'),
      measures: t('Vereinbarte Maßnahmen', 'Measures agreed'),
    }),
    [t],
  );
  const periods = useMemo(() => trends.data?.periods.map((period) => period.period) ?? [], [trends.data]);
  const points = useMemo<ChartPoint[]>(
    () =>
      (trends.data?.periods ?? []).flatMap((period) => [
        { period: period.period, series: names.done, value: period.reviews.done },
        { period: period.period, series: names.minimum, value: period.reviews.minimum },
        { period: period.period, series: names.serious, value: period.seriousDefects.reviews },
        { period: period.period, series: names.measures, value: period.measures.agreed },
      ]),
    [trends.data, names],
  );
  // KoliBri 4.1 scrolls a table taller than its maximum height without making it keyboard-focusable
  // (axe: scrollable-region-focusable), so the periods come in tables of a year (months: half a year).
  const groups = useMemo(() => {
    const byGroup = new Map<string, TrendPeriod[]>();
    for (const period of trends.data?.periods ?? []) {
      const year = period.period.slice(0, 4);
      const month = Number(period.period.slice(5, 7));
      const label =
        granularity === 'month'
          ? `${year}, ${month <= 6 ? t('1. Halbjahr', 'first half') : t('2. Halbjahr', 'second half')}`
          : year;
      byGroup.set(label, [...(byGroup.get(label) ?? []), period]);
    }
    return [...byGroup].map(([label, periods]) => ({ label, periods }));
  }, [trends.data, granularity, t]);
  const number = (value: number | null, digits = 1) =>
    value === null
      ? '–'
      : value.toLocaleString(language === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits });
  return (
    <Page title={t('Entwicklungen im Jobcenter', 'Trends in the Jobcenter')}>
      <KolForm
        _on={{
          onSubmit: () =>
            navigate(
              `/jobcenter/entwicklungen?von=${draftFrom}&bis=${draftTo}&raster=${draftGranularity === 'month' ? 'monat' : 'quartal'}`,
            ),
        }}
      >
        <div className="row">
          <KolInputDate
            _type="month"
            _label={t('Von', 'From')}
            _value={isoValue(draftFrom)}
            _on={{ onInput: (_event: Event, value: unknown) => typeof value === 'string' && setDraftFrom(value) }}
          />
          <KolInputDate
            _type="month"
            _label={t('Bis', 'To')}
            _value={isoValue(draftTo)}
            _on={{ onInput: (_event: Event, value: unknown) => typeof value === 'string' && setDraftTo(value) }}
          />
          <KolSelect
            _label={t('Raster', 'Granularity')}
            _options={[
              { label: t('Quartale', 'Quarters'), value: 'quarter' },
              { label: t('Monate', 'Months'), value: 'month' },
            ]}
            _value={[draftGranularity]}
            _on={{ onChange: (_event: Event, value: unknown) => setDraftGranularity(selectedOf(value)) }}
          />
          <KolButton _type="submit" _label={t('Anzeigen', 'Show')} />
        </div>
      </KolForm>
      {trends.isPending ? <Loading /> : null}
      {trends.error ? <ErrorAlert error={trends.error} /> : null}
      {trends.data ? (
        <>
          <TrendChart
            label={t(
              `Prüfungen, gravierende Mängel und Maßnahmen je ${granularity === 'quarter' ? 'Quartal' : 'Monat'}, ${from} bis ${to}`,
              `Reviews, serious defects and measures per ${granularity}, ${from} to ${to}`,
            )}
            points={points}
            periods={periods}
          />
          <KolLink
            _href={`/api/v1/trends.csv?${query}`}
            _label={t('Zahlen als CSV herunterladen', 'Download the figures as CSV')}
          />
          {trends.data.errorRatesNote ? <p>{pick(trends.data.errorRatesNote)}</p> : null}
          <Section title={t('Zahlen zum Diagramm', 'Figures of the chart')}>
            {groups.map((group) => (
              <DataTable
                key={group.label}
                label={t(`Entwicklung ${group.label}`, `Trend ${group.label}`)}
                columns={[
                  { key: 'period', label: t('Zeitraum', 'Period') },
                  { key: 'done', label: names.done, align: 'right' },
                  { key: 'minimum', label: names.minimum, align: 'right' },
                  { key: 'percent', label: t('Erfüllt (%)', 'Done (%)'), align: 'right' },
                  { key: 'serious', label: names.serious, align: 'right' },
                  { key: 'measures', label: names.measures, align: 'right' },
                  { key: 'overdue', label: t('Maßnahmen überfällig', 'Measures overdue'), align: 'right' },
                ]}
                rows={group.periods.map((period) => ({
                  period: period.period,
                  done: period.reviews.done,
                  minimum: period.reviews.minimum,
                  percent: number(period.reviews.percentOfMinimum),
                  serious: period.seriousDefects.reviews,
                  measures: period.measures.agreed,
                  overdue: period.measures.overdue,
                }))}
              />
            ))}
          </Section>
        </>
      ) : null}
    </Page>
  );
}

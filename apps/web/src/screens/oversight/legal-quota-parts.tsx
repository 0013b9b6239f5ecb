import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { get } from '../../api';
import { useTexts, type Texts } from '../../i18n';
import { DataTable, Loading, Section } from '../../ui';
import { loadPlot } from '../management/chart';

/**
 * The legal department's avoidable-appeal quota (Widerspruchsquote, 001:252–280) as the screens show it:
 * both shares against their targets ("keine Angabe" where the denominator is 0, never 0 % or NaN), the
 * breakdowns by reason, legal norm and team (team cells hidden by the small-cell rule outside the legal
 * department), and the trend as a chart with the same figures as tables. Used by the quota screens, the
 * legal department's quarterly report and the management dashboard.
 */

export const AVOIDABLE_REASONS = ['documentation', 'application-of-law', 'fact-finding'] as const;
export type AvoidableReason = (typeof AVOIDABLE_REASONS)[number];
export type ByReason = Readonly<Record<AvoidableReason, number>>;

export interface QuotaShare {
  readonly numerator: number;
  readonly denominator: number;
  readonly percent: number | null;
  readonly targetPercent: number;
  readonly status: 'no-figure' | 'within-target' | 'above-target';
  readonly informational: boolean;
}

export interface LegalQuota {
  readonly avoidableAmongUpheld: QuotaShare;
  readonly avoidableAmongSettled: QuotaShare;
}

export interface QuotaTotals {
  readonly settled: number;
  readonly upheld: number;
  readonly upheldFully: number;
  readonly upheldPartly: number;
  readonly avoidable: number;
  readonly avoidableByReason: ByReason;
}

export interface QuotaFigures {
  readonly totals: QuotaTotals;
  readonly quota: LegalQuota;
}

/** A recorded row (legal norm × team) as the legal department reads it back. */
export interface QuotaRow {
  readonly legalNorm: string;
  readonly teamId: string | null;
  readonly settled: number;
  readonly upheldFully: number;
  readonly upheldPartly: number;
  readonly avoidable: ByReason;
}

export type TeamCell =
  | ({ readonly teamId: string | null; readonly suppressed: false } & QuotaFigures)
  | { readonly teamId: string | null; readonly suppressed: true; readonly totals: null; readonly quota: null };

export interface Breakdown {
  readonly byReason: ByReason;
  readonly byLegalNorm: readonly ({ readonly legalNorm: string } & QuotaFigures)[];
  readonly byTeam: readonly TeamCell[];
  readonly rows: readonly QuotaRow[] | null;
  readonly suppressedTeams: number;
}

export type QuotaMonthFigures = { readonly month: string; readonly recorded: boolean } & QuotaFigures;

export interface QuotaMonthView extends QuotaFigures, Breakdown {
  readonly month: string;
  readonly recordedAt: string;
  readonly changedAt: string;
  readonly corrections: number;
  readonly revision: number;
  readonly rulesVersion: string;
  readonly minCellCount: number;
}

export interface QuotaTrendView extends QuotaFigures {
  readonly from: string;
  readonly to: string;
  readonly rulesVersion: string;
  readonly targets: { readonly avoidableAmongUpheldPercent: number; readonly avoidableAmongSettledPercent: number };
  readonly months: readonly QuotaMonthFigures[];
  readonly years: readonly ({ readonly year: number; readonly months: number } & QuotaFigures)[];
}

/** The quota of a report period (the legal department's quarterly report). */
export interface QuotaPeriodView extends QuotaFigures, Breakdown {
  readonly months: readonly QuotaMonthFigures[];
  readonly rulesVersion: string;
  readonly minCellCount: number;
}

export const quotaPath = (month: string) => `/rechtsstelle/widerspruchsquote?monat=${month}`;
export const quotaTrendPath = (from: string, to: string) =>
  `/rechtsstelle/widerspruchsquote/entwicklung?von=${from}&bis=${to}`;

export function reasonName(reason: AvoidableReason, t: Texts['t']): string {
  switch (reason) {
    case 'documentation':
      return t('Dokumentation', 'Documentation');
    case 'application-of-law':
      return t('Rechtsanwendung', 'Application of law');
    case 'fact-finding':
      return t('Sachverhaltsaufklärung', 'Fact-finding');
  }
}

/** A percent as people read it ("45,5 %"), or "keine Angabe" for a share without a figure. */
export function percentText(percent: number | null, texts: Pick<Texts, 't' | 'language'>): string {
  if (percent === null) return texts.t('keine Angabe', 'no figure');
  return `${percent.toLocaleString(texts.language === 'de' ? 'de-DE' : 'en-GB', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  })} %`;
}

export function statusText(share: QuotaShare, t: Texts['t']): string {
  switch (share.status) {
    case 'no-figure':
      return t('keine Angabe', 'no figure');
    case 'within-target':
      return t('im Ziel', 'within target');
    case 'above-target':
      return t('über dem Ziel', 'above target');
  }
}

/** "45,5 % (5 von 11), über dem Ziel" – the share, its counts and how it stands against its target. */
export function shareLine(share: QuotaShare, texts: Texts): string {
  const { t } = texts;
  if (share.percent === null)
    return t(
      `keine Angabe (${share.numerator} von ${share.denominator})`,
      `no figure (${share.numerator} of ${share.denominator})`,
    );
  return `${percentText(share.percent, texts)} (${t(
    `${share.numerator} von ${share.denominator}`,
    `${share.numerator} of ${share.denominator}`,
  )}), ${statusText(share, t)}`;
}

export function shareNames(t: Texts['t'], quota?: LegalQuota) {
  const upheld = quota
    ? ` (${t('Ziel höchstens', 'target at most')} ${quota.avoidableAmongUpheld.targetPercent} %)`
    : '';
  const settled = quota
    ? ` (${t('nachrichtlich, vorläufiges Ziel', 'for information, provisional target')} ${quota.avoidableAmongSettled.targetPercent} %)`
    : '';
  return {
    upheld: `${t('Vermeidbare unter den Stattgaben', 'Avoidable among upheld appeals')}${upheld}`,
    settled: `${t('Vermeidbare unter den erledigten Widersprüchen', 'Avoidable among settled appeals')}${settled}`,
  };
}

/** Both shares against their targets, as a list of facts. */
export function QuotaShares({ quota }: { readonly quota: LegalQuota }) {
  const texts = useTexts();
  const names = shareNames(texts.t, quota);
  return (
    <dl className="facts quota-shares">
      <dt>{names.upheld}</dt>
      <dd>{shareLine(quota.avoidableAmongUpheld, texts)}</dd>
      <dt>{names.settled}</dt>
      <dd>{shareLine(quota.avoidableAmongSettled, texts)}</dd>
    </dl>
  );
}

/** The teams of the organisation by id (every employee of the Jobcenter may read their names). */
export function useTeamNames(): ReadonlyMap<string, string> {
  const organisation = useQuery({
    queryKey: ['organisation', 'overview'],
    queryFn: ({ signal }) =>
      get<{ areas: { teams: { id: string; name: string }[] }[] }>('/api/v1/organisation', signal),
    staleTime: 60_000,
  });
  return useMemo(
    () => new Map((organisation.data?.areas ?? []).flatMap((area) => area.teams.map((team) => [team.id, team.name]))),
    [organisation.data],
  );
}

export const teamLabel = (teamId: string | null, names: ReadonlyMap<string, string>, t: Texts['t']) =>
  teamId === null ? t('teamübergreifend', 'across teams') : (names.get(teamId) ?? teamId);

/** Totals, the avoidable ones by reason, and the breakdowns by legal norm and team. */
export function QuotaBreakdown({
  figures,
  breakdown,
  label,
}: {
  readonly figures: QuotaFigures;
  readonly breakdown: Breakdown;
  /** What the tables are of ("März 2026", "2026/Q1"), in their captions. */
  readonly label: string;
}) {
  const texts = useTexts();
  const { t } = texts;
  const teams = useTeamNames();
  const names = shareNames(t);
  const figureRow = (name: string, cell: QuotaFigures) => ({
    name,
    settled: cell.totals.settled,
    upheld: cell.totals.upheld,
    avoidable: cell.totals.avoidable,
    upheldShare: percentText(cell.quota.avoidableAmongUpheld.percent, texts),
    settledShare: percentText(cell.quota.avoidableAmongSettled.percent, texts),
  });
  const figureColumns = (first: string) => [
    { key: 'name' as const, label: first },
    { key: 'settled' as const, label: t('Erledigt', 'Settled'), align: 'right' as const },
    { key: 'upheld' as const, label: t('Stattgaben', 'Upheld'), align: 'right' as const },
    { key: 'avoidable' as const, label: t('davon vermeidbar', 'of which avoidable'), align: 'right' as const },
    { key: 'upheldShare' as const, label: names.upheld, align: 'right' as const },
    { key: 'settledShare' as const, label: names.settled, align: 'right' as const },
  ];
  return (
    <>
      <DataTable
        label={t(`Zahlen ${label}`, `Figures ${label}`)}
        columns={[
          { key: 'settled', label: t('Erledigte Widersprüche', 'Appeals settled'), align: 'right' },
          { key: 'fully', label: t('Volle Stattgaben', 'Upheld fully'), align: 'right' },
          { key: 'partly', label: t('Teilweise Stattgaben', 'Upheld partly'), align: 'right' },
          { key: 'avoidable', label: t('davon vermeidbar', 'of which avoidable'), align: 'right' },
          ...AVOIDABLE_REASONS.map((reason) => ({
            key: reason,
            label: `${t('vermeidbar', 'avoidable')}: ${reasonName(reason, t)}`,
            align: 'right' as const,
          })),
        ]}
        rows={[
          {
            settled: figures.totals.settled,
            fully: figures.totals.upheldFully,
            partly: figures.totals.upheldPartly,
            avoidable: figures.totals.avoidable,
            ...breakdown.byReason,
          },
        ]}
      />
      {breakdown.byLegalNorm.length > 0 ? (
        <DataTable
          label={t(`Nach Rechtsnorm ${label}`, `By legal norm ${label}`)}
          columns={figureColumns(t('Rechtsnorm', 'Legal norm'))}
          rows={breakdown.byLegalNorm.map((cell) => figureRow(cell.legalNorm, cell))}
        />
      ) : null}
      {breakdown.byTeam.length > 0 ? (
        <DataTable
          label={t(`Nach Team ${label}`, `By team ${label}`)}
          columns={figureColumns(t('Team', 'Team'))}
          rows={breakdown.byTeam.map((cell) =>
            cell.suppressed
              ? {
                  name: teamLabel(cell.teamId, teams, t),
                  settled: t('unterdrückt', 'suppressed'),
                  upheld: '–',
                  avoidable: '–',
                  upheldShare: '–',
                  settledShare: '–',
                }
              : figureRow(teamLabel(cell.teamId, teams, t), cell),
          )}
        />
      ) : null}
      {breakdown.suppressedTeams > 0 ? (
        <p>
          {t(
            `${breakdown.suppressedTeams} Teams sind nach der Kleinzellenregel ausgeblendet (zu wenige erledigte Widersprüche, damit niemand erkennbar wird).`,
            `${breakdown.suppressedTeams} teams are hidden under the small-cell rule (too few settled appeals to keep anyone from being recognisable).`,
          )}
        </p>
      ) : null}
    </>
  );
}

/** One table row per month: counts and both shares with how they stand. */
export function MonthFiguresTable({
  label,
  months,
}: {
  readonly label: string;
  readonly months: readonly QuotaMonthFigures[];
}) {
  const texts = useTexts();
  const { t, month } = texts;
  const names = shareNames(t);
  return (
    <DataTable
      label={label}
      columns={[
        { key: 'month', label: t('Monat', 'Month') },
        { key: 'settled', label: t('Erledigt', 'Settled'), align: 'right' },
        { key: 'upheld', label: t('Stattgaben', 'Upheld'), align: 'right' },
        { key: 'avoidable', label: t('davon vermeidbar', 'of which avoidable'), align: 'right' },
        { key: 'upheldShare', label: names.upheld, align: 'right' },
        { key: 'settledShare', label: names.settled, align: 'right' },
      ]}
      rows={months.map((row) =>
        row.recorded
          ? {
              month: month(row.month),
              settled: row.totals.settled,
              upheld: row.totals.upheld,
              avoidable: row.totals.avoidable,
              upheldShare: `${percentText(row.quota.avoidableAmongUpheld.percent, texts)}${
                row.quota.avoidableAmongUpheld.status === 'above-target'
                  ? ` (${statusText(row.quota.avoidableAmongUpheld, t)})`
                  : ''
              }`,
              settledShare: percentText(row.quota.avoidableAmongSettled.percent, texts),
            }
          : {
              month: month(row.month),
              settled: t('nicht erfasst', 'not recorded'),
              upheld: '–',
              avoidable: '–',
              upheldShare: t('keine Angabe', 'no figure'),
              settledShare: t('keine Angabe', 'no figure'),
            },
      )}
    />
  );
}

interface SharePoint {
  readonly period: string;
  readonly series: string;
  readonly value: number | null;
}

/**
 * Both shares per month as lines (Observable Plot, loaded on demand), the targets as dashed lines; a month
 * without a figure is a gap, never 0 %. The SVG is one image for assistive technology; the same figures
 * are in the table beside it.
 */
export function QuotaChart({ label, trend }: { readonly label: string; readonly trend: QuotaTrendView }) {
  const texts = useTexts();
  const { t } = texts;
  const host = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    const element = host.current;
    const names = shareNames(t);
    const targetUpheld = `${t('Ziel', 'Target')}: ${names.upheld}`;
    const targetSettled = `${t('Ziel', 'Target')}: ${names.settled}`;
    const periods = trend.months.map((row) => row.month);
    const shares: SharePoint[] = trend.months.flatMap((row) => [
      { period: row.month, series: names.upheld, value: row.quota.avoidableAmongUpheld.percent },
      { period: row.month, series: names.settled, value: row.quota.avoidableAmongSettled.percent },
    ]);
    const targets: SharePoint[] = trend.months.flatMap((row) => [
      { period: row.month, series: targetUpheld, value: trend.targets.avoidableAmongUpheldPercent },
      { period: row.month, series: targetSettled, value: trend.targets.avoidableAmongSettledPercent },
    ]);
    void loadPlot()
      .then((Plot) => {
        if (cancelled || !element) return;
        const svg = Plot.plot({
          width: Math.max(480, Math.min(960, element.clientWidth || 720)),
          height: 320,
          marginLeft: 48,
          marginBottom: 48,
          style: { background: 'transparent', color: '#1b1b1b', fontSize: '12px' },
          x: { type: 'point', domain: periods, label: null, tickRotate: periods.length > 12 ? -45 : 0 },
          y: { grid: true, label: t('Prozent', 'Percent'), zero: true },
          color: {
            legend: true,
            domain: [names.upheld, names.settled, targetUpheld, targetSettled],
            range: ['#0b5cad', '#a3410b', '#0b5cad', '#a3410b'],
          },
          marks: [
            Plot.ruleY([0]),
            Plot.lineY(targets, { x: 'period', y: 'value', stroke: 'series', strokeDasharray: '6,4' }),
            Plot.lineY(shares, { x: 'period', y: 'value', stroke: 'series', marker: 'circle' }),
          ],
        });
        for (const labelled of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
          labelled.removeAttribute('aria-label');
          labelled.removeAttribute('aria-description');
        }
        const image = svg instanceof SVGSVGElement ? svg : svg.querySelector('svg');
        image?.setAttribute('role', 'img');
        image?.setAttribute('aria-label', label);
        svg.setAttribute('data-chart', 'legal-quota');
        element.replaceChildren(svg);
        setReady(true);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [label, trend, t]);
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

/**
 * The trend: the chart of the months, the same figures per month and per calendar year as tables. Without
 * `chart` only the tables (a page that links to the chart need not fetch the chart library).
 */
export function QuotaTrendFigures({
  trend,
  level = 2,
  chart = true,
}: {
  readonly trend: QuotaTrendView;
  readonly level?: 2 | 3;
  readonly chart?: boolean;
}) {
  const texts = useTexts();
  const { t, month } = texts;
  const names = shareNames(t);
  useEffect(() => {
    if (chart) void loadPlot().catch(() => undefined);
  }, [chart]);
  const range = `${month(trend.from)} – ${month(trend.to)}`;
  // KoliBri pages tables longer than ten rows; a year's months come in half years so none is paged away.
  const halves = useMemo(() => {
    const groups = new Map<string, QuotaMonthFigures[]>();
    for (const row of trend.months) {
      const key = `${row.month.slice(0, 4)}-${Number(row.month.slice(5, 7)) <= 6 ? 1 : 2}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return [...groups].map(([key, months]) => ({
      label: `${key.slice(0, 4)}, ${key.endsWith('1') ? t('1. Halbjahr', 'first half') : t('2. Halbjahr', 'second half')}`,
      months,
    }));
  }, [trend, t]);
  return (
    <>
      {chart ? (
        <QuotaChart
          label={t(`Widerspruchsquote je Monat, ${range}`, `Avoidable-appeal quota per month, ${range}`)}
          trend={trend}
        />
      ) : null}
      <Section
        level={level}
        title={chart ? t('Zahlen zum Diagramm', 'Figures of the chart') : t(`Entwicklung ${range}`, `Trend ${range}`)}
      >
        {halves.map((half) => (
          <MonthFiguresTable
            key={half.label}
            label={t(`Widerspruchsquote ${half.label}`, `Avoidable-appeal quota ${half.label}`)}
            months={half.months}
          />
        ))}
        <DataTable
          label={t('Widerspruchsquote je Kalenderjahr', 'Avoidable-appeal quota per calendar year')}
          columns={[
            { key: 'year', label: t('Jahr', 'Year') },
            { key: 'months', label: t('Erfasste Monate', 'Months recorded'), align: 'right' },
            { key: 'settled', label: t('Erledigt', 'Settled'), align: 'right' },
            { key: 'upheld', label: t('Stattgaben', 'Upheld'), align: 'right' },
            { key: 'avoidable', label: t('davon vermeidbar', 'of which avoidable'), align: 'right' },
            { key: 'upheldShare', label: names.upheld, align: 'right' },
            { key: 'settledShare', label: names.settled, align: 'right' },
          ]}
          rows={trend.years.map((year) => ({
            year: String(year.year),
            months: year.months,
            settled: year.totals.settled,
            upheld: year.totals.upheld,
            avoidable: year.totals.avoidable,
            upheldShare: shareLine(year.quota.avoidableAmongUpheld, texts),
            settledShare: percentText(year.quota.avoidableAmongSettled.percent, texts),
          }))}
        />
        <p>
          {t(
            `Ziele: vermeidbare unter den Stattgaben höchstens ${trend.targets.avoidableAmongUpheldPercent} %, unter den erledigten Widersprüchen nachrichtlich ${trend.targets.avoidableAmongSettledPercent} % (Regelwerk ${trend.rulesVersion}).`,
            `Targets: avoidable among upheld at most ${trend.targets.avoidableAmongUpheldPercent} %, among settled for information ${trend.targets.avoidableAmongSettledPercent} % (rules ${trend.rulesVersion}).`,
          )}
        </p>
      </Section>
    </>
  );
}

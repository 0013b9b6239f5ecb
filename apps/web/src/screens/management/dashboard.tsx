import { KolBadge, KolInputDate, KolLink, KolSelect } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section } from '../../ui';
import { reportStatusText } from '../area/dashboard';
import type { ReportStatus, Totals } from '../area/types';
import { selectedOf } from '../../forms';
import {
  type QuotaMonthFigures,
  QuotaShares,
  QuotaTrendFigures,
  type QuotaTrendView,
  quotaPath,
  quotaTrendPath,
} from '../oversight/legal-quota-parts';

interface ManagementDashboard {
  readonly month: string;
  readonly today: string;
  readonly areas: readonly (Totals & { readonly areaId: string; readonly name: string; readonly teams: number })[];
  readonly totals: Totals;
  readonly suspendedRoutines: readonly {
    readonly programmeId: string;
    readonly title: string;
    readonly since: string;
    readonly recheckOn: string;
    readonly recheckOverdue: boolean;
    readonly againstToleranceTest: boolean;
  }[];
  /** The legal department's avoidable-appeal quota: the month and its twelve-month trend (Jobcenter totals). */
  readonly legalQuota?: { readonly month: QuotaMonthFigures; readonly trend: QuotaTrendView };
}

/** The month's avoidable-appeal quota against its targets and the twelve months up to it. */
function LegalQuotaSection({ legalQuota }: { readonly legalQuota: NonNullable<ManagementDashboard['legalQuota']> }) {
  const { t, month: monthName } = useTexts();
  const { month, trend } = legalQuota;
  return (
    <Section title={t('Widerspruchsquote der Rechtsstelle', 'Legal department’s avoidable-appeal quota')}>
      {month.recorded ? (
        <QuotaShares quota={month.quota} />
      ) : (
        <p>
          {t(
            `Für ${monthName(month.month)} hat die Rechtsstelle noch keine Zahlen erfasst.`,
            `The legal department has not recorded figures for ${monthName(month.month)} yet.`,
          )}
        </p>
      )}
      <QuotaTrendFigures trend={trend} level={3} chart={false} />
      <nav aria-label={t('Widerspruchsquote', 'Avoidable-appeal quota')} className="row">
        <KolLink
          _href={quotaPath(month.month)}
          _label={t(`Widerspruchsquote ${monthName(month.month)}`, `Avoidable-appeal quota ${monthName(month.month)}`)}
        />
        <KolLink
          _href={quotaTrendPath(trend.from, trend.to)}
          _label={t('Entwicklung der Widerspruchsquote', 'Trend of the avoidable-appeal quota')}
        />
      </nav>
    </Section>
  );
}

/** Management: the Jobcenter's month per area, with the routines suspended now. */
export function ManagementDashboardPage({ month }: { readonly month: string }) {
  const { t, date, month: monthName } = useTexts();
  const dashboard = useQuery({
    queryKey: ['management-dashboard', month],
    queryFn: ({ signal }) => get<ManagementDashboard>(`/api/v1/dashboards/management?month=${month}`, signal),
  });
  return (
    <Page title={t(`Jobcenter, ${monthName(month)}`, `Jobcenter, ${monthName(month)}`)}>
      <KolInputDate
        _type="month"
        _label={t('Monat', 'Month')}
        _value={isoValue(month)}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value))
              navigate(`/jobcenter?monat=${value}`, { replace: true });
          },
        }}
      />
      {dashboard.isPending ? <Loading /> : null}
      {dashboard.error ? <ErrorAlert error={dashboard.error} /> : null}
      {dashboard.data ? (
        <>
          <div className="row" role="status">
            <KolBadge
              _label={t(
                `${dashboard.data.totals.progress.completed} von ${dashboard.data.totals.progress.required} Pflichtprüfungen abgeschlossen`,
                `${dashboard.data.totals.progress.completed} of ${dashboard.data.totals.progress.required} required reviews completed`,
              )}
              _color="#e6e6e6"
            />
            <KolBadge
              _label={t(
                `${dashboard.data.totals.progress.overdue} überfällig`,
                `${dashboard.data.totals.progress.overdue} overdue`,
              )}
              _color={dashboard.data.totals.progress.overdue > 0 ? '#f4cccc' : '#e6e6e6'}
            />
            <KolBadge
              _label={t(
                `${dashboard.data.totals.measures.overdue} Maßnahmen überfällig`,
                `${dashboard.data.totals.measures.overdue} measures overdue`,
              )}
              _color="#e6e6e6"
            />
          </div>
          <DataTable
            label={t('Stand je Bereich', 'Status per area')}
            columns={[
              { key: 'area', label: t('Bereich', 'Area') },
              { key: 'teams', label: t('Teams', 'Teams'), align: 'right' },
              { key: 'sampled', label: t('Gezogen / Mindestzahl', 'Sampled / minimum'), align: 'right' },
              { key: 'completed', label: t('Abgeschlossen', 'Completed'), align: 'right' },
              { key: 'open', label: t('Offen (überfällig)', 'Open (overdue)'), align: 'right' },
              { key: 'serious', label: t('Gravierende Mängel', 'Serious defects'), align: 'right' },
              { key: 'measures', label: t('Maßnahmen offen (überfällig)', 'Measures open (overdue)'), align: 'right' },
              {
                key: 'reports',
                label: t('Berichte eingereicht / fällig / überfällig', 'Reports submitted / due / overdue'),
                align: 'right',
              },
            ]}
            rows={[
              ...dashboard.data.areas,
              {
                ...dashboard.data.totals,
                areaId: '',
                name: t('Jobcenter insgesamt', 'Jobcenter total'),
                teams: dashboard.data.areas.reduce((sum, area) => sum + area.teams, 0),
              },
            ].map((area) => ({
              area: area.name,
              teams: area.teams,
              sampled: `${area.progress.sampled} / ${area.progress.required}`,
              completed: area.progress.completed,
              open: `${area.progress.open} (${area.progress.overdue})`,
              serious: area.seriousDefects,
              measures: `${area.measures.open} (${area.measures.overdue})`,
              reports: `${area.reports.submitted} / ${area.reports.due} / ${area.reports.overdue}`,
            }))}
          />
          <Section title={t('Ausgesetzte Prüfroutinen', 'Suspended review routines')}>
            {dashboard.data.suspendedRoutines.length === 0 ? (
              <p>{t('Keine Prüfroutine ist ausgesetzt.', 'No review routine is suspended.')}</p>
            ) : (
              <DataTable
                label={t('Ausgesetzte Prüfroutinen', 'Suspended review routines')}
                columns={[
                  {
                    key: 'title',
                    label: t('Prüfplan', 'Programme'),
                    href: (row) => `/jobcenter/pruefroutinen/${String(row['id'])}`,
                  },
                  { key: 'since', label: t('Seit', 'Since') },
                  { key: 'recheck', label: t('Überprüfung bis', 'Re-check by') },
                  { key: 'test', label: t('Toleranztest', 'Tolerance test') },
                ]}
                rows={dashboard.data.suspendedRoutines.map((routine) => ({
                  id: routine.programmeId,
                  title: routine.title,
                  since: date(routine.since),
                  recheck: `${date(routine.recheckOn)}${routine.recheckOverdue ? ` – ${t('überfällig', 'overdue')}` : ''}`,
                  test: routine.againstToleranceTest
                    ? t('gegen den Test entschieden', 'decided against the test')
                    : t('bestanden', 'passed'),
                }))}
              />
            )}
          </Section>
          {dashboard.data.legalQuota ? <LegalQuotaSection legalQuota={dashboard.data.legalQuota} /> : null}
        </>
      ) : null}
      <nav aria-label={t('Weiter', 'More')} className="row">
        <KolLink _href="/jobcenter/entwicklungen" _label={t('Entwicklungen über die Jahre', 'Trends over the years')} />
        <KolLink
          _href="/jobcenter/berichtsstand"
          _label={t('Stand der Quartalsberichte', 'Status of the quarterly reports')}
        />
      </nav>
    </Page>
  );
}

interface ReportStatusView {
  readonly year: number;
  readonly quarter: number;
  readonly units: readonly {
    readonly unitId: string;
    readonly kind: 'team' | 'legal';
    readonly name: string;
    readonly areaId: string | null;
    readonly dueDate: string | null;
    readonly status: ReportStatus;
    readonly submittedOn: string | null;
    readonly late: boolean | null;
  }[];
  readonly counts: { readonly submitted: number; readonly due: number; readonly overdue: number };
}

/** Management: who has submitted the quarter's report, who owes it, who is late. */
export function ReportStatusPage({ year, quarter }: { readonly year: number; readonly quarter: number }) {
  const { t, date } = useTexts();
  const status = useQuery({
    queryKey: ['report-status', year, quarter],
    queryFn: ({ signal }) => get<ReportStatusView>(`/api/v1/reports/status?year=${year}&quarter=${quarter}`, signal),
  });
  const thisYear = new Date().getFullYear();
  const periods = Array.from({ length: 12 }, (_, index) => {
    const y = thisYear - Math.floor(index / 4);
    const q = 4 - (index % 4);
    return { label: `Q${q}/${y}`, value: `${y}-${q}` };
  });
  return (
    <Page title={t(`Stand der Quartalsberichte Q${quarter}/${year}`, `Quarterly reports Q${quarter}/${year}`)}>
      <KolSelect
        _label={t('Quartal', 'Quarter')}
        _options={periods}
        _value={[`${year}-${quarter}`]}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            const [y, q] = selectedOf(value).split('-');
            if (y && q) navigate(`/jobcenter/berichtsstand?jahr=${y}&quartal=${q}`, { replace: true });
          },
        }}
      />
      {status.isPending ? <Loading /> : null}
      {status.error ? <ErrorAlert error={status.error} /> : null}
      {status.data ? (
        <>
          <p role="status">
            {t(
              `${status.data.counts.submitted} eingereicht, ${status.data.counts.due} fällig, ${status.data.counts.overdue} überfällig.`,
              `${status.data.counts.submitted} submitted, ${status.data.counts.due} due, ${status.data.counts.overdue} overdue.`,
            )}
          </p>
          <DataTable
            label={t('Berichtsstand je Einheit', 'Report status per unit')}
            columns={[
              { key: 'unit', label: t('Einheit', 'Unit') },
              { key: 'area', label: t('Bereich', 'Area') },
              { key: 'status', label: t('Stand', 'Status') },
              { key: 'due', label: t('Fällig am', 'Due on') },
              { key: 'submitted', label: t('Eingereicht am', 'Submitted on') },
            ]}
            rows={status.data.units.map((unit) => ({
              unit: unit.name,
              area: unit.areaId ?? '–',
              status: `${reportStatusText(unit.status, t)}${unit.late ? ` (${t('verspätet', 'late')})` : ''}`,
              due: unit.dueDate ? date(unit.dueDate) : '–',
              submitted: unit.submittedOn ? date(unit.submittedOn) : '–',
            }))}
          />
        </>
      ) : null}
    </Page>
  );
}

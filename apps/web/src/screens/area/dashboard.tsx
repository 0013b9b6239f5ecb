import { KolBadge, KolInputDate, KolLink } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { useTexts, type Texts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section } from '../../ui';
import type { AreaDashboard, AreaMeasureCounts, ReportStatus } from './types';

export function reportStatusText(status: ReportStatus, t: Texts['t']): string {
  switch (status) {
    case 'submitted':
      return t('eingereicht', 'submitted');
    case 'due':
      return t('fällig', 'due');
    case 'overdue':
      return t('überfällig', 'overdue');
    case 'pending':
      return t('noch nicht fällig', 'not yet due');
    case 'not-owed':
      return t('nicht geschuldet', 'not owed');
  }
}

/** Area head: the month's progress, findings, measures and report status per team of the area. */
export function AreaDashboardPage({ areaId, month }: { readonly areaId: string; readonly month: string }) {
  const texts = useTexts();
  const { t, date, month: monthName } = texts;
  const dashboard = useQuery({
    queryKey: ['area-dashboard', areaId, month],
    queryFn: ({ signal }) =>
      get<AreaDashboard>(`/api/v1/dashboards/area/${encodeURIComponent(areaId)}?month=${month}`, signal),
  });
  const counts = useQuery({
    queryKey: ['area-measure-counts', areaId],
    queryFn: ({ signal }) =>
      get<AreaMeasureCounts>(`/api/v1/areas/${encodeURIComponent(areaId)}/measure-counts`, signal),
  });
  const name = dashboard.data?.name ?? areaId;
  return (
    <Page title={t(`Bereich ${name}, ${monthName(month)}`, `Area ${name}, ${monthName(month)}`)}>
      <KolInputDate
        _type="month"
        _label={t('Monat', 'Month')}
        _value={isoValue(month)}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value))
              navigate(`/bereiche/${encodeURIComponent(areaId)}?monat=${value}`, { replace: true });
          },
        }}
      />
      <nav aria-label={t('Weiter im Bereich', 'More in the area')} className="row">
        <KolLink
          _href="/pruefplaene"
          _label={t('Prüfpläne, Grundgesamtheit und Ziehung', 'Programmes, population and draw')}
        />
        <KolLink
          _href={`/bereiche/${encodeURIComponent(areaId)}/berichte`}
          _label={t('Konsolidierte Teamberichte', 'Consolidated team reports')}
        />
        <KolLink _href="/frageboegen" _label={t('Fragebögen', 'Questionnaires')} />
      </nav>
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
                `${dashboard.data.totals.progress.sampled} gezogen`,
                `${dashboard.data.totals.progress.sampled} sampled`,
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
                `${dashboard.data.totals.seriousDefects} gravierende Mängel`,
                `${dashboard.data.totals.seriousDefects} serious defects`,
              )}
              _color="#e6e6e6"
            />
          </div>
          <DataTable
            label={t('Stand je Team', 'Status per team')}
            columns={[
              { key: 'team', label: t('Team', 'Team') },
              { key: 'sampled', label: t('Gezogen / Mindestzahl', 'Sampled / minimum'), align: 'right' },
              { key: 'completed', label: t('Abgeschlossen', 'Completed'), align: 'right' },
              { key: 'open', label: t('Offen (überfällig)', 'Open (overdue)'), align: 'right' },
              { key: 'percent', label: t('Erfüllt', 'Done'), align: 'right' },
              { key: 'outcomes', label: t('Zielgerichtet / nicht', 'Goal-directed / not'), align: 'right' },
              { key: 'serious', label: t('Gravierende Mängel', 'Serious defects'), align: 'right' },
              { key: 'talks', label: t('Gespräche', 'Talks'), align: 'right' },
              { key: 'report', label: t('Quartalsbericht', 'Quarterly report') },
            ]}
            rows={dashboard.data.teams.map((team) => ({
              team: team.name,
              sampled: `${team.progress.sampled} / ${team.progress.required}`,
              completed: team.progress.completed,
              open: `${team.progress.open} (${team.progress.overdue})`,
              percent:
                team.progress.percent === null
                  ? '–'
                  : `${team.progress.percent.toLocaleString(texts.language === 'de' ? 'de-DE' : 'en-GB')} %`,
              outcomes: `${team.goalDirected} / ${team.notGoalDirected}`,
              serious: team.seriousDefects,
              talks: team.talksHeld + team.teamDiscussionsHeld,
              report: `Q${team.report.quarter}/${team.report.year}: ${reportStatusText(team.report.status, t)}${
                team.report.dueDate ? ` (${t('fällig', 'due')} ${date(team.report.dueDate)})` : ''
              }`,
            }))}
          />
        </>
      ) : null}
      <Section title={t('Maßnahmen je Team', 'Measures per team')}>
        {counts.isPending ? <Loading /> : null}
        {counts.error ? <ErrorAlert error={counts.error} /> : null}
        {counts.data ? (
          <DataTable
            label={t(
              `Offene Maßnahmen, Stand ${date(counts.data.asOf)}`,
              `Open measures as of ${date(counts.data.asOf)}`,
            )}
            columns={[
              { key: 'team', label: t('Team', 'Team') },
              { key: 'open', label: t('Offen', 'Open'), align: 'right' },
              { key: 'overdue', label: t('Überfällig', 'Overdue'), align: 'right' },
            ]}
            rows={[
              ...counts.data.teams.map((team) => ({ team: team.name, open: team.open, overdue: team.overdue })),
              {
                team: t('Bereich insgesamt', 'Area total'),
                open: counts.data.total.open,
                overdue: counts.data.total.overdue,
              },
            ]}
          />
        ) : null}
      </Section>
    </Page>
  );
}

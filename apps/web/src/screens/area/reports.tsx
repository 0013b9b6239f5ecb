import { KolLink, KolSelect } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, Loading, Page, Section } from '../../ui';
import { reportStatusText } from './dashboard';
import type { ReportStatus } from './types';
import { selectedOf } from '../../forms';

interface ReportFigures {
  readonly reviewsSampled: number;
  readonly reviewsDone: number;
  readonly reviewsRequired: number;
  readonly goalDirected: number;
  readonly notGoalDirected: number;
  readonly seriousDefects: number;
  readonly financialLossDefects: number;
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
  readonly measuresAgreed: number;
  readonly measuresOpen: number;
  readonly measuresOverdue: number;
}

interface AreaSummary {
  readonly areaId: string;
  readonly name: string;
  readonly year: number;
  readonly quarter: number;
  readonly teams: readonly {
    readonly teamId: string;
    readonly name: string;
    readonly status: ReportStatus;
    readonly dueDate: string | null;
    readonly submittedOn: string | null;
    readonly late: boolean | null;
    readonly source: string;
    readonly figures: ReportFigures;
    readonly assessment: string | null;
    readonly seriousDefects: readonly {
      readonly category?: string;
      readonly legalNorm?: string | null;
      readonly count?: number;
    }[];
  }[];
  readonly totals: ReportFigures;
  readonly reports: { readonly submitted: number; readonly due: number; readonly overdue: number };
  readonly legal: { readonly status: ReportStatus; readonly nil: boolean | null };
}

/** Area head: the team reports of a quarter side by side, with the area's totals and the legal report. */
export function AreaReportsPage({
  areaId,
  year,
  quarter,
}: {
  readonly areaId: string;
  readonly year: number;
  readonly quarter: number;
}) {
  const { t, date } = useTexts();
  const summary = useQuery({
    queryKey: ['area-summary', areaId, year, quarter],
    queryFn: ({ signal }) =>
      get<AreaSummary>(`/api/v1/areas/${encodeURIComponent(areaId)}/reports/${year}/Q${quarter}/summary`, signal),
  });
  const thisYear = new Date().getFullYear();
  const periods = Array.from({ length: 12 }, (_, index) => {
    const y = thisYear - Math.floor(index / 4);
    const q = 4 - (index % 4);
    return { label: `Q${q}/${y}`, value: `${y}-${q}` };
  });
  const row = (figures: ReportFigures) => ({
    done: `${figures.reviewsDone} / ${figures.reviewsRequired}`,
    outcomes: `${figures.goalDirected} / ${figures.notGoalDirected}`,
    serious: figures.seriousDefects,
    talks: figures.talksHeld + figures.teamDiscussionsHeld,
    measures: `${figures.measuresAgreed} (${figures.measuresOpen} / ${figures.measuresOverdue})`,
  });
  return (
    <Page
      title={t(
        `Teamberichte Q${quarter}/${year}, Bereich ${summary.data?.name ?? areaId}`,
        `Team reports Q${quarter}/${year}, area ${summary.data?.name ?? areaId}`,
      )}
    >
      <KolSelect
        _label={t('Quartal', 'Quarter')}
        _options={periods}
        _value={[`${year}-${quarter}`]}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            const [y, q] = selectedOf(value).split('-');
            if (y && q)
              navigate(`/bereiche/${encodeURIComponent(areaId)}/berichte?jahr=${y}&quartal=${q}`, { replace: true });
          },
        }}
      />
      {summary.isPending ? <Loading /> : null}
      {summary.error ? <ErrorAlert error={summary.error} /> : null}
      {summary.data ? (
        <>
          <p role="status">
            {t(
              `${summary.data.reports.submitted} eingereicht, ${summary.data.reports.due} fällig, ${summary.data.reports.overdue} überfällig.`,
              `${summary.data.reports.submitted} submitted, ${summary.data.reports.due} due, ${summary.data.reports.overdue} overdue.`,
            )}
          </p>
          <DataTable
            label={t('Teamberichte', 'Team reports')}
            columns={[
              { key: 'team', label: t('Team', 'Team') },
              { key: 'status', label: t('Stand', 'Status') },
              { key: 'done', label: t('Prüfungen / Soll', 'Reviews / required'), align: 'right' },
              { key: 'outcomes', label: t('Zielgerichtet / nicht', 'Goal-directed / not'), align: 'right' },
              { key: 'serious', label: t('Gravierende Mängel', 'Serious defects'), align: 'right' },
              { key: 'talks', label: t('Gespräche', 'Talks'), align: 'right' },
              {
                key: 'measures',
                label: t('Maßnahmen (offen / überfällig)', 'Measures (open / overdue)'),
                align: 'right',
              },
            ]}
            rows={[
              ...summary.data.teams.map((team) => ({
                team: team.name,
                status: `${reportStatusText(team.status, t)}${team.submittedOn ? ` ${date(team.submittedOn)}` : ''}${
                  team.dueDate && team.status !== 'submitted' ? ` (${t('fällig', 'due')} ${date(team.dueDate)})` : ''
                }`,
                ...row(team.figures),
              })),
              { team: t('Bereich insgesamt', 'Area total'), status: '', ...row(summary.data.totals) },
            ]}
          />
          {summary.data.teams.some((team) => team.status === 'submitted') ? (
            <Section title={t('Eingereichte Berichte herunterladen', 'Download submitted reports')}>
              <ul>
                {summary.data.teams
                  .filter((team) => team.status === 'submitted')
                  .map((team) => (
                    <li key={team.teamId} className="row">
                      <KolLink
                        _href={`/api/v1/teams/${encodeURIComponent(team.teamId)}/reports/${year}/Q${quarter}.pdf`}
                        _label={t(`${team.name}: PDF`, `${team.name}: PDF`)}
                      />
                      <KolLink
                        _href={`/api/v1/teams/${encodeURIComponent(team.teamId)}/reports/${year}/Q${quarter}.csv`}
                        _label={t(`${team.name}: CSV`, `${team.name}: CSV`)}
                      />
                    </li>
                  ))}
              </ul>
            </Section>
          ) : null}
          <Section title={t('Bericht der Rechtsstelle', 'Legal department’s report')}>
            <p>
              {reportStatusText(summary.data.legal.status, t)}
              {summary.data.legal.nil ? ` – ${t('Fehlanzeige', 'nil report')}` : ''}
            </p>
          </Section>
        </>
      ) : null}
    </Page>
  );
}

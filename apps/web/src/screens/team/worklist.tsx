import { KolBadge, KolInputDate } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { DataTable, ErrorAlert, isoValue, Loading, Page } from '../../ui';
import { DeputyBanner } from './deputy-banner';

interface WorklistItem {
  readonly id: string;
  readonly status: 'open' | 'completed' | 'withdrawn';
  readonly deadline: string;
  readonly overdue: boolean;
  readonly customerGroup: string;
  readonly caseRef: string | null;
  readonly outcome: 'goal-directed' | 'not-goal-directed' | null;
  readonly answered: number;
  readonly defects: number;
  readonly seriousDefects: number;
  readonly talkHeld: boolean;
  readonly deputyWork: boolean;
}

interface WorklistView {
  readonly teamId: string;
  readonly month: string;
  readonly today: string;
  readonly counts: {
    readonly total: number;
    readonly open: number;
    readonly completed: number;
    readonly overdue: number;
  };
  readonly items: readonly WorklistItem[];
}

/** Team lead and deputy: the month's sampled cases with deadlines and overdue marks. */
export function WorklistPage({ teamId, month }: { readonly teamId: string; readonly month: string }) {
  const { t, date, month: monthName } = useTexts();
  const worklist = useQuery({
    queryKey: ['worklist', teamId, month],
    queryFn: ({ signal }) =>
      get<WorklistView>(`/api/v1/teams/${encodeURIComponent(teamId)}/worklist?month=${month}`, signal),
  });
  const status = (item: WorklistItem) =>
    item.status === 'completed'
      ? t('abgeschlossen', 'completed')
      : item.status === 'withdrawn'
        ? t('ersetzt', 'replaced')
        : item.overdue
          ? t('offen – überfällig', 'open – overdue')
          : t('offen', 'open');
  return (
    <Page title={t(`Arbeitsliste ${teamId}, ${monthName(month)}`, `Worklist ${teamId}, ${monthName(month)}`)}>
      <DeputyBanner teamId={teamId} />
      <KolInputDate
        _type="month"
        _label={t('Monat', 'Month')}
        _value={isoValue(month)}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value)) {
              navigate(`/teams/${encodeURIComponent(teamId)}/arbeitsliste?monat=${value}`, { replace: true });
            }
          },
        }}
      />
      {worklist.isPending ? <Loading /> : null}
      {worklist.error ? <ErrorAlert error={worklist.error} /> : null}
      {worklist.data ? (
        <>
          <div className="row" role="status">
            <KolBadge
              _label={t(`${worklist.data.counts.total} Fälle`, `${worklist.data.counts.total} cases`)}
              _color="#e6e6e6"
            />
            <KolBadge
              _label={t(`${worklist.data.counts.open} offen`, `${worklist.data.counts.open} open`)}
              _color="#e6e6e6"
            />
            <KolBadge
              _label={t(
                `${worklist.data.counts.completed} abgeschlossen`,
                `${worklist.data.counts.completed} completed`,
              )}
              _color="#d9ead3"
            />
            <KolBadge
              _label={t(`${worklist.data.counts.overdue} überfällig`, `${worklist.data.counts.overdue} overdue`)}
              _color={worklist.data.counts.overdue > 0 ? '#f4cccc' : '#e6e6e6'}
            />
          </div>
          {worklist.data.items.length === 0 ? (
            <p>{t('Für diesen Monat wurden keine Fälle gezogen.', 'No cases were drawn for this month.')}</p>
          ) : (
            <DataTable
              label={t('Gezogene Fälle', 'Sampled cases')}
              columns={[
                {
                  key: 'case',
                  label: t('Fall', 'Case'),
                  href: (row) => `/pruefungen/${encodeURIComponent(String(row['id']))}`,
                },
                { key: 'group', label: t('Personengruppe', 'Customer group') },
                { key: 'deadline', label: t('Frist', 'Deadline') },
                { key: 'status', label: t('Stand', 'Status') },
                { key: 'answered', label: t('Antworten', 'Answers'), align: 'right' },
                { key: 'defects', label: t('Mängel (gravierend)', 'Defects (serious)'), align: 'right' },
              ]}
              rows={worklist.data.items.map((item) => ({
                id: item.id,
                case: item.caseRef ?? t(`Fall ${item.id.slice(0, 8)}`, `Case ${item.id.slice(0, 8)}`),
                group: item.customerGroup,
                deadline: date(item.deadline),
                status: status(item),
                answered: item.answered,
                defects: `${item.defects} (${item.seriousDefects})`,
              }))}
            />
          )}
        </>
      ) : null}
    </Page>
  );
}

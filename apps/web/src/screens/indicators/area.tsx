import { KolInputDate, KolLink } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api';
import { lastEndedMonth } from '../../calendar';
import { useTexts } from '../../i18n';
import { navigate } from '../../router';
import { hasRole, useSession } from '../../session';
import { DataTable, ErrorAlert, isoValue, Loading, Page, Section } from '../../ui';
import { placementText, useMatrixLabels } from './team-month';
import { type AreaIndicatorOverview, INDICATOR_KINDS, indicatorName, percentText, ratingName } from './types';

/**
 * The area head's monthly overview of the area's teams for the discussion with management (004:100):
 * per team the shares, ratings and the joint risk; a cell the small-cell rule hides reads "unterdrückt".
 */
export function AreaIndicatorsPage({ areaId, month }: { readonly areaId: string; readonly month: string }) {
  const texts = useTexts();
  const { t, date, month: monthName, language } = texts;
  const { session } = useSession();
  const matrix = useMatrixLabels();
  const overview = useQuery({
    queryKey: ['indicators', 'area', areaId, month],
    queryFn: ({ signal }) =>
      get<AreaIndicatorOverview>(`/api/v1/areas/${encodeURIComponent(areaId)}/indicators/${month}`, signal),
  });
  const teamLinks = hasRole(session, 'area_head');
  const columns = [
    {
      key: 'team' as const,
      label: t('Team', 'Team'),
      ...(teamLinks
        ? {
            href: (row: Record<string, string | number>) =>
              `/teams/${encodeURIComponent(String(row['team']))}/kennzahlen?monat=${month}`,
          }
        : {}),
    },
    { key: 'referenceDate' as const, label: t('Stichtag', 'Reference date') },
    ...INDICATOR_KINDS.map((kind) => ({ key: kind, label: indicatorName(kind, t) })),
    { key: 'risk' as const, label: t('Teamrisiko', 'Team risk') },
  ];
  return (
    <Page
      title={t(
        `Kennzahlen des Bereichs ${areaId}: ${monthName(month)}`,
        `Indicators of area ${areaId}: ${monthName(month)}`,
      )}
    >
      <p>
        {t(
          'Für das Gespräch mit der Geschäftsführung: Anteile, Bewertungen und Teamrisiko je Team. Zur Orientierung, nicht als Zielvorgabe.',
          'For the discussion with management: shares, ratings and team risk per team. For orientation, not as targets.',
        )}
      </p>
      <KolInputDate
        _type="month"
        _label={t('Monat', 'Month')}
        _value={isoValue(month)}
        _on={{
          onChange: (_event: Event, value: unknown) => {
            if (typeof value === 'string' && /^\d{4}-\d{2}$/.test(value))
              navigate(`/bereiche/${encodeURIComponent(areaId)}/kennzahlen?monat=${value}`, { replace: true });
          },
        }}
      />
      {overview.isPending ? <Loading /> : null}
      {overview.error ? <ErrorAlert error={overview.error} /> : null}
      {overview.data ? (
        <Section title={t('Teams des Bereichs', 'Teams of the area')}>
          <p>
            {t(
              `Werte eines Teams mit weniger als ${overview.data.minCellCount} berücksichtigten Fällen werden unterdrückt (Kleinzellenregel).`,
              `Figures of a team with fewer than ${overview.data.minCellCount} eligible cases are suppressed (small-cell rule).`,
            )}
          </p>
          {overview.data.teams.length === 0 ? (
            <p>
              {t(
                'Für diesen Monat hat kein Team Kennzahlen importiert.',
                'No team imported indicators for this month.',
              )}
            </p>
          ) : (
            <DataTable<Record<string, string | number>>
              label={t('Kennzahlen je Team', 'Indicators per team')}
              columns={columns}
              rows={overview.data.teams.map((team) => ({
                team: team.teamId,
                referenceDate: date(team.referenceDate),
                ...Object.fromEntries(
                  team.indicators.map((item) => [
                    item.indicator,
                    (item.suppressed ? t('unterdrückt', 'suppressed') : percentText(item.percent, language)) +
                      (item.rating
                        ? ` (${ratingName(item.rating, t)}${item.ratingCurrent === false ? t(', früherer Import', ', earlier import') : ''})`
                        : ''),
                  ]),
                ),
                risk: team.teamRisk
                  ? placementText(team.teamRisk, matrix.data, texts)
                  : team.riskProposed
                    ? t('vorgeschlagen, noch nicht bestätigt', 'proposed, not confirmed yet')
                    : t('nicht bewertet', 'not rated'),
              }))}
            />
          )}
        </Section>
      ) : null}
    </Page>
  );
}

/** Management: the areas of the organisation, each leading to its monthly overview. */
export function AreasPage() {
  const { t } = useTexts();
  const areas = useQuery({
    queryKey: ['indicators', 'areas'],
    queryFn: ({ signal }) => get<{ areas: { id: string; name: string }[] }>('/api/v1/organisation', signal),
  });
  const month = lastEndedMonth();
  return (
    <Page title={t('Kennzahlen der Bereiche', 'Indicators of the areas')}>
      {areas.isPending ? <Loading /> : null}
      {areas.error ? <ErrorAlert error={areas.error} /> : null}
      {areas.data ? (
        <nav aria-label={t('Bereiche', 'Areas')}>
          <ul>
            {areas.data.areas.map((area) => (
              <li key={area.id}>
                <KolLink
                  _href={`/bereiche/${encodeURIComponent(area.id)}/kennzahlen?monat=${month}`}
                  _label={t(`Kennzahlen: ${area.name}`, `Indicators: ${area.name}`)}
                />
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </Page>
  );
}

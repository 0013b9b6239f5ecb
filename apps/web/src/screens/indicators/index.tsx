import { lastEndedMonth } from '../../calendar';
import { hasRole } from '../../session';
import { type ScreenGroup } from '../screen';
import { AreaIndicatorsPage, AreasPage } from './area';
import { SettingsPage } from './settings';
import { TeamIndicatorsPage } from './team-month';

/**
 * The monthly team indicators (issue 12, 004:100): team lead and deputy import, rate and agree the team's
 * settings; team lead and area head rate the team's risk jointly; the area head's overview of the area's
 * teams (small-cell rule) for the discussion with management. The API decides again on every request.
 */
export const indicatorScreens: ScreenGroup = {
  routes: [
    {
      pattern: '/teams/:teamId/kennzahlen',
      render: (params, { query }) => (
        <TeamIndicatorsPage teamId={params['teamId']!} month={query.get('monat') ?? lastEndedMonth()} />
      ),
    },
    {
      pattern: '/teams/:teamId/kennzahlen/einstellungen',
      render: (params) => <SettingsPage teamId={params['teamId']!} />,
    },
    {
      pattern: '/bereiche/:areaId/kennzahlen',
      render: (params, { query }) => (
        <AreaIndicatorsPage areaId={params['areaId']!} month={query.get('monat') ?? lastEndedMonth()} />
      ),
    },
    { pattern: '/kennzahlen', render: () => <AreasPage /> },
  ],
  nav: (session, { t }) => [
    ...(hasRole(session, 'team_lead', 'deputy')
      ? session.units.map((team) => ({
          _label: t(`Kennzahlen ${team}`, `Indicators ${team}`),
          _href: `/teams/${encodeURIComponent(team)}/kennzahlen?monat=${lastEndedMonth()}`,
        }))
      : []),
    ...(hasRole(session, 'area_head')
      ? session.units.map((area) => ({
          _label: t(`Kennzahlen des Bereichs ${area}`, `Indicators of area ${area}`),
          _href: `/bereiche/${encodeURIComponent(area)}/kennzahlen?monat=${lastEndedMonth()}`,
        }))
      : []),
    ...(hasRole(session, 'management')
      ? [{ _label: t('Kennzahlen der Bereiche', 'Indicators of the areas'), _href: '/kennzahlen' }]
      : []),
  ],
};

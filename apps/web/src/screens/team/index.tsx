import { hasRole } from '../../session';
import { currentMonth, type ScreenGroup } from '../screen';
import { ReviewPage } from './review';
import { WorklistPage } from './worklist';

/** Team lead and deputy: the month's worklist and the reviews. */
export const teamScreens: ScreenGroup = {
  routes: [
    {
      pattern: '/teams/:teamId/arbeitsliste',
      render: (params, { query }) => (
        <WorklistPage teamId={params['teamId']!} month={query.get('monat') ?? currentMonth()} />
      ),
    },
    { pattern: '/pruefungen/:reviewId', render: (params) => <ReviewPage reviewId={params['reviewId']!} /> },
  ],
  nav: (session, { t }) =>
    hasRole(session, 'team_lead', 'deputy')
      ? session.units.map((team) => ({
          _label: t(`Arbeitsliste ${team}`, `Worklist ${team}`),
          _href: `/teams/${encodeURIComponent(team)}/arbeitsliste?monat=${currentMonth()}`,
        }))
      : [],
};

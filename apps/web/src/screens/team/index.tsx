import { hasRole } from '../../session';
import { type ScreenGroup } from '../screen';
import { MeasuresPage } from './measures';
import { ReportPage } from './report';
import { ReviewPage } from './review';
import { WorklistPage } from './worklist';
import { currentMonth, currentQuarter } from '../../calendar';

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
    { pattern: '/teams/:teamId/massnahmen', render: (params) => <MeasuresPage teamId={params['teamId']!} /> },
    {
      pattern: '/teams/:teamId/berichte/:year/:quarter',
      render: (params) => (
        <ReportPage teamId={params['teamId']!} year={Number(params['year'])} quarter={Number(params['quarter'])} />
      ),
    },
  ],
  nav: (session, { t }) =>
    hasRole(session, 'team_lead', 'deputy')
      ? session.units.flatMap((team) => {
          const { year, quarter } = currentQuarter();
          const path = `/teams/${encodeURIComponent(team)}`;
          return [
            {
              _label: t(`Arbeitsliste ${team}`, `Worklist ${team}`),
              _href: `${path}/arbeitsliste?monat=${currentMonth()}`,
            },
            { _label: t(`Maßnahmen ${team}`, `Measures ${team}`), _href: `${path}/massnahmen` },
            {
              _label: t(`Quartalsbericht ${team}`, `Quarterly report ${team}`),
              _href: `${path}/berichte/${year}/${quarter}`,
            },
          ];
        })
      : [],
};

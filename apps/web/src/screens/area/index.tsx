import { hasRole } from '../../session';
import { type ScreenGroup } from '../screen';
import { AreaDashboardPage } from './dashboard';
import { ProgrammePage, ProgrammesPage } from './programmes';
import { QuestionnairePage, QuestionnairesPage } from './questionnaires';
import { AreaReportsPage } from './reports';
import { DrawPage, SamplePage } from './sampling';
import { currentMonth, lastEndedQuarter } from '../../calendar';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const monthOf = (query: URLSearchParams) => {
  const month = query.get('monat');
  return month !== null && MONTH.test(month) ? month : currentMonth();
};

/** Area head (Bereichsleitung): programmes, questionnaires, populations and draws, the area dashboard, measure counts, team reports. */
export const areaScreens: ScreenGroup = {
  routes: [
    {
      pattern: '/bereiche/:areaId',
      render: (params, { query }) => <AreaDashboardPage areaId={params['areaId']!} month={monthOf(query)} />,
    },
    {
      pattern: '/bereiche/:areaId/berichte',
      render: (params, { query }) => {
        const fallback = lastEndedQuarter();
        const year = Number(query.get('jahr') ?? fallback.year);
        const quarter = Number(query.get('quartal') ?? fallback.quarter);
        return (
          <AreaReportsPage
            areaId={params['areaId']!}
            year={Number.isInteger(year) ? year : fallback.year}
            quarter={quarter >= 1 && quarter <= 4 ? quarter : fallback.quarter}
          />
        );
      },
    },
    { pattern: '/pruefplaene', render: () => <ProgrammesPage /> },
    {
      pattern: '/pruefplaene/:programmeId',
      render: (params) => <ProgrammePage programmeId={params['programmeId']!} />,
    },
    {
      pattern: '/pruefplaene/:programmeId/ziehung',
      render: (params, { query }) => <DrawPage programmeId={params['programmeId']!} month={monthOf(query)} />,
    },
    {
      pattern: '/pruefplaene/:programmeId/stichproben/:sampleId',
      render: (params) => <SamplePage programmeId={params['programmeId']!} sampleId={params['sampleId']!} />,
    },
    { pattern: '/frageboegen', render: () => <QuestionnairesPage /> },
    {
      pattern: '/frageboegen/:questionnaireId',
      render: (params) => <QuestionnairePage questionnaireId={params['questionnaireId']!} />,
    },
  ],
  nav: (session, { t }) => [
    ...(hasRole(session, 'area_head')
      ? session.units.flatMap((area) => [
          { _label: t(`Bereich ${area}`, `Area ${area}`), _href: `/bereiche/${encodeURIComponent(area)}` },
          {
            _label: t(`Teamberichte ${area}`, `Team reports ${area}`),
            _href: `/bereiche/${encodeURIComponent(area)}/berichte`,
          },
        ])
      : []),
    ...(hasRole(session, 'area_head', 'management')
      ? [
          { _label: t('Prüfpläne und Ziehung', 'Programmes and draws'), _href: '/pruefplaene' },
          { _label: t('Fragebögen', 'Questionnaires'), _href: '/frageboegen' },
        ]
      : []),
  ],
};

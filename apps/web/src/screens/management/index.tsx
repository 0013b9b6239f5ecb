import { hasRole } from '../../session';
import { type ScreenGroup } from '../screen';
import { ManagementDashboardPage, ReportStatusPage } from './dashboard';
import { LegalHoldsPage } from './legal-holds';
import { OrganisationPage } from './organisation';
import { RoutinePage, RoutinesPage } from './routines';
import { TrendsPage } from './trends';
import { currentMonth, lastEndedQuarter, shiftMonth } from '../../calendar';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const monthParam = (query: URLSearchParams, name: string, fallback: string) => {
  const value = query.get(name);
  return value !== null && MONTH.test(value) ? value : fallback;
};

/** Management (Geschäftsführung): dashboard, trends, report status, routines, legal holds, organisation, region. */
export const managementScreens: ScreenGroup = {
  routes: [
    {
      pattern: '/jobcenter',
      render: (_params, { query }) => <ManagementDashboardPage month={monthParam(query, 'monat', currentMonth())} />,
    },
    {
      pattern: '/jobcenter/entwicklungen',
      render: (_params, { query }) => {
        const to = monthParam(query, 'bis', currentMonth());
        // Five years up to the current month by default, in quarters.
        const from = monthParam(query, 'von', `${shiftMonth(to, -59)}`);
        return <TrendsPage from={from} to={to} granularity={query.get('raster') === 'monat' ? 'month' : 'quarter'} />;
      },
    },
    {
      pattern: '/jobcenter/berichtsstand',
      render: (_params, { query }) => {
        const fallback = lastEndedQuarter();
        const year = Number(query.get('jahr') ?? fallback.year);
        const quarter = Number(query.get('quartal') ?? fallback.quarter);
        return (
          <ReportStatusPage
            year={Number.isInteger(year) ? year : fallback.year}
            quarter={quarter >= 1 && quarter <= 4 ? quarter : fallback.quarter}
          />
        );
      },
    },
    { pattern: '/jobcenter/pruefroutinen', render: () => <RoutinesPage /> },
    {
      pattern: '/jobcenter/pruefroutinen/:programmeId',
      render: (params) => <RoutinePage programmeId={params['programmeId']!} />,
    },
    { pattern: '/jobcenter/rechtliche-sperren', render: () => <LegalHoldsPage /> },
    { pattern: '/jobcenter/organisation', render: () => <OrganisationPage /> },
  ],
  nav: (session, { t }) =>
    hasRole(session, 'management')
      ? [
          { _label: t('Jobcenter-Übersicht', 'Jobcenter dashboard'), _href: '/jobcenter' },
          { _label: t('Entwicklungen', 'Trends'), _href: '/jobcenter/entwicklungen' },
          { _label: t('Berichtsstand', 'Report status'), _href: '/jobcenter/berichtsstand' },
          { _label: t('Prüfroutinen', 'Review routines'), _href: '/jobcenter/pruefroutinen' },
          { _label: t('Rechtliche Sperren', 'Legal holds'), _href: '/jobcenter/rechtliche-sperren' },
          { _label: t('Organisation und Region', 'Organisation and region'), _href: '/jobcenter/organisation' },
        ]
      : [],
};

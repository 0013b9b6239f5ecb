import { hasRole } from '../../session';
import { type NavLink, type ScreenGroup } from '../screen';
import { AccessLogPage, AuditExportsPage, ChainVerificationPage } from './audit-tools';
import {
  CrossLevelReviewPage,
  CrossLevelReviewsPage,
  CrossLevelTrendsPage,
  trendQueryOf,
  trendsPath,
} from './cross-level';
import { LegalReportPage, legalReportPath, parsePeriod } from './legal-report';
import { LegalQuotaMonthPage, LegalQuotaTrendPage } from './legal-quota';
import { quotaPath, quotaTrendPath } from './legal-quota-parts';
import { HealthPage, ProjectionPage, ProjectionsPage, PurgePage } from './operations';
import { ReviewLookupPage, ReviewRecordPage } from './review-record';
import { RegionalQuestionnairePage, RegionalQuestionnairesPage, regionalQuestionsPath } from './regional-questions';
import { SampleVerificationPage, samplesPath } from './samples';
import { currentMonth, lastEndedMonth, lastEndedQuarter, shiftMonth } from '../../calendar';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Oversight: auditor (history, time travel, verification, access log, exports), legal department (its reports), regional and central level (cross-level figures and reviews), IT operator (projections, purge, health). */
export const oversightScreens: ScreenGroup = {
  routes: [
    { pattern: '/revision/pruefungen', render: () => <ReviewLookupPage /> },
    {
      pattern: '/revision/pruefungen/:reviewId',
      render: (params) => <ReviewRecordPage reviewId={params['reviewId']!} />,
    },
    {
      pattern: '/revision/stichproben',
      render: (_params, { query }) => {
        const month = query.get('monat') ?? '';
        return <SampleVerificationPage month={MONTH.test(month) ? month : currentMonth()} />;
      },
    },
    { pattern: '/revision/kettenpruefung', render: () => <ChainVerificationPage /> },
    { pattern: '/revision/zugriffe', render: () => <AccessLogPage /> },
    { pattern: '/revision/exporte', render: () => <AuditExportsPage /> },
    { pattern: '/betrieb/projektionen', render: () => <ProjectionsPage /> },
    { pattern: '/betrieb/projektionen/:name', render: (params) => <ProjectionPage name={params['name']!} /> },
    { pattern: '/betrieb/loeschlauf', render: () => <PurgePage /> },
    { pattern: '/betrieb/zustand', render: () => <HealthPage /> },
    {
      pattern: '/rechtsstelle/bericht',
      render: (_params, { query }) => {
        const period = parsePeriod(query);
        return <LegalReportPage key={`${period.year}-${period.quarter}`} year={period.year} quarter={period.quarter} />;
      },
    },
    {
      pattern: '/rechtsstelle/widerspruchsquote',
      render: (_params, { session, query }) => {
        const month = query.get('monat') ?? '';
        const shown = MONTH.test(month) ? month : lastEndedMonth();
        return <LegalQuotaMonthPage key={shown} month={shown} session={session} />;
      },
    },
    {
      pattern: '/rechtsstelle/widerspruchsquote/entwicklung',
      render: (_params, { query }) => {
        const to = query.get('bis') ?? '';
        const last = MONTH.test(to) ? to : currentMonth();
        const from = query.get('von') ?? '';
        const first = MONTH.test(from) && from <= last ? from : shiftMonth(last, -11);
        return <LegalQuotaTrendPage key={`${first}-${last}`} from={first} to={last} />;
      },
    },
    {
      pattern: '/ebenen/trends',
      render: (_params, { session, query }) => {
        const trendQuery = trendQueryOf(query, currentMonth());
        return <CrossLevelTrendsPage key={trendsPath(trendQuery)} session={session} query={trendQuery} />;
      },
    },
    { pattern: '/ebenen/betrachtungen', render: () => <CrossLevelReviewsPage /> },
    { pattern: '/ebenen/betrachtungen/:id', render: (params) => <CrossLevelReviewPage id={params['id']!} /> },
    { pattern: regionalQuestionsPath, render: () => <RegionalQuestionnairesPage /> },
    {
      pattern: `${regionalQuestionsPath}/:questionnaireId`,
      render: (params) => (
        <RegionalQuestionnairePage key={params['questionnaireId']} questionnaireId={params['questionnaireId']!} />
      ),
    },
  ],
  nav: (session, { t }) => {
    const links: NavLink[] = [];
    if (hasRole(session, 'auditor'))
      links.push(
        { _label: t('Stichprobenprüfung', 'Sample verification'), _href: samplesPath(currentMonth()) },
        { _label: t('Prüfungsakte', 'Review record'), _href: '/revision/pruefungen' },
        { _label: t('Zugriffsprotokoll', 'Access log'), _href: '/revision/zugriffe' },
        { _label: t('Exporte', 'Exports'), _href: '/revision/exporte' },
      );
    if (hasRole(session, 'auditor', 'operator'))
      links.push({ _label: t('Kettenprüfung', 'Chain verification'), _href: '/revision/kettenpruefung' });
    if (hasRole(session, 'operator'))
      links.push(
        { _label: t('Projektionen', 'Projections'), _href: '/betrieb/projektionen' },
        { _label: t('Löschlauf', 'Retention purge'), _href: '/betrieb/loeschlauf' },
        { _label: t('Systemzustand', 'Health'), _href: '/betrieb/zustand' },
      );
    if (hasRole(session, 'legal')) {
      const period = lastEndedQuarter();
      links.push({
        _label: t('Quartalsbericht Rechtsstelle', 'Legal department’s quarterly report'),
        _href: legalReportPath(period.year, period.quarter),
      });
    }
    // The avoidable-appeal quota: recorded by the legal department, read by area heads, management, auditors.
    if (hasRole(session, 'legal', 'area_head', 'management', 'auditor'))
      links.push(
        { _label: t('Widerspruchsquote', 'Avoidable-appeal quota'), _href: quotaPath(lastEndedMonth()) },
        {
          _label: t('Entwicklung der Widerspruchsquote', 'Trend of the avoidable-appeal quota'),
          _href: quotaTrendPath(shiftMonth(currentMonth(), -11), currentMonth()),
        },
      );
    if (hasRole(session, 'regional', 'central'))
      links.push(
        {
          _label: t('Ebenenübergreifende Entwicklung', 'Cross-level trends'),
          _href: trendsPath(trendQueryOf(new URLSearchParams(), currentMonth())),
        },
        { _label: t('Fallbetrachtungen', 'Case reviews'), _href: '/ebenen/betrachtungen' },
      );
    if (hasRole(session, 'regional'))
      links.push({ _label: t('Regionale Zusatzfragen', 'Regional extra questions'), _href: regionalQuestionsPath });
    return links;
  },
};

import { hasRole } from '../../session';
import { type ScreenGroup } from '../screen';
import { AnalysesPage } from './analyses';
import { RiskPage } from './detail';
import { IdentifyPage } from './identify';
import { MatrixPage } from './matrix';
import { RegisterPage } from './register';

/**
 * The risk register (issue 12, 001:107–125): management, area heads and auditors read it (heat map, list,
 * quarterly report, each risk's history and past states); management and area heads (own area) identify
 * and assess; management decides the strategy, closes and sets the matrix; area heads consolidate their
 * teams' reports. The API decides again on every request.
 */
export const riskScreens: ScreenGroup = {
  routes: [
    { pattern: '/risiken', render: (_params, { session, query }) => <RegisterPage session={session} query={query} /> },
    { pattern: '/risiken/neu', render: (_params, { session }) => <IdentifyPage session={session} /> },
    { pattern: '/risiken/matrix', render: (_params, { session }) => <MatrixPage session={session} /> },
    { pattern: '/risiken/analysen', render: (_params, { session }) => <AnalysesPage session={session} /> },
    {
      pattern: '/risiken/:riskId',
      render: (params, { session }) => <RiskPage riskId={params['riskId']!} session={session} />,
    },
  ],
  nav: (session, { t }) =>
    hasRole(session, 'management', 'area_head', 'auditor')
      ? [
          { _label: t('Risikoregister', 'Risk register'), _href: '/risiken' },
          ...(hasRole(session, 'management', 'area_head')
            ? [{ _label: t('Risiko erfassen', 'Identify a risk'), _href: '/risiken/neu' }]
            : []),
          { _label: t('Risikoanalysen', 'Risk analyses'), _href: '/risiken/analysen' },
        ]
      : [],
};

import { hasRole } from '../../session';
import { type ScreenGroup } from '../screen';
import { InboxPage } from './inbox';

/**
 * Each person's inbox of deadlines (issue 12, item 4): every signed-in role of a tenant (the policy's
 * `inbox.read`; an IT operator has no tenant and no deadlines). The API decides again on every request.
 */
export const inboxScreens: ScreenGroup = {
  routes: [{ pattern: '/posteingang', render: (_params, { session }) => <InboxPage session={session} /> }],
  nav: (session, { t }) =>
    hasRole(
      session,
      'team_lead',
      'deputy',
      'area_head',
      'management',
      'legal',
      'regional',
      'central',
      'auditor',
      'employee',
    )
      ? [{ _label: t('Posteingang', 'Inbox'), _href: '/posteingang' }]
      : [],
};

import { KolLink } from '@public-ui/react-v19';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api';
import { useTexts } from '../i18n';
import { INBOX_KEY, type InboxView } from '../screens/inbox/inbox';
import { SCREEN_GROUPS } from '../screens/registry';
import { roleName, type Session } from '../session';
import { Page, Section } from '../ui';

/** What the signed-in person can do: every screen their roles open, the same entries as the navigation. */
export function HomePage({ session }: { readonly session: Session }) {
  const texts = useTexts();
  const { t } = texts;
  const entries = SCREEN_GROUPS.flatMap((group) => group.nav(session, texts));
  // The same query as the inbox page: what is overdue is said first, not found by looking.
  const inbox = useQuery({
    queryKey: INBOX_KEY,
    queryFn: ({ signal }) => get<InboxView>('/api/v1/inbox', signal),
    enabled: entries.some((entry) => entry._href === '/posteingang'),
  });
  const overdue = inbox.data?.deadlines.filter((deadline) => deadline.status === 'overdue').length ?? 0;
  const due = (inbox.data?.deadlines.length ?? 0) - overdue;
  return (
    <Page title={t('Übersicht', 'Overview')}>
      <p>
        {t('Ihre Rollen', 'Your roles')}: {session.roles.map((role) => roleName(role, t)).join(', ')}
      </p>
      {overdue + due > 0 ? (
        <Section title={t('Fristen', 'Deadlines')}>
          <KolLink
            _href="/posteingang"
            _label={t(
              `${overdue} überfällig, ${due} bald fällig – zum Posteingang`,
              `${overdue} overdue, ${due} due soon – to the inbox`,
            )}
          />
        </Section>
      ) : null}
      {entries.length > 0 ? (
        <Section title={t('Ihre Aufgaben', 'Your tasks')}>
          <ul>
            {entries.map((entry) => (
              <li key={entry._href}>
                <KolLink _href={entry._href} _label={entry._label} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title={t('Für alle Beschäftigten', 'For every employee')}>
        <KolLink
          _href="/transparenz"
          _label={t(
            'Geltende Prüfpläne und wer welches Team beaufsichtigt',
            'Programmes in force and who supervises which team',
          )}
        />
      </Section>
    </Page>
  );
}

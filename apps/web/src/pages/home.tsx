import { KolLink } from '@public-ui/react-v19';
import { useTexts } from '../i18n';
import { SCREEN_GROUPS } from '../screens/registry';
import { roleName, type Session } from '../session';
import { Page, Section } from '../ui';

/** What the signed-in person can do: every screen their roles open, the same entries as the navigation. */
export function HomePage({ session }: { readonly session: Session }) {
  const texts = useTexts();
  const { t } = texts;
  const entries = SCREEN_GROUPS.flatMap((group) => group.nav(session, texts));
  return (
    <Page title={t('Übersicht', 'Overview')}>
      <p>
        {t('Ihre Rollen', 'Your roles')}: {session.roles.map((role) => roleName(role, t)).join(', ')}
      </p>
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

import { KolLink } from '@public-ui/react-v19';
import { useTexts } from '../i18n';
import { hasRole, roleName, type Session } from '../session';
import { Page, Section } from '../ui';

/** What the signed-in person can do, per role; each entry leads to its screen. */
export function HomePage({ session }: { readonly session: Session }) {
  const { t } = useTexts();
  return (
    <Page title={t('Übersicht', 'Overview')}>
      <p>
        {t('Ihre Rollen', 'Your roles')}: {session.roles.map((role) => roleName(role, t)).join(', ')}
      </p>
      {hasRole(session, 'team_lead', 'deputy') ? (
        <Section title={t('Fachaufsicht im Team', 'Supervision in the team')}>
          <ul>
            {session.units.map((team) => (
              <li key={team}>
                <KolLink
                  _href={`/teams/${encodeURIComponent(team)}/arbeitsliste`}
                  _label={t(`Arbeitsliste des Teams ${team}`, `Worklist of team ${team}`)}
                />
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

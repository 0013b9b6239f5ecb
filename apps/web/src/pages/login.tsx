import { KolButton, KolLinkButton } from '@public-ui/react-v19';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get, request } from '../api';
import { useTexts } from '../i18n';
import { useLocation } from '../router';
import type { Role, Session } from '../session';
import { ErrorAlert, Loading, Page, Section } from '../ui';

interface AuthConfig {
  readonly oidc: boolean;
  readonly development: boolean;
}

interface Person {
  readonly tenant: string;
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly units: readonly string[];
  readonly region?: string;
  readonly label: string;
}

/**
 * Sign-in: the Jobcenter's identity provider (OpenID Connect, done by the API), and on the embedded
 * default a development login that lists the organisation's people; the API refuses it in production.
 */
export function LoginPage() {
  const { t } = useTexts();
  const { path, query } = useLocation();
  const config = useQuery({ queryKey: ['auth-config'], queryFn: () => get<AuthConfig>('/auth/config') });
  const returnTo = path === '/anmelden' ? (query.get('zurueck') ?? '/') : `${path}${location.search}`;
  return (
    <Page title={t('Anmelden', 'Sign in')}>
      {config.isPending ? <Loading /> : null}
      {config.error ? <ErrorAlert error={config.error} /> : null}
      {config.data?.oidc ? (
        <KolLinkButton
          _label={t('Mit dem Dienstkonto anmelden', 'Sign in with your work account')}
          _href={`/auth/login?returnTo=${encodeURIComponent(returnTo)}`}
          _variant="primary"
        />
      ) : null}
      {config.data?.development ? <DevelopmentLogin /> : null}
      {config.data && !config.data.oidc && !config.data.development ? (
        <p>
          {t(
            'Keine Anmeldung eingerichtet. Wenden Sie sich an den IT-Betrieb.',
            'No sign-in is configured. Contact IT operations.',
          )}
        </p>
      ) : null}
    </Page>
  );
}

function DevelopmentLogin() {
  const { t } = useTexts();
  const client = useQueryClient();
  const people = useQuery({
    queryKey: ['development-people'],
    queryFn: () => get<Person[]>('/auth/development/people'),
  });
  const [error, setError] = useState<unknown>(null);
  const signIn = async (person: Person) => {
    setError(null);
    try {
      const { tenant, subject, roles, units, region } = person;
      await request<{ session: Session }>('POST', '/auth/development/login', {
        body: { tenant, subject, roles, units, ...(region !== undefined ? { region } : {}) },
      });
      await client.invalidateQueries({ queryKey: ['session'] });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Section title={t('Entwicklungsanmeldung', 'Development sign-in')}>
      <p>
        {t(
          'Nur im lokalen Betrieb: melden Sie sich als eine Person der Organisation an. In der Produktion ist diese Anmeldung abgeschaltet.',
          'Local use only: sign in as one of the organisation’s people. This sign-in is switched off in production.',
        )}
      </p>
      {people.isPending ? <Loading /> : null}
      {people.error ? <ErrorAlert error={people.error} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
      {people.data ? (
        <ul className="stack" aria-label={t('Anmelden als', 'Sign in as')}>
          {people.data.map((person) => (
            <li key={`${person.tenant}/${person.subject}/${person.roles.join('+')}`}>
              <KolButton
                _label={`${person.label} (${person.tenant})`}
                _ariaDescription={t('Anmelden als diese Person', 'Sign in as this person')}
                _on={{ onClick: () => void signIn(person) }}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

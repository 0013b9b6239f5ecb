import { KolButton, KolNav, KolSkipNav } from '@public-ui/react-v19';
import { useLanguage, useTexts } from './i18n';
import { HomePage } from './pages/home';
import { LoginPage } from './pages/login';
import { NotFoundPage } from './pages/not-found';
import { ReviewPage } from './pages/review';
import { TransparencyPage } from './pages/transparency';
import { WorklistPage } from './pages/worklist';
import { match, useLinkInterception, useLocation } from './router';
import { hasRole, roleName, useSession, type Session } from './session';
import { ErrorAlert, Loading } from './ui';

function currentMonth(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(
    new Date(),
  );
}

/** The screens a role may open (the API decides again on every request). */
function navigationOf(session: Session, t: (de: string, en: string) => string) {
  const links: { _label: string; _href: string }[] = [{ _label: t('Übersicht', 'Overview'), _href: '/' }];
  if (hasRole(session, 'team_lead', 'deputy')) {
    for (const team of session.units) {
      links.push({
        _label: t(`Arbeitsliste ${team}`, `Worklist ${team}`),
        _href: `/teams/${encodeURIComponent(team)}/arbeitsliste?monat=${currentMonth()}`,
      });
    }
  }
  links.push({ _label: t('Transparenz', 'Transparency'), _href: '/transparenz' });
  return links;
}

function Routes({ session }: { readonly session: Session }) {
  const { path, query } = useLocation();
  let params: Record<string, string> | null;
  if (path === '/' || path === '/anmelden') return <HomePage session={session} />;
  if ((params = match('/teams/:teamId/arbeitsliste', path))) {
    return <WorklistPage teamId={params['teamId']!} month={query.get('monat') ?? currentMonth()} />;
  }
  if ((params = match('/pruefungen/:reviewId', path))) return <ReviewPage reviewId={params['reviewId']!} />;
  if (path === '/transparenz') return <TransparencyPage />;
  return <NotFoundPage />;
}

export function App() {
  useLinkInterception();
  const { session, loading, error, signOut } = useSession();
  const { t } = useTexts();
  const { language, setLanguage } = useLanguage();
  const roleNames = session?.roles.map((role) => roleName(role, t)).join(', ');
  return (
    <>
      <KolSkipNav
        _label={t('Sprunglinks', 'Skip links')}
        _links={[{ _label: t('Zum Inhalt', 'Skip to content'), _href: '#inhalt' }]}
      />
      <header className="site-header">
        <span className="brand">Prüfpfad</span>
        <div className="who">
          {session ? (
            <span>
              {t('Angemeldet', 'Signed in')}: {session.subject} ({roleNames}, {session.tenant})
            </span>
          ) : null}
          <KolButton
            _label={language === 'de' ? 'English' : 'Deutsch'}
            _ariaDescription={language === 'de' ? 'Switch to English' : 'Auf Deutsch umschalten'}
            _variant="secondary"
            _on={{ onClick: () => setLanguage(language === 'de' ? 'en' : 'de') }}
          />
          {session ? (
            <KolButton
              _label={t('Abmelden', 'Sign out')}
              _variant="secondary"
              _on={{ onClick: () => void signOut() }}
            />
          ) : null}
        </div>
      </header>
      {loading ? (
        <main id="inhalt" className="page">
          <Loading />
        </main>
      ) : error ? (
        <main id="inhalt" className="page">
          <ErrorAlert error={error} />
        </main>
      ) : !session ? (
        <main id="inhalt" className="page">
          <LoginPage />
        </main>
      ) : (
        <div className="layout">
          <KolNav _label={t('Hauptnavigation', 'Main navigation')} _links={navigationOf(session, t)} />
          <main id="inhalt" tabIndex={-1}>
            <Routes session={session} />
          </main>
        </div>
      )}
    </>
  );
}

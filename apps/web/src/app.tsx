import { KolButton, KolNav, KolSkipNav } from '@public-ui/react-v19';
import { useLanguage, useTexts, type Texts } from './i18n';
import { HomePage } from './pages/home';
import { LoginPage } from './pages/login';
import { NotFoundPage } from './pages/not-found';
import { TransparencyPage } from './pages/transparency';
import { match, useLinkInterception, useLocation } from './router';
import { SCREEN_GROUPS } from './screens/registry';
import { roleName, useSession, type Session } from './session';
import { ErrorAlert, Loading } from './ui';

function navigationOf(session: Session, texts: Texts) {
  return [
    { _label: texts.t('Übersicht', 'Overview'), _href: '/' },
    ...SCREEN_GROUPS.flatMap((group) => group.nav(session, texts)),
    { _label: texts.t('Transparenz', 'Transparency'), _href: '/transparenz' },
  ];
}

function Routes({ session }: { readonly session: Session }) {
  const { path, query } = useLocation();
  if (path === '/' || path === '/anmelden') return <HomePage session={session} />;
  if (path === '/transparenz') return <TransparencyPage />;
  for (const group of SCREEN_GROUPS) {
    for (const route of group.routes) {
      const params = match(route.pattern, path);
      if (params) return <>{route.render(params, { session, query })}</>;
    }
  }
  return <NotFoundPage />;
}

export function App() {
  useLinkInterception();
  const { session, loading, error, signOut } = useSession();
  const texts = useTexts();
  const { t } = texts;
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
          <KolNav _label={t('Hauptnavigation', 'Main navigation')} _links={navigationOf(session, texts)} />
          <main id="inhalt" tabIndex={-1}>
            <Routes session={session} />
          </main>
        </div>
      )}
    </>
  );
}

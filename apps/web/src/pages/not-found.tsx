import { KolLink } from '@public-ui/react-v19';
import { useTexts } from '../i18n';
import { Page } from '../ui';

export function NotFoundPage() {
  const { t } = useTexts();
  return (
    <Page title={t('Seite nicht gefunden', 'Page not found')}>
      <p>{t('Diese Adresse gibt es in Prüfpfad nicht.', 'This address does not exist in Prüfpfad.')}</p>
      <KolLink _href="/" _label={t('Zur Übersicht', 'To the overview')} />
    </Page>
  );
}

import { KolProgress } from '@public-ui/react-v19';
import type { FieldError } from './api';
import { useTexts } from './i18n';
import { DataTable } from './ui';
import { lineOf, type UploadProgress } from './upload';

/** The API's errors of an uploaded file as a table next to it: line, field and message (none: nothing). */
export function FileErrors({ errors }: { readonly errors: readonly FieldError[] }) {
  const { t, pick } = useTexts();
  if (errors.length === 0) return null;
  return (
    <DataTable
      label={t('Fehler in der Datei', 'Errors in the file')}
      columns={[
        { key: 'line', label: t('Zeile', 'Line'), align: 'right' },
        { key: 'field', label: t('Angabe', 'Field') },
        { key: 'message', label: t('Meldung', 'Message') },
      ]}
      rows={errors.map((error) => ({
        line: lineOf(error.field) || '–',
        field: error.field.replace(/^(?:line|row) \d+:?\s*/, '') || '–',
        message: pick(error.message),
      }))}
    />
  );
}

/** How much of a file has gone up, in kB (shown while it uploads and after it was accepted). */
export function UploadProgressBar({ progress }: { readonly progress: UploadProgress }) {
  const { t } = useTexts();
  return (
    <KolProgress
      _label={t('Hochgeladen', 'Uploaded')}
      _value={Math.round(progress.loaded / 1024)}
      _max={Math.max(1, Math.round(progress.total / 1024))}
      _unit="kB"
    />
  );
}

import { KolAlert, KolButton, KolInputText } from '@public-ui/react-v19';
import { ApiError } from './api';
import { useTexts } from './i18n';
import { ErrorAlert } from './ui';

/**
 * The one set of helpers between KoliBri's inputs and the API's answers: the value an input reports,
 * the message the API gave for a field (shown under that field), and a whole-number field.
 */

/** The value a KoliBri input reports, as text. */
export const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** A KoliBri input's number value (KolInputNumber reports a number or a text). */
export const numberOf = (value: unknown): number | null => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : null;
};

/** A KoliBri select's single value (it reports an array or a value). */
export const selectedOf = (value: unknown): string => String(Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));

/** KoliBri props that show an API message under a field (`_msg`, `_touched`), or none. */
export function fieldProps(message: string | undefined, pick: (message: string) => string) {
  return message ? { _msg: { _type: 'error' as const, _description: pick(message) }, _touched: true } : {};
}

/** The first field message whose field starts with one of the prefixes. */
export function messageFor(error: unknown, ...fields: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  for (const field of fields) {
    const message = error.fieldMessage(field);
    if (message) return message;
  }
  return undefined;
}

/** Whether an error names any of the fields (then it is shown next to them, not as a general alert). */
export function namesAnyField(error: unknown, fields: readonly string[]): boolean {
  return messageFor(error, ...fields) !== undefined;
}

/**
 * A whole-number field. KoliBri 4.1's KolInputNumber renders its step buttons without an accessible name
 * (axe: button-name), so this is KoliBri's text input with the range as a hint; the API checks the range.
 */
export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  required,
  message,
}: {
  readonly label: string;
  readonly value: number | null;
  readonly onChange: (value: number | null) => void;
  readonly min: number;
  readonly max: number;
  readonly required?: boolean;
  readonly message?: ReturnType<typeof fieldProps>;
}) {
  const { t } = useTexts();
  return (
    <KolInputText
      _label={label}
      _value={value === null ? '' : String(value)}
      _hint={t(`Ganze Zahl von ${min} bis ${max}`, `Whole number from ${min} to ${max}`)}
      _required={required === true}
      _on={{
        onInput: (_event: Event, next: unknown) => {
          const text = textOf(next).trim();
          onChange(/^\d+$/.test(text) ? Number(text) : null);
        },
      }}
      {...(message ?? {})}
    />
  );
}

/**
 * A command's error below its form: a 412 (someone else changed the resource meanwhile) with the offer to
 * load the latest version while keeping what the user typed; any other error unless it names one of the
 * form's fields (then it stands under that field already).
 */
export function CommandError({
  command,
  fields = [],
  onReload,
}: {
  readonly command: { readonly error: unknown; readonly conflict: boolean };
  readonly fields?: readonly string[];
  readonly onReload: () => unknown;
}) {
  const { t } = useTexts();
  if (command.conflict)
    return (
      <div className="stack">
        <KolAlert _type="warning" _variant="card" _label={t('Inzwischen geändert', 'Changed meanwhile')} _alert>
          <p>
            {t(
              'Jemand anderes hat das inzwischen geändert. Laden Sie den neuesten Stand; Ihre Eingaben bleiben erhalten, danach können Sie erneut senden.',
              'Someone else changed this meanwhile. Load the latest version; what you entered is kept, then send again.',
            )}
          </p>
        </KolAlert>
        <KolButton
          _label={t('Neuesten Stand laden, meine Eingaben behalten', 'Load the latest version, keep my input')}
          _on={{ onClick: () => void onReload() }}
        />
      </div>
    );
  if (command.error && !namesAnyField(command.error, fields)) return <ErrorAlert error={command.error} />;
  return null;
}

import { KolInputText } from '@public-ui/react-v19';
import { useRef, useState } from 'react';
import {
  ApiError,
  NetworkError,
  newIdempotencyKey,
  rememberPosition,
  type CommandResult,
  type Problem,
} from '../../api';
import { useTexts } from '../../i18n';
import { useSession } from '../../session';

/**
 * Helpers shared by the area head's and management's screens (candidates for a shared module: see the
 * group's report).
 */

/** The value a KoliBri input reports, as text. */
export const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

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

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

/**
 * Sends a file as the request body with XMLHttpRequest, whose upload events report progress (fetch has
 * none). Same conventions as `request` in api.ts: CSRF token, Idempotency-Key, problem details.
 */
export function uploadFile(
  method: 'POST' | 'PUT',
  path: string,
  file: Blob,
  contentType: string,
  options: {
    readonly csrfToken: string | null;
    readonly idempotencyKey: string;
    readonly onProgress: (progress: UploadProgress) => void;
  },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Idempotency-Key', options.idempotencyKey);
    if (options.csrfToken !== null) xhr.setRequestHeader('X-CSRF-Token', options.csrfToken);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) options.onProgress({ loaded: event.loaded, total: event.total });
    });
    xhr.addEventListener('error', () => reject(new NetworkError('upload failed')));
    xhr.addEventListener('abort', () => reject(new NetworkError('upload aborted')));
    xhr.addEventListener('load', () => {
      const text = xhr.responseText;
      let parsed: unknown = null;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const result = (parsed ?? {}) as CommandResult;
        rememberPosition(result.position);
        resolve(result);
        return;
      }
      const problem =
        parsed !== null && typeof (parsed as Partial<Problem>).title === 'string'
          ? ({ detail: '', code: 'UNKNOWN', ...(parsed as Partial<Problem>), status: xhr.status } as Problem)
          : {
              title: `Fehler ${xhr.status} / Error ${xhr.status}`,
              detail: text.slice(0, 200),
              status: xhr.status,
              code: 'UNKNOWN',
            };
      reject(new ApiError(problem));
    });
    xhr.send(file);
  });
}

/**
 * A file upload as one user action: like `useCommand`, the Idempotency-Key survives a network error so a
 * retry cannot import twice; progress is reported while the file travels.
 */
export function useUpload(method: 'POST' | 'PUT') {
  const { session } = useSession();
  const key = useRef<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const run = async (path: string, file: Blob, contentType: string): Promise<CommandResult | null> => {
    key.current ??= newIdempotencyKey();
    setPending(true);
    setError(null);
    setProgress({ loaded: 0, total: file.size });
    try {
      const result = await uploadFile(method, path, file, contentType, {
        csrfToken: session?.csrfToken ?? null,
        idempotencyKey: key.current,
        onProgress: setProgress,
      });
      key.current = null;
      return result;
    } catch (caught) {
      if (!(caught instanceof NetworkError)) key.current = null;
      setError(caught);
      return null;
    } finally {
      setPending(false);
    }
  };
  return { run, pending, error, progress, reset: () => setError(null) };
}

/** "line 17: team" → 17 (0 when the field names no line). */
export function lineOf(field: string): number {
  return Number(/^(?:line|row|rows\.?)\s*(\d+)/.exec(field)?.[1] ?? 0);
}

/** The quarter that ended last before today (reports are due for it), in Berlin. */
export function lastEndedQuarter(now: Date = new Date()): { year: number; quarter: number } {
  const [year, month] = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number) as [number, number];
  const quarter = Math.floor((month - 1) / 3);
  return quarter === 0 ? { year: year - 1, quarter: 4 } : { year, quarter };
}

/** The previous month of yyyy-mm. */
export function shiftMonth(month: string, by: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
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

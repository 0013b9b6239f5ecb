import { useRef, useState } from 'react';
import { ApiError, NetworkError, newIdempotencyKey, rememberPosition, type CommandResult, type Problem } from './api';
import { useSession } from './session';

/** File uploads with progress (population and organisation files), with the API's conventions. */

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

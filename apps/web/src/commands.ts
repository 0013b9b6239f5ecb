import { useRef, useState } from 'react';
import { ApiError, NetworkError, newIdempotencyKey, request, type CommandResult } from './api';

/**
 * One user action that writes: it keeps its `Idempotency-Key` until the API has answered, so a retry
 * after a network error can never write twice, and exposes the last error for the form to show next to
 * its fields. The form's own state (what the user typed) is never touched here, so nothing is lost.
 */
export function useCommand<Body>(method: 'POST' | 'PUT', path: string) {
  const key = useRef<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (body: Body, options: { readonly ifMatch?: number } = {}): Promise<CommandResult | null> => {
    key.current ??= newIdempotencyKey();
    setPending(true);
    setError(null);
    try {
      const { data } = await request<CommandResult>(method, path, { body, idempotencyKey: key.current, ...options });
      key.current = null;
      return data;
    } catch (caught) {
      // Only a lost answer keeps the key: the write may have landed, and the same key makes a retry safe.
      if (!(caught instanceof NetworkError)) key.current = null;
      setError(caught);
      return null;
    } finally {
      setPending(false);
    }
  };
  const fieldMessage = (field: string) => (error instanceof ApiError ? error.fieldMessage(field) : undefined);
  const conflict = error instanceof ApiError && error.status === 412;
  return { run, pending, error, fieldMessage, conflict, reset: () => setError(null) };
}

/**
 * The one way the browser application talks to the API (same origin, session cookie): JSON in and out,
 * problem details turned into `ApiError` with the offending fields, and the API's conventions kept:
 * `X-CSRF-Token` on every write, `If-Match` with the revision a form was loaded at, an `Idempotency-Key`
 * that stays the same when the user retries after a network error, and `X-Min-Position` after a write so
 * that the next read shows it.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface Problem {
  readonly title: string;
  readonly detail: string;
  readonly status: number;
  readonly code: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  /** The message for one field (`answers[0].value`, or any field under a prefix). */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((error) => error.field === field || error.field.startsWith(`${field}.`))?.message;
  }
}

/** The request never got an answer (offline, server gone): the user may retry; the write may have landed. */
export class NetworkError extends Error {}

export interface CommandResult {
  readonly id?: string;
  readonly revision?: number;
  readonly position?: number;
}

let csrfToken: string | null = null;
let lastPosition = 0;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The highest position this browser has written; reads wait for it (read-your-writes). */
export function rememberPosition(position: number | undefined): void {
  if (typeof position === 'number' && position > lastPosition) lastPosition = position;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly ifMatch?: number;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export interface Answer<T> {
  readonly data: T;
  readonly etag: number | null;
}

function parseEtag(header: string | null): number | null {
  const match = header === null ? null : /^(?:W\/)?"(\d+)"$/.exec(header);
  return match ? Number(match[1]) : null;
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (typeof parsed.title === 'string') {
      return { detail: '', code: 'UNKNOWN', ...parsed, status: response.status } as Problem;
    }
  } catch {
    // not JSON: fall through
  }
  return {
    title: `Fehler ${response.status} / Error ${response.status}`,
    detail: text.slice(0, 200),
    status: response.status,
    code: 'UNKNOWN',
  };
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
  }
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
  if (lastPosition > 0) headers['X-Min-Position'] = String(lastPosition);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(String(error));
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  const etag = parseEtag(response.headers.get('ETag'));
  if (response.status === 204) return { data: undefined as T, etag };
  const data = (await response.json()) as T;
  if (method !== 'GET') rememberPosition((data as CommandResult | undefined)?.position);
  return { data, etag };
}

export const get = <T>(path: string, signal?: AbortSignal): Promise<T> =>
  request<T>('GET', path, { signal }).then((answer) => answer.data);

/** A fresh key per user action; a retry of the same action reuses it (see `useCommand`). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

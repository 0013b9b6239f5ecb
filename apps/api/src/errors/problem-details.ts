import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { classifyStoreError, type StoreFault } from './store-errors.js';

/** RFC 9457 problem details, plus our stable `code` and, for bad input, the offending fields. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
  /** RFC 9457 extension members an error names (`problemExtensions`), e.g. the purge record of a 410. */
  readonly [extension: string]: unknown;
}

export interface ProblemMapping {
  readonly status: number;
  /** German first, then English. */
  readonly title: string;
  /**
   * A fixed detail replaces the error's own message: for messages that are internal (English, stream
   * ids) or that must not differ between cases (a missing resource and one out of reach).
   */
  readonly detail?: string;
}

export type ProblemTable = Readonly<Record<string, ProblemMapping>>;

/**
 * The one table from stable error codes to HTTP. Errors anywhere in the code base carry a `code`
 * property; to map a new one, add a line here or pass it to `ErrorsModule.forRoot({ codes })`.
 */
export const PROBLEM_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'Ungültige Eingabe / Invalid input' },
  // A body or query string too deep or too wide (`PRUEFPFAD_MAX_JSON_*`); the detail names the limit.
  INPUT_LIMIT_EXCEEDED: { status: 400, title: 'Eingabe zu umfangreich / Input exceeds a limit' },
  MALFORMED_JSON: {
    status: 400,
    title: 'Ungültiges JSON / Malformed JSON',
    detail: 'Der Anfragetext ist kein gültiges JSON. / The request body is not valid JSON.',
  },
  INVALID_APPEND: { status: 400, title: 'Ungültige Anfrage / Invalid request' },
  UNAUTHENTICATED: {
    status: 401,
    title: 'Nicht angemeldet / Unauthenticated',
    detail:
      'Bitte anmelden: im Browser auf der Anmeldeseite, als Maschine mit einem gültigen Bearer-Token. / ' +
      'Please sign in: in the browser on the sign-in page, as a machine with a valid bearer token.',
  },
  FORBIDDEN: { status: 403, title: 'Keine Berechtigung / Forbidden' },
  // A browser write without the session's CSRF token or from another origin; the detail says which.
  CSRF_REFUSED: { status: 403, title: 'Anfrage abgewiesen (CSRF-Schutz) / Request refused (CSRF protection)' },
  DEVELOPMENT_LOGIN_DISABLED: {
    status: 403,
    title: 'Entwicklungsanmeldung abgeschaltet / Development login disabled',
  },
  OIDC_NOT_CONFIGURED: { status: 404, title: 'Anmeldung nicht eingerichtet / Sign-in not set up' },
  ROUTE_WITHOUT_ACTION: {
    status: 403,
    title: 'Keine Berechtigung / Forbidden',
    detail:
      'Diese Route hat keine deklarierte Aktion und ist deshalb gesperrt. / ' +
      'This route declares no action and is therefore closed.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'Nicht gefunden / Not found',
    detail: 'Die Ressource wurde nicht gefunden. / The resource was not found.',
  },
  // An operator asked for a rebuild while one of the same projection runs (here or on another instance).
  REBUILD_IN_PROGRESS: { status: 409, title: 'Neuaufbau läuft bereits / Rebuild already running' },
  ALREADY_EXISTS: { status: 409, title: 'Existiert bereits / Already exists' },
  CONCURRENCY_CONFLICT: {
    status: 409,
    title: 'Konflikt / Conflict',
    detail:
      'Die Ressource wurde gleichzeitig geändert; bitte neu laden und erneut versuchen. / ' +
      'The resource was changed concurrently; reload it and try again.',
  },
  STREAM_DELETED: {
    status: 410,
    title: 'Gelöscht / Gone',
    detail:
      'Die Ressource wurde nach Ablauf der Aufbewahrungsfrist gelöscht. / The resource was deleted after its retention period.',
  },
  KEY_DESTROYED: {
    status: 410,
    title: 'Gelöscht / Gone',
    detail: 'Die personenbezogenen Daten wurden unwiderruflich gelöscht. / The personal data was irrevocably erased.',
  },
  PRECONDITION_FAILED: { status: 412, title: 'Vorbedingung fehlgeschlagen / Precondition failed' },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Anfrage zu groß / Payload too large',
    detail: 'Der Anfragetext ist zu groß. / The request body is too large.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'Idempotency-Key wiederverwendet / Idempotency key reused',
    detail:
      'Derselbe Idempotency-Key wurde bereits mit einem anderen Anfragetext verwendet. / ' +
      'The same Idempotency-Key was already used with a different request body.',
  },
  // A retry of an idempotent request whose first attempt may still be running or may still land at the store.
  IDEMPOTENT_REQUEST_IN_PROGRESS: {
    status: 409,
    title: 'Anfrage wird noch bearbeitet / Request still in progress',
  },
  // A retry after an unknown outcome found the first attempt's events: carried out once, not again.
  IDEMPOTENT_REQUEST_APPLIED: {
    status: 409,
    title: 'Anfrage bereits ausgeführt / Request already carried out',
  },
  RULE_VIOLATION: { status: 422, title: 'Fachlich nicht zulässig / Rule violation' },
  AUTHENTICATION_UNAVAILABLE: {
    status: 503,
    title: 'Dienst nicht verfügbar / Service unavailable',
    detail:
      'Die Anmeldung kann gerade nicht geprüft werden; bitte später erneut versuchen. / ' +
      'Authentication cannot be checked right now; please try again later.',
  },
  EVENT_STORE_CLOSED: {
    status: 503,
    title: 'Dienst nicht verfügbar / Service unavailable',
    detail: 'Der Dienst wird gerade beendet. / The service is shutting down.',
  },
  // Fail closed: decrypted personal data is not sent when its read could not be recorded in the access log.
  ACCESS_LOG_UNAVAILABLE: {
    status: 503,
    title: 'Dienst nicht verfügbar / Service unavailable',
    detail:
      'Der Zugriff konnte nicht protokolliert werden; die Daten werden deshalb nicht angezeigt. Bitte später erneut versuchen. / ' +
      'The access could not be recorded in the access log, so the data is not shown. Please try again later.',
  },
  // Read-your-writes: the read model has not reached the requested position within the bounded wait.
  PROJECTION_LAGGING: {
    status: 503,
    title: 'Ansicht noch nicht aktuell / Read model not caught up yet',
  },
  // A KurrentDB or MongoDB error that passes (no leader, unreachable, busy, timed out): retry after
  // `Retry-After`; `commitUnknown` says whether a write may have been committed (see store-errors.ts).
  STORE_UNAVAILABLE: {
    status: 503,
    title: 'Datenspeicher vorübergehend nicht erreichbar / Data store temporarily unavailable',
  },
  // More than the event store accepts in one append (KurrentDB's MaxAppendSize): retrying cannot help.
  STORE_APPEND_TOO_LARGE: {
    status: 413,
    title: 'Änderung zu umfangreich / Change too large',
    detail:
      'Die Änderung ist zu umfangreich, um sie auf einmal zu speichern; es wurde nichts gespeichert. ' +
      'Bitte in kleineren Teilen senden (z. B. eine Liste aufteilen). / ' +
      'The change is too large to be stored at once; nothing was stored. ' +
      'Please send it in smaller parts (e.g. split a list).',
  },
  REVIEW_PURGED: {
    status: 410,
    title: 'Nach Ablauf der Aufbewahrungsfrist gelöscht / Purged after its retention period',
  },
} as const satisfies ProblemTable;

const INTERNAL_ERROR: ProblemMapping = {
  status: 500,
  title: 'Interner Fehler / Internal server error',
  detail: 'Ein unerwarteter Fehler ist aufgetreten. / An unexpected error occurred.',
};

/** For HTTP exceptions that carry no code of their own. */
const STATUS_CODE_NAMES: Readonly<Record<number, { code: string; title: string }>> = {
  400: { code: 'BAD_REQUEST', title: 'Ungültige Anfrage / Bad request' },
  401: { code: 'UNAUTHENTICATED', title: 'Nicht angemeldet / Unauthenticated' },
  403: { code: 'FORBIDDEN', title: 'Keine Berechtigung / Forbidden' },
  404: { code: 'NOT_FOUND', title: 'Nicht gefunden / Not found' },
  405: { code: 'METHOD_NOT_ALLOWED', title: 'Methode nicht erlaubt / Method not allowed' },
  406: { code: 'NOT_ACCEPTABLE', title: 'Nicht annehmbar / Not acceptable' },
  408: { code: 'REQUEST_TIMEOUT', title: 'Zeitüberschreitung / Request timeout' },
  409: { code: 'CONFLICT', title: 'Konflikt / Conflict' },
  410: { code: 'GONE', title: 'Gelöscht / Gone' },
  412: { code: 'PRECONDITION_FAILED', title: 'Vorbedingung fehlgeschlagen / Precondition failed' },
  413: { code: 'PAYLOAD_TOO_LARGE', title: 'Anfrage zu groß / Payload too large' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Medientyp nicht unterstützt / Unsupported media type' },
  422: { code: 'UNPROCESSABLE_CONTENT', title: 'Nicht verarbeitbar / Unprocessable content' },
  428: { code: 'PRECONDITION_REQUIRED', title: 'Vorbedingung erforderlich / Precondition required' },
  429: { code: 'TOO_MANY_REQUESTS', title: 'Zu viele Anfragen / Too many requests' },
  500: { code: 'INTERNAL_ERROR', title: INTERNAL_ERROR.title },
  501: { code: 'NOT_IMPLEMENTED', title: 'Nicht umgesetzt / Not implemented' },
  503: { code: 'SERVICE_UNAVAILABLE', title: 'Dienst nicht verfügbar / Service unavailable' },
};

export function problemType(code: string): string {
  return `urn:pruefpfad:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export interface ProblemOutcome {
  readonly problem: ProblemDetails;
  /** Server faults: the caller logs the original error (the response never carries it). */
  readonly serverFault: boolean;
  /** Response headers the answer needs, e.g. `Retry-After` of a 503. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What `toProblem` may know of the request beyond its path. */
export interface ProblemContext {
  /** The HTTP method: a store error during a write may leave its outcome unknown. */
  readonly method?: string;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function lookup(table: ProblemTable, code: string): ProblemMapping | undefined {
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

function statusName(status: number): { code: string; title: string } {
  return (
    STATUS_CODE_NAMES[status] ?? {
      code: `HTTP_${status}`,
      title: `Fehler ${status} / ${STATUS_CODES[status] ?? 'Error'}`,
    }
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Field errors a coded error may carry: `errors: [{ field, message }]` or `details.fields: { field: message }`. */
function fieldErrorsOf(error: Record<string, unknown>): FieldError[] | undefined {
  const { errors, details } = error;
  if (Array.isArray(errors)) {
    const list = errors.filter(
      (e): e is FieldError => isRecord(e) && typeof e.field === 'string' && typeof e.message === 'string',
    );
    return list.map(({ field, message }) => ({ field, message }));
  }
  if (isRecord(details) && isRecord(details.fields)) {
    return Object.entries(details.fields).map(([field, message]) => ({ field, message: String(message) }));
  }
  return undefined;
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (isRecord(response)) {
    const { message } = response;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return exception.message;
}

/** body-parser marks its errors with a `type`; they may arrive raw when no adapter mapped them. */
function bodyParserType(error: unknown): string | undefined {
  return isRecord(error) && typeof error.type === 'string' && typeof error.status === 'number' ? error.type : undefined;
}

function build(
  code: string,
  mapping: ProblemMapping,
  instance: string,
  detail: string,
  errors?: readonly FieldError[],
  extensions?: Readonly<Record<string, unknown>>,
): ProblemDetails {
  return {
    ...extensions,
    type: problemType(code),
    title: mapping.title,
    status: mapping.status,
    detail: mapping.detail ?? detail,
    instance,
    code,
    ...(errors !== undefined ? { errors } : {}),
  };
}

/**
 * Maps anything thrown while serving a request to problem details. Unknown errors (and any 5xx that
 * is not in the table) become a generic 500: the message and stack stay in the log.
 */
export function toProblem(
  exception: unknown,
  instance: string,
  table: ProblemTable = PROBLEM_CODES,
  context: ProblemContext = {},
): ProblemOutcome {
  const parserType = bodyParserType(exception instanceof HttpException ? exception.cause : exception);
  if (parserType === 'entity.parse.failed') {
    return { problem: build('MALFORMED_JSON', PROBLEM_CODES.MALFORMED_JSON, instance, ''), serverFault: false };
  }
  if (parserType === 'entity.too.large') {
    return { problem: build('PAYLOAD_TOO_LARGE', PROBLEM_CODES.PAYLOAD_TOO_LARGE, instance, ''), serverFault: false };
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) {
      const { code, title } = statusName(status);
      return {
        problem: build(code, { status, title, detail: INTERNAL_ERROR.detail }, instance, ''),
        serverFault: true,
      };
    }
    const code = exception.errorCode ?? statusName(status).code;
    const mapped = lookup(table, code);
    const mapping: ProblemMapping =
      mapped && mapped.status === status ? mapped : { status, title: mapped?.title ?? statusName(status).title };
    return { problem: build(code, mapping, instance, httpExceptionMessage(exception)), serverFault: false };
  }

  if (isRecord(exception)) {
    if (typeof exception.code === 'string') {
      const mapping = lookup(table, exception.code);
      if (mapping) {
        const message = typeof exception.message === 'string' ? exception.message : '';
        const extensions = isRecord(exception.problemExtensions) ? exception.problemExtensions : undefined;
        const problem = build(exception.code, mapping, instance, message, fieldErrorsOf(exception), extensions);
        const retryAfter = exception.retryAfterSeconds;
        return {
          problem,
          serverFault: mapping.status >= 500,
          ...(typeof retryAfter === 'number' && Number.isInteger(retryAfter) && retryAfter > 0
            ? { headers: { 'Retry-After': String(retryAfter) } }
            : {}),
        };
      }
    }
    // http-errors from middleware (body-parser and friends) that are meant for the client.
    const status = typeof exception.status === 'number' ? exception.status : exception.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500 && exception.expose === true) {
      const { code, title } = statusName(status);
      const message = typeof exception.message === 'string' ? exception.message : '';
      return { problem: build(code, { status, title }, instance, message), serverFault: false };
    }
  }
  const fault = classifyStoreError(exception);
  if (fault !== null) return storeProblem(fault, instance, context);
  return internal(instance);
}

/**
 * A passing store error is a 503 with `Retry-After` and `commitUnknown`; an append beyond the store's
 * size limit a 413. `commitUnknown: true` means the write may have been committed although the request
 * failed: reload before sending it again (a request with `If-Match` then answers 412/409 instead of
 * writing twice).
 */
function storeProblem(fault: StoreFault, instance: string, context: ProblemContext): ProblemOutcome {
  if (fault.kind === 'append-too-large') {
    const problem = build('STORE_APPEND_TOO_LARGE', PROBLEM_CODES.STORE_APPEND_TOO_LARGE, instance, '', undefined, {
      reason: fault.reason,
    });
    return { problem, serverFault: false };
  }
  const write = WRITE_METHODS.has((context.method ?? '').toUpperCase());
  const commitUnknown = write && fault.writeMayHaveCommitted;
  const detail = commitUnknown
    ? 'Der Datenspeicher ist vorübergehend nicht erreichbar. Ob die Änderung gespeichert wurde, ist unbekannt: ' +
      'bitte den aktuellen Stand laden und sie nur senden, wenn sie fehlt. / ' +
      'The data store is temporarily unavailable. Whether the change was stored is unknown: ' +
      'reload the current state and send it again only if it is missing.'
    : write
      ? 'Der Datenspeicher ist vorübergehend nicht erreichbar; die Änderung wurde nicht gespeichert. ' +
        'Bitte später erneut senden. / The data store is temporarily unavailable; the change was not stored. ' +
        'Please send it again later.'
      : 'Der Datenspeicher ist vorübergehend nicht erreichbar; bitte später erneut versuchen. / ' +
        'The data store is temporarily unavailable; please try again later.';
  const problem = build('STORE_UNAVAILABLE', PROBLEM_CODES.STORE_UNAVAILABLE, instance, detail, undefined, {
    store: fault.store,
    reason: fault.reason,
    retryAfter: fault.retryAfterSeconds,
    commitUnknown,
  });
  return { problem, serverFault: true, headers: { 'Retry-After': String(fault.retryAfterSeconds) } };
}

function internal(instance: string): ProblemOutcome {
  return { problem: build('INTERNAL_ERROR', INTERNAL_ERROR, instance, ''), serverFault: true };
}

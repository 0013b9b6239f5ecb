import fs from 'node:fs';
import path from 'node:path';

/**
 * Configuration comes from environment variables only, validated once at start. Every problem is
 * reported at once, with the variable's name, so an operator can fix a deployment in one go.
 */
export type Environment = 'development' | 'test' | 'production';

export type StoreMode =
  | { readonly kind: 'embedded' }
  | {
      readonly kind: 'server';
      readonly kurrentdbConnectionString: string;
      readonly mongodbUri: string;
      readonly mongodbDatabase: string;
      /** The key store's own database, backed up apart from the read models and the events. */
      readonly mongodbKeyDatabase: string;
    };

export interface AppConfig {
  readonly environment: Environment;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly keyDir: string;
  readonly masterKey: string | undefined;
  readonly stores: StoreMode;
  /**
   * How bearer tokens (machines) are verified: the identity provider's JWKS, the local development secret,
   * or not at all (`none`: production where people sign in through OIDC and no machine is set up).
   */
  readonly auth:
    | { readonly kind: 'local-secret' }
    | { readonly kind: 'none' }
    | {
        readonly kind: 'jwks';
        readonly jwksUrl: string;
        readonly issuer: string | undefined;
        readonly audience: string | undefined;
      };
  readonly rulesVersion: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Upper bound for read-your-writes waits (ms). */
  readonly maxWaitMs: number;
  /** Cells of cross-level views and exports counting fewer cases than this are suppressed (default 3). */
  readonly minCellCount: number;
  /**
   * Bounds on request input, checked right after the JSON body parser and before any transformation or
   * validation (apps/api/src/errors/input-limits.ts): deeper or wider input gets 400, never a 500.
   */
  readonly input: {
    readonly maxBodyBytes: number;
    /** Objects and arrays nested in each other; the body itself is level 1. */
    readonly maxDepth: number;
    readonly maxArrayLength: number;
    readonly maxObjectKeys: number;
  };
  readonly retention: {
    /** Whether the API runs the daily retention purge (default on). */
    readonly dailyPurge: boolean;
    /** Europe/Berlin local hour at which the daily purge starts (default 2). */
    readonly purgeHour: number;
  };
  readonly sampling: {
    /** Days before a month starts from which its sample may be drawn (default 5). */
    readonly drawLeadDays: number;
    /**
     * Days after the end of a population's month during which its clear case references are kept for
     * supplementary draws and replacements (default 31); the retention run destroys them afterwards.
     */
    readonly populationReferenceDays: number;
  };
  /** The browser login of the web application (backend-for-frontend: session cookie, OIDC, development login). */
  readonly web: WebLoginConfig;
  /** The deadline inbox and its e-mail digest (issue 12). */
  readonly mail: MailConfig;
  /** Test environment only: the instant the service clock starts at (see `CONFIG_VARIABLES`). */
  readonly testClockStart: string | null;
}

/** OpenID Connect login of the web application (authorisation code flow with PKCE). */
export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  /** Absent: a public client (PKCE only, `token_endpoint_auth_method` none). */
  readonly clientSecret: string | undefined;
  readonly scopes: readonly string[];
  /** JSON file mapping groups or roles of the identity provider to Prüfpfad roles, tenant and units. */
  readonly claimMappingFile: string;
}

export interface WebLoginConfig {
  /**
   * The service's external origin (`https://pruefpfad.example`): redirect URIs and the `Origin` check of
   * cookie-authenticated writes. Null only with `PORT=0` and no `PRUEFPFAD_PUBLIC_URL`: then it is the
   * loopback address the server actually listens on (tests).
   */
  readonly publicUrl: string | null;
  readonly oidc: OidcConfig | null;
  /** Sign in as any person of the organisation without an identity provider (never in production). */
  readonly developmentLogin: boolean;
  /** Keys the session cookie (at least 32 bytes); null: `<dataDir>/session-secret`, created on first start. */
  readonly sessionSecret: Uint8Array | null;
  /** Absolute lifetime of a browser session in seconds (default 8 h). */
  readonly sessionAbsoluteSeconds: number;
  /** A session unused this long ends (default 30 min); every authenticated request renews it. */
  readonly sessionIdleSeconds: number;
}

/** The e-mail digest of deadlines over SMTP; `smtp` null (no `PRUEFPFAD_SMTP_HOST`): no mail is sent. */
export interface MailConfig {
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    /** `tls`: TLS from the first byte (port 465); `starttls`: upgrade required; `none`: plain (tests, a local relay). */
    readonly security: 'tls' | 'starttls' | 'none';
    readonly user: string | undefined;
    readonly password: string | undefined;
  } | null;
  /** Sender address (From). */
  readonly from: string;
  /** Europe/Berlin hour (0-23) of the daily digest; null: no daily digest (send now only). */
  readonly digestHour: number | null;
  /** Deadlines due within this many days (0: today) count as due in the inbox and the digest; overdue always do. */
  readonly horizonDays: number;
  /** Backoff of a refused or unreachable mail server: first retry after this many ms, doubling to 10 min. */
  readonly retryInitialMs: number;
}

export class ConfigurationError extends Error {
  readonly code = 'CONFIGURATION_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(
      `Ungültige Konfiguration / Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'ConfigurationError';
  }
}

/** The variables this service reads, with their meaning (the README's table is generated from the same list). */
export const CONFIG_VARIABLES = {
  PRUEFPFAD_ENV: 'development | test | production (default development). Production refuses generated secrets.',
  PORT: 'HTTP port (default 3000).',
  HOST: 'Interface to listen on (default 127.0.0.1; 0.0.0.0 in containers).',
  PRUEFPFAD_DATA_DIR: 'Directory for the embedded event and read stores and the local JWT secret (default ./data).',
  PRUEFPFAD_KEY_DIR:
    'Directory for the key store and master key, backed up apart from the events (default ./data-keys).',
  PRUEFPFAD_MASTER_KEY: 'Base64 of 32 random bytes wrapping all data keys; required in production.',
  PRUEFPFAD_MASTER_KEY_NEXT:
    'The new master key for `rotate-master-key` (base64 of 32 bytes); alternatively <PRUEFPFAD_KEY_DIR>/master.key.next (0600). Never read by the service.',
  KURRENTDB_CONNECTION_STRING: 'e.g. kurrentdb://localhost:2113?tls=false; with MONGODB_URI switches to server mode.',
  MONGODB_URI:
    'e.g. mongodb://localhost:27017/?replicaSet=rs0; with KURRENTDB_CONNECTION_STRING switches to server mode.',
  MONGODB_DATABASE: 'Database for read models in server mode (default pruefpfad).',
  MONGODB_KEY_DATABASE: 'Database of the key store in server mode, backed up apart (default <MONGODB_DATABASE>_keys).',
  JWT_JWKS_URL:
    'JWKS URL of the identity provider (RS256) for bearer tokens of machines. Without it a local HS256 secret is used outside production; in production without it (browser sign-in through OIDC only) bearer tokens are refused.',
  JWT_ISSUER: 'Expected `iss` claim (optional).',
  JWT_AUDIENCE: 'Expected `aud` claim (optional).',
  PRUEFPFAD_RULES_VERSION: 'Version label of the rules (configuration) that events are stamped with (default 2026.1).',
  PRUEFPFAD_RULES_FILE:
    'Optional JSON file of the versioned rules that shape read models (serious defects on dashboards, trend judging); a change rebuilds the affected projections (see libs/application/src/rules-config.ts).',
  LOG_LEVEL: 'debug | info | warn | error (default info).',
  PRUEFPFAD_MAX_WAIT_MS: 'Upper bound of read-your-writes waits in ms (default 5000).',
  PRUEFPFAD_MIN_CELL_COUNT:
    'Smallest number of cases a cell of a regional, central or cross-tenant view or of an export may show; smaller cells are suppressed (default 3).',
  PRUEFPFAD_MAX_BODY_BYTES:
    'Largest JSON request body in bytes (default 102400); larger bodies get 413. CSV population imports have their own 32 MB limit.',
  PRUEFPFAD_MAX_JSON_DEPTH:
    'Deepest nesting of objects and arrays in a JSON body or query string (default 32, at most 256); deeper input gets 400.',
  PRUEFPFAD_MAX_JSON_ARRAY_LENGTH:
    'Longest list in a JSON body, e.g. the rows of a JSON population import (default 100000); longer lists get 400.',
  PRUEFPFAD_MAX_JSON_KEYS: 'Most fields of one object in a JSON body or query string (default 1000); more get 400.',
  PRUEFPFAD_DAILY_PURGE: 'on | off (default on): the API runs the retention purge once a day.',
  PRUEFPFAD_PURGE_HOUR: 'Europe/Berlin hour (0-23) at which the daily retention purge runs (default 2).',
  PRUEFPFAD_TEST_CLOCK_START:
    'Only with PRUEFPFAD_ENV=test: the service clock starts at this instant (ISO 8601) and runs on from there, so browser journeys can work a past month and its quarter report. Refused otherwise.',
  PRUEFPFAD_DRAW_LEAD_DAYS:
    'Days before a month starts from which its sample may be drawn (default 5); earlier months only with a reason, later ones never.',
  PRUEFPFAD_POPULATION_REFERENCE_DAYS:
    "Days after a population's month during which its clear case references are kept for supplementary draws and replacements (default 31); then the retention run destroys them.",
  PRUEFPFAD_PUBLIC_URL:
    'External origin of the service, e.g. https://pruefpfad.example (redirect URIs of the login, Origin check of browser writes; default http://127.0.0.1:<PORT>; required in production with OIDC, https there).',
  PRUEFPFAD_OIDC_ISSUER: 'Issuer URL of the OpenID provider for the browser login; without it there is no OIDC login.',
  PRUEFPFAD_OIDC_CLIENT_ID: 'Client id of this service at the OpenID provider (required with PRUEFPFAD_OIDC_ISSUER).',
  PRUEFPFAD_OIDC_CLIENT_SECRET: 'Client secret (optional: without it a public client with PKCE).',
  PRUEFPFAD_OIDC_CLIENT_SECRET_FILE: 'File holding the client secret (instead of PRUEFPFAD_OIDC_CLIENT_SECRET).',
  PRUEFPFAD_OIDC_SCOPES: 'Scopes requested at login, separated by spaces (default "openid profile email").',
  PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE:
    'JSON file mapping groups or roles of the OpenID provider to Prüfpfad roles, tenant, units and region (required with PRUEFPFAD_OIDC_ISSUER; example: deploy/oidc-claim-mapping.example.json).',
  PRUEFPFAD_DEVELOPMENT_LOGIN:
    'on | off: sign in as any person of the organisation without an identity provider (default on outside production; refused in production).',
  PRUEFPFAD_SESSION_SECRET:
    'Base64 of at least 32 random bytes keying the session cookie (or PRUEFPFAD_SESSION_SECRET_FILE); default <PRUEFPFAD_DATA_DIR>/session-secret, generated; required in production with OIDC.',
  PRUEFPFAD_SESSION_SECRET_FILE: 'File holding at least 32 random bytes keying the session cookie.',
  PRUEFPFAD_SESSION_ABSOLUTE_MINUTES: 'Absolute lifetime of a browser session in minutes (default 480, i.e. 8 h).',
  PRUEFPFAD_SESSION_IDLE_MINUTES: 'A browser session unused this many minutes ends (default 30).',
  PRUEFPFAD_SMTP_HOST:
    'Mail server for the daily deadline digest; without it no e-mail is sent (the inbox at /api/v1/inbox works regardless).',
  PRUEFPFAD_SMTP_PORT: 'Port of the mail server (default 587; 465 with PRUEFPFAD_SMTP_SECURITY=tls).',
  PRUEFPFAD_SMTP_SECURITY:
    'starttls | tls | none (default starttls): STARTTLS required, TLS from the start, or plain (a local relay; tests).',
  PRUEFPFAD_SMTP_USER: 'User name at the mail server (optional).',
  PRUEFPFAD_SMTP_PASSWORD: 'Password at the mail server (or PRUEFPFAD_SMTP_PASSWORD_FILE).',
  PRUEFPFAD_SMTP_PASSWORD_FILE: 'File holding the password at the mail server.',
  PRUEFPFAD_MAIL_FROM: 'Sender of the digest (default pruefpfad@localhost).',
  PRUEFPFAD_DIGEST_HOUR:
    'Europe/Berlin hour (0-23) of the daily digest (default 7); "off": no daily digest, only POST /api/v1/inbox/digest.',
  PRUEFPFAD_INBOX_HORIZON_DAYS:
    'Deadlines due within this many days count as due in the inbox and the digest (default 14); overdue ones always count.',
  PRUEFPFAD_MAIL_RETRY_MS:
    'First retry of a refused or unreachable mail server in ms (default 30000), doubling up to 10 minutes; mail waits in the outbox meanwhile.',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function integer(
  env: Env,
  name: keyof typeof CONFIG_VARIABLES,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(
      `${name}="${raw}": ganze Zahl zwischen ${min} und ${max} erwartet / expected an integer from ${min} to ${max}`,
    );
    return fallback;
  }
  return value;
}

function oneOf<T extends string>(
  env: Env,
  name: keyof typeof CONFIG_VARIABLES,
  allowed: readonly T[],
  fallback: T,
  problems: string[],
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${name}="${raw}": erlaubt / allowed: ${allowed.join(', ')}`);
  return fallback;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const environment = oneOf(
    env,
    'PRUEFPFAD_ENV',
    ['development', 'test', 'production'] as const,
    'development',
    problems,
  );
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const dataDir = path.resolve(cwd, env.PRUEFPFAD_DATA_DIR || 'data');
  const keyDir = path.resolve(cwd, env.PRUEFPFAD_KEY_DIR || 'data-keys');
  if (dataDir === keyDir)
    problems.push('PRUEFPFAD_KEY_DIR must differ from PRUEFPFAD_DATA_DIR: keys are backed up apart from the events');

  const kurrent = env.KURRENTDB_CONNECTION_STRING?.trim();
  const mongo = env.MONGODB_URI?.trim();
  let stores: StoreMode = { kind: 'embedded' };
  if (kurrent || mongo) {
    if (!kurrent)
      problems.push('KURRENTDB_CONNECTION_STRING fehlt / is missing (server mode needs both KurrentDB and MongoDB)');
    else if (!/^(kurrentdb|esdb|kdb)(\+discover)?:\/\//.test(kurrent))
      problems.push(`KURRENTDB_CONNECTION_STRING="${kurrent}": expected kurrentdb://… or esdb://…`);
    if (!mongo) problems.push('MONGODB_URI fehlt / is missing (server mode needs both KurrentDB and MongoDB)');
    else if (!/^mongodb(\+srv)?:\/\//.test(mongo))
      problems.push(`MONGODB_URI: expected mongodb://… or mongodb+srv://…`);
    stores = {
      kind: 'server',
      kurrentdbConnectionString: kurrent ?? '',
      mongodbUri: mongo ?? '',
      mongodbDatabase: env.MONGODB_DATABASE?.trim() || 'pruefpfad',
      mongodbKeyDatabase: env.MONGODB_KEY_DATABASE?.trim() || `${env.MONGODB_DATABASE?.trim() || 'pruefpfad'}_keys`,
    };
  }

  const jwksUrl = env.JWT_JWKS_URL?.trim();
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) problems.push(`JWT_JWKS_URL="${jwksUrl}": expected an http(s) URL`);
  if (jwksUrl && (!env.JWT_ISSUER?.trim() || !env.JWT_AUDIENCE?.trim()))
    problems.push(
      'JWT_ISSUER und JWT_AUDIENCE sind mit JWT_JWKS_URL Pflicht / are required with JWT_JWKS_URL: otherwise a token the identity provider issued for another application would open this API',
    );

  const web = webLoginConfig(env, cwd, environment, port, problems);
  if (!jwksUrl && environment === 'production' && !env.PRUEFPFAD_OIDC_ISSUER?.trim())
    problems.push(
      'JWT_JWKS_URL oder / or PRUEFPFAD_OIDC_ISSUER fehlt / is missing: production needs the identity provider, for machines (bearer tokens, JWKS) or for people (browser sign-in, OIDC); a local secret is for development only',
    );
  if (environment === 'production' && !env.PRUEFPFAD_MASTER_KEY)
    problems.push('PRUEFPFAD_MASTER_KEY fehlt / is missing: production refuses a generated master key');
  const testClockStart = testClock(env, environment, problems);

  const config: AppConfig = {
    environment,
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir,
    keyDir,
    masterKey: env.PRUEFPFAD_MASTER_KEY || undefined,
    stores,
    auth: jwksUrl
      ? { kind: 'jwks', jwksUrl, issuer: env.JWT_ISSUER || undefined, audience: env.JWT_AUDIENCE || undefined }
      : environment === 'production'
        ? { kind: 'none' }
        : { kind: 'local-secret' },
    rulesVersion: env.PRUEFPFAD_RULES_VERSION?.trim() || '2026.1',
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info', problems),
    maxWaitMs: integer(env, 'PRUEFPFAD_MAX_WAIT_MS', 5000, 0, 60000, problems),
    minCellCount: integer(env, 'PRUEFPFAD_MIN_CELL_COUNT', 3, 1, 1000, problems),
    input: {
      maxBodyBytes: integer(env, 'PRUEFPFAD_MAX_BODY_BYTES', 100 * 1024, 1024, 64 * 1024 * 1024, problems),
      // Bounded above: much deeper input would bring back the recursion this limit protects against.
      maxDepth: integer(env, 'PRUEFPFAD_MAX_JSON_DEPTH', 32, 8, 256, problems),
      maxArrayLength: integer(env, 'PRUEFPFAD_MAX_JSON_ARRAY_LENGTH', 100_000, 100, 10_000_000, problems),
      maxObjectKeys: integer(env, 'PRUEFPFAD_MAX_JSON_KEYS', 1000, 50, 100_000, problems),
    },
    retention: {
      dailyPurge: oneOf(env, 'PRUEFPFAD_DAILY_PURGE', ['on', 'off'] as const, 'on', problems) === 'on',
      purgeHour: integer(env, 'PRUEFPFAD_PURGE_HOUR', 2, 0, 23, problems),
    },
    sampling: {
      drawLeadDays: integer(env, 'PRUEFPFAD_DRAW_LEAD_DAYS', 5, 0, 27, problems),
      populationReferenceDays: integer(env, 'PRUEFPFAD_POPULATION_REFERENCE_DAYS', 31, 0, 366, problems),
    },
    web,
    mail: mailConfig(env, cwd, problems),
    testClockStart,
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

function mailConfig(env: Env, cwd: string, problems: string[]): MailConfig {
  const host = env.PRUEFPFAD_SMTP_HOST?.trim();
  const security = oneOf(env, 'PRUEFPFAD_SMTP_SECURITY', ['starttls', 'tls', 'none'] as const, 'starttls', problems);
  const port = integer(env, 'PRUEFPFAD_SMTP_PORT', security === 'tls' ? 465 : 587, 1, 65535, problems);
  const password = secretValue(env, 'PRUEFPFAD_SMTP_PASSWORD', cwd, problems)?.toString('utf8').trim();
  const user = env.PRUEFPFAD_SMTP_USER?.trim() || undefined;
  if (!host && (user || password))
    problems.push('PRUEFPFAD_SMTP_USER/PASSWORD ohne / without PRUEFPFAD_SMTP_HOST: kein Mailserver / no mail server');
  const from = env.PRUEFPFAD_MAIL_FROM?.trim() || 'pruefpfad@localhost';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from))
    problems.push(`PRUEFPFAD_MAIL_FROM="${from}": eine E-Mail-Adresse / an e-mail address`);
  const rawHour = env.PRUEFPFAD_DIGEST_HOUR?.trim();
  const digestHour = rawHour === 'off' ? null : integer(env, 'PRUEFPFAD_DIGEST_HOUR', 7, 0, 23, problems);
  return {
    smtp: host ? { host, port, security, user, password: password || undefined } : null,
    from,
    digestHour,
    horizonDays: integer(env, 'PRUEFPFAD_INBOX_HORIZON_DAYS', 14, 0, 366, problems),
    retryInitialMs: integer(env, 'PRUEFPFAD_MAIL_RETRY_MS', 30_000, 10, 600_000, problems),
  };
}

/** `PRUEFPFAD_TEST_CLOCK_START`: an instant, accepted only in the test environment (never moves a real clock). */
function testClock(env: Env, environment: Environment, problems: string[]): string | null {
  const raw = env.PRUEFPFAD_TEST_CLOCK_START?.trim();
  if (!raw) return null;
  if (environment !== 'test') {
    problems.push('PRUEFPFAD_TEST_CLOCK_START: nur mit / only with PRUEFPFAD_ENV=test');
    return null;
  }
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ||
    Number.isNaN(Date.parse(raw))
  ) {
    problems.push(
      `PRUEFPFAD_TEST_CLOCK_START="${raw}": expected an ISO 8601 instant with zone, e.g. 2026-03-10T09:00:00Z`,
    );
    return null;
  }
  return new Date(raw).toISOString();
}

const MIN_SESSION_SECRET_BYTES = 32;

/** The value of `NAME` or the trimmed content of the file `NAME_FILE` (both set is a problem). */
function secretValue(env: Env, name: keyof typeof CONFIG_VARIABLES, cwd: string, problems: string[]): Buffer | null {
  const fileName = `${name}_FILE` as keyof typeof CONFIG_VARIABLES;
  const raw = env[name];
  const file = env[fileName]?.trim();
  if (raw && file) {
    problems.push(`${name} und / and ${fileName}: nur eines von beiden / only one of them`);
    return null;
  }
  if (file) {
    try {
      return fs.readFileSync(path.resolve(cwd, file));
    } catch (error) {
      problems.push(
        `${fileName}="${file}": nicht lesbar / not readable (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
      return null;
    }
  }
  return raw ? Buffer.from(raw, 'utf8') : null;
}

function httpUrl(raw: string, name: string, problems: string[]): URL | null {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  problems.push(`${name}="${raw}": http(s)-URL erwartet / expected an http(s) URL`);
  return null;
}

function webLoginConfig(
  env: Env,
  cwd: string,
  environment: Environment,
  port: number,
  problems: string[],
): WebLoginConfig {
  const production = environment === 'production';

  let publicUrl: string | null = port === 0 ? null : `http://127.0.0.1:${port}`;
  const rawPublicUrl = env.PRUEFPFAD_PUBLIC_URL?.trim();
  if (rawPublicUrl) {
    const url = httpUrl(rawPublicUrl, 'PRUEFPFAD_PUBLIC_URL', problems);
    if (url) {
      if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password)
        problems.push(
          `PRUEFPFAD_PUBLIC_URL="${rawPublicUrl}": nur Schema, Host und Port (ein Origin) / only scheme, host and port (an origin)`,
        );
      else if (production && url.protocol !== 'https:')
        problems.push(`PRUEFPFAD_PUBLIC_URL="${rawPublicUrl}": in Produktion https / https in production`);
      publicUrl = url.origin;
    }
  }

  let oidc: OidcConfig | null = null;
  const issuer = env.PRUEFPFAD_OIDC_ISSUER?.trim();
  if (issuer) {
    const issuerUrl = httpUrl(issuer, 'PRUEFPFAD_OIDC_ISSUER', problems);
    if (issuerUrl && production && issuerUrl.protocol !== 'https:')
      problems.push(`PRUEFPFAD_OIDC_ISSUER="${issuer}": in Produktion https / https in production`);
    const clientId = env.PRUEFPFAD_OIDC_CLIENT_ID?.trim();
    if (!clientId) problems.push('PRUEFPFAD_OIDC_CLIENT_ID fehlt / is missing (required with PRUEFPFAD_OIDC_ISSUER)');
    const clientSecret = secretValue(env, 'PRUEFPFAD_OIDC_CLIENT_SECRET', cwd, problems)?.toString('utf8').trim();
    const mappingFile = env.PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE?.trim();
    if (!mappingFile)
      problems.push(
        'PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE fehlt / is missing (required with PRUEFPFAD_OIDC_ISSUER: which groups give which role)',
      );
    else if (!fs.existsSync(path.resolve(cwd, mappingFile)))
      problems.push(`PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE="${mappingFile}": Datei fehlt / file not found`);
    const scopes = (env.PRUEFPFAD_OIDC_SCOPES?.trim() || 'openid profile email').split(/\s+/);
    if (!scopes.includes('openid'))
      problems.push(`PRUEFPFAD_OIDC_SCOPES="${scopes.join(' ')}": "openid" fehlt / is missing`);
    if (production && !rawPublicUrl)
      problems.push(
        'PRUEFPFAD_PUBLIC_URL fehlt / is missing: production with OIDC needs the external origin for redirect URIs',
      );
    oidc = {
      issuer,
      clientId: clientId ?? '',
      clientSecret: clientSecret || undefined,
      scopes: [...new Set(scopes)],
      claimMappingFile: path.resolve(cwd, mappingFile ?? ''),
    };
  } else {
    for (const name of [
      'PRUEFPFAD_OIDC_CLIENT_ID',
      'PRUEFPFAD_OIDC_CLIENT_SECRET',
      'PRUEFPFAD_OIDC_CLIENT_SECRET_FILE',
      'PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE',
    ] as const) {
      if (env[name]?.trim())
        problems.push(
          `${name} ohne / without PRUEFPFAD_OIDC_ISSUER: die OIDC-Anmeldung ist nicht eingerichtet / OIDC login is not set up`,
        );
    }
  }

  const developmentLogin =
    oneOf(env, 'PRUEFPFAD_DEVELOPMENT_LOGIN', ['on', 'off'] as const, production ? 'off' : 'on', problems) === 'on';
  if (developmentLogin && production)
    problems.push(
      'PRUEFPFAD_DEVELOPMENT_LOGIN=on: in Produktion nicht erlaubt (jede Person ohne Identitätsprovider) / refused in production (anyone without an identity provider)',
    );

  let sessionSecret: Uint8Array | null = null;
  const secret = secretValue(env, 'PRUEFPFAD_SESSION_SECRET', cwd, problems);
  if (secret) {
    // The variable holds base64; a file may hold raw bytes or base64 text.
    const decoded = env.PRUEFPFAD_SESSION_SECRET ? Buffer.from(secret.toString('utf8').trim(), 'base64') : secret;
    if (decoded.byteLength < MIN_SESSION_SECRET_BYTES)
      problems.push(
        `PRUEFPFAD_SESSION_SECRET: mindestens ${MIN_SESSION_SECRET_BYTES} Bytes / at least ${MIN_SESSION_SECRET_BYTES} bytes`,
      );
    else sessionSecret = new Uint8Array(decoded);
  } else if (production && oidc) {
    problems.push(
      'PRUEFPFAD_SESSION_SECRET (oder / or _FILE) fehlt / is missing: production refuses a generated session key (every instance must share it)',
    );
  }

  const sessionAbsoluteSeconds = integer(env, 'PRUEFPFAD_SESSION_ABSOLUTE_MINUTES', 480, 5, 7 * 24 * 60, problems) * 60;
  const sessionIdleSeconds = integer(env, 'PRUEFPFAD_SESSION_IDLE_MINUTES', 30, 1, 24 * 60, problems) * 60;
  if (sessionIdleSeconds > sessionAbsoluteSeconds)
    problems.push('PRUEFPFAD_SESSION_IDLE_MINUTES ist größer als / exceeds PRUEFPFAD_SESSION_ABSOLUTE_MINUTES');

  return { publicUrl, oidc, developmentLogin, sessionSecret, sessionAbsoluteSeconds, sessionIdleSeconds };
}

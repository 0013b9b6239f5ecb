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
  readonly auth:
    | { readonly kind: 'local-secret' }
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
  KURRENTDB_CONNECTION_STRING: 'e.g. kurrentdb://localhost:2113?tls=false; with MONGODB_URI switches to server mode.',
  MONGODB_URI:
    'e.g. mongodb://localhost:27017/?replicaSet=rs0; with KURRENTDB_CONNECTION_STRING switches to server mode.',
  MONGODB_DATABASE: 'Database for read models in server mode (default pruefpfad).',
  MONGODB_KEY_DATABASE: 'Database of the key store in server mode, backed up apart (default <MONGODB_DATABASE>_keys).',
  JWT_JWKS_URL:
    'JWKS URL of the identity provider (RS256). Without it a local HS256 secret is used (not in production).',
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
  PRUEFPFAD_DRAW_LEAD_DAYS:
    'Days before a month starts from which its sample may be drawn (default 5); earlier months only with a reason, later ones never.',
  PRUEFPFAD_POPULATION_REFERENCE_DAYS:
    "Days after a population's month during which its clear case references are kept for supplementary draws and replacements (default 31); then the retention run destroys them.",
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
  if (!jwksUrl && environment === 'production')
    problems.push(
      'JWT_JWKS_URL fehlt / is missing: production needs the identity provider (a local secret is for development only)',
    );
  if (environment === 'production' && !env.PRUEFPFAD_MASTER_KEY)
    problems.push('PRUEFPFAD_MASTER_KEY fehlt / is missing: production refuses a generated master key');

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
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>, cwd?: string): string {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems.join('\n');
    throw error;
  }
  return '';
}

describe('loadConfig', () => {
  it('defaults to the embedded stores with development settings', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      environment: 'development',
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/app/data',
      keyDir: '/srv/app/data-keys',
      stores: { kind: 'embedded' },
      auth: { kind: 'local-secret' },
      rulesVersion: '2026.1',
      maxWaitMs: 5000,
      minCellCount: 3,
      retention: { dailyPurge: true, purgeHour: 2 },
      sampling: { drawLeadDays: 5, populationReferenceDays: 31 },
    });
  });

  it('switches to server mode when both servers are configured', () => {
    const config = loadConfig({
      KURRENTDB_CONNECTION_STRING: 'kurrentdb://localhost:2113?tls=false',
      MONGODB_URI: 'mongodb://localhost:27017/?replicaSet=rs0',
    });
    expect(config.stores).toEqual({
      kind: 'server',
      kurrentdbConnectionString: 'kurrentdb://localhost:2113?tls=false',
      mongodbUri: 'mongodb://localhost:27017/?replicaSet=rs0',
      mongodbDatabase: 'pruefpfad',
      mongodbKeyDatabase: 'pruefpfad_keys',
    });
  });

  it('reports every problem at once, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', PRUEFPFAD_ENV: 'staging', MONGODB_URI: 'mongodb://x', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems.join('\n');
    for (const name of ['PORT', 'PRUEFPFAD_ENV', 'KURRENTDB_CONNECTION_STRING', 'LOG_LEVEL'])
      expect(problems).toContain(name);
  });

  it('refuses production without an identity provider or a master key, and JWKS without issuer and audience', () => {
    expect(() => loadConfig({ PRUEFPFAD_ENV: 'production' })).toThrow(/JWT_JWKS_URL[\s\S]*PRUEFPFAD_MASTER_KEY/);
    expect(() => loadConfig({ JWT_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/JWT_ISSUER/);
    expect(
      loadConfig({
        JWT_JWKS_URL: 'https://idp.example/jwks',
        JWT_ISSUER: 'https://idp.example',
        JWT_AUDIENCE: 'pruefpfad',
      }).auth,
    ).toEqual({
      kind: 'jwks',
      jwksUrl: 'https://idp.example/jwks',
      issuer: 'https://idp.example',
      audience: 'pruefpfad',
    });
  });

  it('refuses a key directory equal to the data directory (keys are backed up apart)', () => {
    expect(() => loadConfig({ PRUEFPFAD_DATA_DIR: '/srv/x', PRUEFPFAD_KEY_DIR: '/srv/x' })).toThrow(
      /PRUEFPFAD_KEY_DIR/,
    );
  });
});

describe('loadConfig: the shifted clock of the test environment', () => {
  it('takes an instant with zone in the test environment only', () => {
    const base = { PRUEFPFAD_DATA_DIR: '/tmp/d', PRUEFPFAD_KEY_DIR: '/tmp/k' };
    expect(loadConfig(base).testClockStart).toBeNull();
    expect(
      loadConfig({ ...base, PRUEFPFAD_ENV: 'test', PRUEFPFAD_TEST_CLOCK_START: '2026-03-10T09:00:00+01:00' })
        .testClockStart,
    ).toBe('2026-03-10T08:00:00.000Z');
    expect(() => loadConfig({ ...base, PRUEFPFAD_TEST_CLOCK_START: '2026-03-10T08:00:00Z' })).toThrow(
      /PRUEFPFAD_TEST_CLOCK_START: nur mit \/ only with PRUEFPFAD_ENV=test/,
    );
    for (const bad of ['2026-03-10', 'gestern', '2026-13-40T08:00:00Z']) {
      expect(() => loadConfig({ ...base, PRUEFPFAD_ENV: 'test', PRUEFPFAD_TEST_CLOCK_START: bad })).toThrow(
        /PRUEFPFAD_TEST_CLOCK_START=.*expected an ISO 8601 instant/,
      );
    }
  });
});

describe('loadConfig: the browser login', () => {
  let dir: string;
  let mapping: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-config-'));
    mapping = path.join(dir, 'mapping.json');
    fs.writeFileSync(mapping, '{}');
    fs.writeFileSync(path.join(dir, 'client-secret'), 'from-a-file\n');
    fs.writeFileSync(path.join(dir, 'session-secret'), Buffer.alloc(48, 1));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('defaults: development login on, no OIDC, 8 h / 30 min, public URL from the port', () => {
    expect(loadConfig({ PORT: '4000' }).web).toEqual({
      publicUrl: 'http://127.0.0.1:4000',
      oidc: null,
      developmentLogin: true,
      sessionSecret: null,
      sessionAbsoluteSeconds: 8 * 3600,
      sessionIdleSeconds: 30 * 60,
    });
    // PORT=0 (tests): the origin is the address the server listens on, known only then.
    expect(loadConfig({ PORT: '0' }).web.publicUrl).toBeNull();
  });

  it('reads the OIDC settings, the client secret from a file, and the scopes', () => {
    const web = loadConfig(
      {
        PRUEFPFAD_OIDC_ISSUER: 'https://idp.example/realms/jc',
        PRUEFPFAD_OIDC_CLIENT_ID: 'pruefpfad',
        PRUEFPFAD_OIDC_CLIENT_SECRET_FILE: 'client-secret',
        PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: 'mapping.json',
        PRUEFPFAD_OIDC_SCOPES: 'openid groups',
        PRUEFPFAD_PUBLIC_URL: 'https://pruefpfad.example/',
        PRUEFPFAD_SESSION_SECRET_FILE: 'session-secret',
        PRUEFPFAD_SESSION_IDLE_MINUTES: '15',
        PRUEFPFAD_SESSION_ABSOLUTE_MINUTES: '600',
      },
      dir,
    ).web;
    expect(web).toMatchObject({
      publicUrl: 'https://pruefpfad.example',
      oidc: {
        issuer: 'https://idp.example/realms/jc',
        clientId: 'pruefpfad',
        clientSecret: 'from-a-file',
        scopes: ['openid', 'groups'],
        claimMappingFile: mapping,
      },
      sessionIdleSeconds: 15 * 60,
      sessionAbsoluteSeconds: 600 * 60,
    });
    expect(web.sessionSecret?.byteLength).toBe(48);
    expect(
      loadConfig({
        PRUEFPFAD_OIDC_ISSUER: 'https://idp.example',
        PRUEFPFAD_OIDC_CLIENT_ID: 'p',
        PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: mapping,
      }).web.oidc?.scopes,
    ).toEqual(['openid', 'profile', 'email']);
  });

  it('reports every problem of the login settings at once', () => {
    const problems = problemsOf(
      {
        PRUEFPFAD_OIDC_ISSUER: 'ftp://idp',
        PRUEFPFAD_OIDC_SCOPES: 'profile',
        PRUEFPFAD_PUBLIC_URL: 'https://pruefpfad.example/app?x=1',
        PRUEFPFAD_DEVELOPMENT_LOGIN: 'maybe',
        PRUEFPFAD_SESSION_SECRET: Buffer.alloc(16).toString('base64'),
        PRUEFPFAD_SESSION_IDLE_MINUTES: '120',
        PRUEFPFAD_SESSION_ABSOLUTE_MINUTES: '60',
      },
      dir,
    );
    for (const name of [
      'PRUEFPFAD_OIDC_ISSUER="ftp://idp"',
      'PRUEFPFAD_OIDC_CLIENT_ID',
      'PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE',
      'PRUEFPFAD_OIDC_SCOPES',
      'PRUEFPFAD_PUBLIC_URL',
      'PRUEFPFAD_DEVELOPMENT_LOGIN',
      'PRUEFPFAD_SESSION_SECRET',
      'PRUEFPFAD_SESSION_IDLE_MINUTES',
    ])
      expect(problems).toContain(name);
    expect(problemsOf({ PRUEFPFAD_OIDC_CLIENT_ID: 'orphan' })).toContain('PRUEFPFAD_OIDC_CLIENT_ID ohne');
    expect(
      problemsOf({
        PRUEFPFAD_OIDC_CLIENT_SECRET: 'a',
        PRUEFPFAD_OIDC_CLIENT_SECRET_FILE: 'b',
        PRUEFPFAD_OIDC_ISSUER: 'https://i',
        PRUEFPFAD_OIDC_CLIENT_ID: 'c',
        PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: mapping,
      }),
    ).toContain('nur eines');
  });

  it('in production: no development login, https, an explicit public URL and a given session secret', () => {
    const base = {
      PRUEFPFAD_ENV: 'production',
      JWT_JWKS_URL: 'https://idp.example/jwks',
      JWT_ISSUER: 'https://idp.example',
      JWT_AUDIENCE: 'pruefpfad',
      PRUEFPFAD_MASTER_KEY: Buffer.alloc(32).toString('base64'),
    };
    expect(loadConfig(base).web.developmentLogin).toBe(false);
    expect(problemsOf({ ...base, PRUEFPFAD_DEVELOPMENT_LOGIN: 'on' })).toContain('PRUEFPFAD_DEVELOPMENT_LOGIN=on');
    const problems = problemsOf({
      ...base,
      PRUEFPFAD_OIDC_ISSUER: 'http://idp.example',
      PRUEFPFAD_OIDC_CLIENT_ID: 'pruefpfad',
      PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: mapping,
    });
    expect(problems).toContain('PRUEFPFAD_OIDC_ISSUER="http://idp.example": in Produktion https');
    expect(problems).toContain('PRUEFPFAD_PUBLIC_URL fehlt');
    expect(problems).toContain('PRUEFPFAD_SESSION_SECRET (oder / or _FILE) fehlt');
    expect(problemsOf({ ...base, PRUEFPFAD_PUBLIC_URL: 'http://pruefpfad.example' })).toContain('https in production');
  });

  it('in production with browser sign-in only (OIDC, no JWKS): bearer tokens are refused, not verified with a local secret', () => {
    const oidcOnly = {
      PRUEFPFAD_ENV: 'production',
      PRUEFPFAD_MASTER_KEY: Buffer.alloc(32).toString('base64'),
      PRUEFPFAD_OIDC_ISSUER: 'https://idp.example',
      PRUEFPFAD_OIDC_CLIENT_ID: 'pruefpfad',
      PRUEFPFAD_OIDC_CLAIM_MAPPING_FILE: mapping,
      PRUEFPFAD_PUBLIC_URL: 'https://pruefpfad.example',
      PRUEFPFAD_SESSION_SECRET: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(loadConfig(oidcOnly).auth).toEqual({ kind: 'none' });
    expect(loadConfig({ ...oidcOnly, PRUEFPFAD_ENV: 'development' }).auth).toEqual({ kind: 'local-secret' });
    expect(problemsOf({ PRUEFPFAD_ENV: 'production', PRUEFPFAD_MASTER_KEY: oidcOnly.PRUEFPFAD_MASTER_KEY })).toContain(
      'JWT_JWKS_URL oder / or PRUEFPFAD_OIDC_ISSUER fehlt',
    );
  });
});

describe('loadConfig: the deadline digest by e-mail', () => {
  it('sends no mail without PRUEFPFAD_SMTP_HOST, with the defaults of the schedule and the inbox', () => {
    expect(loadConfig({}, '/srv/app').mail).toEqual({
      smtp: null,
      from: 'pruefpfad@localhost',
      digestHour: 7,
      horizonDays: 14,
      retryInitialMs: 30_000,
    });
  });

  it('defaults to STARTTLS on port 587, and 465 with TLS from the start', () => {
    expect(loadConfig({ PRUEFPFAD_SMTP_HOST: 'mail.example' }).mail.smtp).toEqual({
      host: 'mail.example',
      port: 587,
      security: 'starttls',
      user: undefined,
      password: undefined,
    });
    expect(loadConfig({ PRUEFPFAD_SMTP_HOST: 'mail.example', PRUEFPFAD_SMTP_SECURITY: 'tls' }).mail.smtp).toMatchObject(
      { port: 465, security: 'tls' },
    );
    const plain = loadConfig({
      PRUEFPFAD_SMTP_HOST: 'relay.local',
      PRUEFPFAD_SMTP_PORT: '25',
      PRUEFPFAD_SMTP_SECURITY: 'none',
      PRUEFPFAD_SMTP_USER: 'fristen',
      PRUEFPFAD_SMTP_PASSWORD: 'geheim',
      PRUEFPFAD_MAIL_FROM: 'fristen@jobcenter.example',
      PRUEFPFAD_DIGEST_HOUR: 'off',
      PRUEFPFAD_INBOX_HORIZON_DAYS: '0',
      PRUEFPFAD_MAIL_RETRY_MS: '50',
    }).mail;
    expect(plain).toEqual({
      smtp: { host: 'relay.local', port: 25, security: 'none', user: 'fristen', password: 'geheim' },
      from: 'fristen@jobcenter.example',
      digestHour: null,
      horizonDays: 0,
      retryInitialMs: 50,
    });
  });

  it('reads the password from PRUEFPFAD_SMTP_PASSWORD_FILE (relative to the working directory), trimmed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-smtp-'));
    try {
      fs.writeFileSync(path.join(dir, 'smtp-password'), 'aus-der-datei\n');
      const env = { PRUEFPFAD_SMTP_HOST: 'mail.example', PRUEFPFAD_SMTP_USER: 'fristen' };
      expect(loadConfig({ ...env, PRUEFPFAD_SMTP_PASSWORD_FILE: 'smtp-password' }, dir).mail.smtp?.password).toBe(
        'aus-der-datei',
      );
      expect(problemsOf({ ...env, PRUEFPFAD_SMTP_PASSWORD_FILE: 'missing' }, dir)).toContain(
        'PRUEFPFAD_SMTP_PASSWORD_FILE="missing": nicht lesbar / not readable (ENOENT)',
      );
      expect(
        problemsOf({ ...env, PRUEFPFAD_SMTP_PASSWORD: 'x', PRUEFPFAD_SMTP_PASSWORD_FILE: 'smtp-password' }, dir),
      ).toContain('PRUEFPFAD_SMTP_PASSWORD und / and PRUEFPFAD_SMTP_PASSWORD_FILE: nur eines von beiden');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port, security, sender, hour, horizon or retry, naming the variable', () => {
    const host = { PRUEFPFAD_SMTP_HOST: 'mail.example' };
    for (const port of ['0', '65536', '587x', '-1'])
      expect(problemsOf({ ...host, PRUEFPFAD_SMTP_PORT: port })).toContain(`PRUEFPFAD_SMTP_PORT="${port}"`);
    expect(problemsOf({ ...host, PRUEFPFAD_SMTP_PORT: '1' })).toBe('');
    expect(problemsOf({ ...host, PRUEFPFAD_SMTP_PORT: '65535' })).toBe('');
    expect(problemsOf({ ...host, PRUEFPFAD_SMTP_SECURITY: 'ssl' })).toContain(
      'PRUEFPFAD_SMTP_SECURITY="ssl": erlaubt / allowed: starttls, tls, none',
    );
    expect(problemsOf({ ...host, PRUEFPFAD_MAIL_FROM: 'Prüfpfad <x@y>' })).toContain('PRUEFPFAD_MAIL_FROM=');
    for (const hour of ['24', '-1', 'OFF', '7.5'])
      expect(problemsOf({ PRUEFPFAD_DIGEST_HOUR: hour })).toContain(`PRUEFPFAD_DIGEST_HOUR="${hour}"`);
    expect(loadConfig({ PRUEFPFAD_DIGEST_HOUR: '0' }).mail.digestHour).toBe(0);
    expect(loadConfig({ PRUEFPFAD_DIGEST_HOUR: '23' }).mail.digestHour).toBe(23);
    expect(problemsOf({ PRUEFPFAD_INBOX_HORIZON_DAYS: '367' })).toContain('PRUEFPFAD_INBOX_HORIZON_DAYS="367"');
    expect(problemsOf({ PRUEFPFAD_MAIL_RETRY_MS: '9' })).toContain('PRUEFPFAD_MAIL_RETRY_MS="9"');
  });

  it('refuses a user or password without a mail server', () => {
    expect(problemsOf({ PRUEFPFAD_SMTP_USER: 'fristen' })).toContain(
      'PRUEFPFAD_SMTP_USER/PASSWORD ohne / without PRUEFPFAD_SMTP_HOST',
    );
    expect(problemsOf({ PRUEFPFAD_SMTP_PASSWORD: 'geheim' })).toContain('PRUEFPFAD_SMTP_HOST');
  });
});

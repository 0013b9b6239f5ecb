import { ConfigurationError, loadConfig } from './config.js';

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

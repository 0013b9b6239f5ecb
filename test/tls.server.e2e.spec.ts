/**
 * Server mode over TLS: KurrentDB 26.0 LTS started secure and MongoDB 8.0 with `requireTLS`, both with a
 * node certificate from a throwaway CA the test makes with openssl (skipped, with that reason, where no
 * `openssl` is installed).
 *
 * Proves: the connection strings an operator writes, `kurrentdb://admin:changeit@host:port?tls=true&tlsCAFile=<ca>`
 * and `mongodb://host:port/?tls=true&tlsCAFile=<ca>`, are all server mode needs: `openInfrastructure` opens
 * the event store, the read store and the key store over them, and an append, a document and a data key go
 * through. And that TLS is really in force: a plain connection is refused by both servers, and TLS without
 * the CA file fails verification, so it is the CA file named in the string that makes the connection work.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { KurrentDbContainer, type StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { openInfrastructure } from '@pruefpfad/composition';
import { KurrentDbEventStore } from '@pruefpfad/event-store';
import { MongoReadStore } from '@pruefpfad/read-store';
import { describeWithContainers } from './support/container-runtime.js';
import {
  CHAIN_KEY,
  freePort,
  KURRENTDB_IMAGE,
  KURRENTDB_PORT,
  MONGO_IMAGE,
  MONGODB_PORT,
  newEvent,
  within,
} from './support/server-fixtures.js';
import { temporaryDirectories, testConfig } from './support/test-app.js';

const OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const opensslMissing =
  OPENSSL.error !== undefined || OPENSSL.status !== 0
    ? `openssl not found (${OPENSSL.error?.message ?? OPENSSL.stderr.trim()}); it makes the test certificates`
    : null;

function openssl(cwd: string, args: readonly string[]): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${result.stderr}`);
}

/** A CA and one node certificate (server and client use, as KurrentDB nodes need) for `hosts`. */
function makeCertificates(dir: string, hosts: readonly string[]): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Pruefpfad Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'node.key',
    '-out',
    'node.csr',
    '-subj',
    '/CN=pruefpfad-node',
  ]);
  const names = [...new Set(['localhost', '127.0.0.1', ...hosts])].map((host) =>
    net.isIP(host) === 0 ? `DNS:${host}` : `IP:${host}`,
  );
  fs.writeFileSync(
    path.join(dir, 'node.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      `subjectAltName=${names.join(',')}`,
    ].join('\n'),
  );
  openssl(dir, [
    'x509', '-req', '-in', 'node.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-out', 'node.crt', '-extfile', 'node.ext',
  ]); // prettier-ignore
  fs.writeFileSync(
    path.join(dir, 'node.pem'),
    fs.readFileSync(path.join(dir, 'node.crt'), 'utf8') + fs.readFileSync(path.join(dir, 'node.key'), 'utf8'),
  );
}

describeWithContainers('server mode over TLS (KurrentDB secure, MongoDB requireTLS)', () => {
  if (opensslMissing !== null) {
    it.skip(`skipped: ${opensslMissing}`, () => undefined);
    return;
  }
  const dirs = temporaryDirectories();
  const certs = path.join(dirs.root, 'certs');
  const caFile = path.join(certs, 'ca.crt');
  let kurrent: StartedKurrentDbContainer;
  let mongo: StartedTestContainer;
  let host: string;

  beforeAll(async () => {
    host = (await getContainerRuntimeClient()).info.containerRuntime.host;
    fs.mkdirSync(certs, { recursive: true });
    makeCertificates(certs, [host]);
    const file = (name: string, target: string) => ({ source: path.join(certs, name), target, mode: 0o644 });
    const [kurrentPort, mongoPort] = await Promise.all([freePort(), freePort()]);
    [kurrent, mongo] = await Promise.all([
      new KurrentDbContainer(KURRENTDB_IMAGE)
        .withEnvironment({
          KURRENTDB_INSECURE: 'false',
          KURRENTDB_RUN_PROJECTIONS: 'None',
          KURRENTDB_START_STANDARD_PROJECTIONS: 'false',
          KURRENTDB_CERTIFICATE_FILE: '/etc/kurrentdb/tls/node.crt',
          KURRENTDB_CERTIFICATE_PRIVATE_KEY_FILE: '/etc/kurrentdb/tls/node.key',
          KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH: '/etc/kurrentdb/tls/ca',
        })
        .withCopyFilesToContainer([
          file('node.crt', '/etc/kurrentdb/tls/node.crt'),
          file('node.key', '/etc/kurrentdb/tls/node.key'),
          file('ca.crt', '/etc/kurrentdb/tls/ca/ca.crt'),
        ])
        .withExposedPorts({ container: KURRENTDB_PORT, host: kurrentPort })
        .withWaitStrategy(Wait.forHttp('/health/live', KURRENTDB_PORT).usingTls().allowInsecure())
        .start(),
      // The MongoDB module fixes mongod's arguments, so the TLS node is a plain container with the module's
      // replica-set health check, spoken over TLS.
      new GenericContainer(MONGO_IMAGE)
        .withCopyFilesToContainer([
          file('node.pem', '/etc/mongo-tls/node.pem'),
          file('ca.crt', '/etc/mongo-tls/ca.crt'),
        ])
        .withCommand([
          '--replSet',
          'rs0',
          '--bind_ip_all',
          '--tlsMode',
          'requireTLS',
          '--tlsCertificateKeyFile',
          '/etc/mongo-tls/node.pem',
          '--tlsCAFile',
          '/etc/mongo-tls/ca.crt',
          '--tlsAllowConnectionsWithoutCertificates',
        ]) // prettier-ignore
        .withExposedPorts({ container: MONGODB_PORT, host: mongoPort })
        .withHealthCheck({
          test: [
            'CMD-SHELL',
            "mongosh --tls --tlsCAFile /etc/mongo-tls/ca.crt --host localhost --quiet --eval '" +
              'try { rs.status() } catch (e) { rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "localhost:27017" }] }) } ' +
              "while (!db.hello().isWritablePrimary) { sleep(100) }'",
          ],
          interval: 2_000,
          timeout: 60_000,
          retries: 60,
        })
        .withWaitStrategy(Wait.forHealthCheck())
        .withStartupTimeout(120_000)
        .start(),
    ]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([kurrent?.stop(), mongo?.stop()]);
    dirs.remove();
  });

  const kurrentAddress = () => `${host}:${kurrent.getMappedPort(KURRENTDB_PORT)}`;
  const mongoAddress = () => `${host}:${mongo.getMappedPort(MONGODB_PORT)}`;

  it('opens server mode over tls=true&tlsCAFile=… for KurrentDB and MongoDB: events, documents and keys go through', async () => {
    const config = testConfig(dirs, {
      KURRENTDB_CONNECTION_STRING: `kurrentdb://admin:changeit@${kurrentAddress()}?tls=true&tlsCAFile=${caFile}`,
      MONGODB_URI: `mongodb://${mongoAddress()}/?directConnection=true&tls=true&tlsCAFile=${caFile}`,
      MONGODB_DATABASE: 'pruefpfad_tls',
    });
    const infrastructure = await openInfrastructure(config);
    try {
      expect(infrastructure.mode).toBe('server');
      const streamId = `tls-${Date.now()}`;
      const appended = await infrastructure.eventStore.append(streamId, [newEvent('TlsChecked', { ok: true })], {
        expectedRevision: 'no_stream',
      });
      expect((await infrastructure.eventStore.readStream(streamId)).map((event) => event.data)).toEqual([{ ok: true }]);
      expect(await infrastructure.eventStore.headPosition()).toBeGreaterThanOrEqual(appended.position);
      await infrastructure.documents.put('tls_checks', { _id: streamId, ok: true });
      expect(await infrastructure.documents.get('tls_checks', streamId)).toMatchObject({ _id: streamId, ok: true });
      const key = await infrastructure.keyStore.getOrCreate(`review:tls-check-${Date.now()}`);
      expect(key.key.byteLength).toBe(32);
    } finally {
      await infrastructure.close();
    }
  }, 120_000);

  it('is refused without TLS and fails verification without the CA file', async () => {
    const kurrentFails = async (query: string) => {
      const store = await KurrentDbEventStore.open({
        connectionString: `kurrentdb://admin:changeit@${kurrentAddress()}?${query}`,
        chainKey: CHAIN_KEY,
      });
      try {
        await within(`KurrentDB ${query}`, 90_000, store.headPosition());
      } finally {
        await store.close();
      }
    };
    await expect(kurrentFails('tls=false')).rejects.toBeInstanceOf(Error);
    await expect(kurrentFails('tls=true')).rejects.toBeInstanceOf(Error);

    const mongoFails = async (query: string) => {
      const store = await MongoReadStore.open({
        uri: `mongodb://${mongoAddress()}/?directConnection=true&serverSelectionTimeoutMS=5000&${query}`,
        database: 'pruefpfad_tls_refused',
      });
      await store.close();
    };
    await expect(mongoFails('tls=false')).rejects.toBeInstanceOf(Error);
    await expect(mongoFails('tls=true')).rejects.toBeInstanceOf(Error);
  }, 300_000);
});

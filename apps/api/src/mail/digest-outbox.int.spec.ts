import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, uuidV7Ids } from '@pruefpfad/application';
import { openInfrastructure, type Infrastructure } from '@pruefpfad/composition';
import { digestStreamId } from '@pruefpfad/domain';
import { SMTPServer } from 'smtp-server';
import { DIGEST_SENDER_LEASE, DigestOutbox, digestIdOf } from './digest-outbox.js';
import { MailAddressBook } from './mail-address-book.js';

/**
 * Server mode runs the outbox in every API replica: the sender runs under a lease, so one replica sends
 * and another takes over when it stops. Two outboxes on one set of stores stand for two replicas here,
 * with a real SMTP server in this process.
 */

async function until(condition: () => boolean | Promise<boolean>, message: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DigestOutbox in several replicas (lease on the embedded stores)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-outbox-'));
  const received: string[] = [];
  let smtp: SMTPServer;
  let infrastructure: Infrastructure;
  const outboxes: DigestOutbox[] = [];
  const TENANT = 'jc-outbox';
  const clock = { now: () => new Date('2026-03-10T08:00:00Z') };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received.push(session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','));
          callback();
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    const config = loadConfig({
      PRUEFPFAD_ENV: 'test',
      PRUEFPFAD_DATA_DIR: path.join(dir, 'data'),
      PRUEFPFAD_KEY_DIR: path.join(dir, 'keys'),
      PRUEFPFAD_SMTP_HOST: '127.0.0.1',
      PRUEFPFAD_SMTP_PORT: String(port),
      PRUEFPFAD_SMTP_SECURITY: 'none',
      PRUEFPFAD_MAIL_RETRY_MS: '20',
    });
    infrastructure = await openInfrastructure(config);
    const addresses = new MailAddressBook(infrastructure.eventStore, infrastructure.envelope, clock, uuidV7Ids, config);
    await addresses.record(
      TENANT,
      'organisation',
      [{ subject: 'tl-1', roles: ['team_lead'], units: ['team-1'], address: 'tl1@jobcenter.example' }],
      { userId: 'test', role: 'management' },
    );
    for (let replica = 0; replica < 2; replica += 1)
      outboxes.push(
        new DigestOutbox(
          infrastructure.eventStore,
          infrastructure.checkpoints,
          config,
          clock,
          uuidV7Ids,
          addresses,
          infrastructure.documents,
          { leased: true, leaseTtlMs: 1500 },
        ),
      );
  });

  afterAll(async () => {
    for (const outbox of outboxes) await outbox.onModuleDestroy();
    await infrastructure.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sentRecorded = async (digestId: string) =>
    (await infrastructure.eventStore.readStream(digestStreamId(digestId))).some((e) => e.type === 'DigestSent');

  it('sends from one replica only, and the other takes over when the holder stops', async () => {
    const [a, b] = outboxes as [DigestOutbox, DigestOutbox];
    a.onApplicationBootstrap();
    b.onApplicationBootstrap();
    await until(() => a.sending || b.sending, 'one replica holds the sender lease');
    const holder = a.sending ? a : b;
    const other = holder === a ? b : a;
    // The holder renews every 500 ms and the other tries as often: across two renewals it never runs beside.
    const renewedAt = async () =>
      ((await infrastructure.documents.get('_leases', DIGEST_SENDER_LEASE)) as { renewedAt?: string } | null)
        ?.renewedAt;
    for (let renewal = 0; renewal < 2; renewal += 1) {
      const before = await renewedAt();
      await until(async () => (await renewedAt()) !== before, 'the holder renewed its lease');
      expect([a.sending, b.sending].filter(Boolean)).toHaveLength(1);
    }

    const counts = [{ kind: 'measure', due: 1, overdue: 0 }];
    const labels = { measure: { de: 'Maßnahmen', en: 'measures' } };
    expect(await other.queue(TENANT, 'tl-1', '2026-03-10', counts, labels)).toBe(true);
    await until(() => sentRecorded(digestIdOf(TENANT, 'tl-1', '2026-03-10')), 'the first digest is sent');
    expect(received).toEqual(['tl1@jobcenter.example']);

    await holder.onModuleDestroy();
    expect(holder.sending).toBe(false);
    await until(() => other.sending, 'the other replica takes the sender over');
    expect(await holder.queue(TENANT, 'tl-1', '2026-03-11', counts, labels)).toBe(true);
    await until(() => sentRecorded(digestIdOf(TENANT, 'tl-1', '2026-03-11')), 'the second digest is sent');
    // Each digest once: the new holder resumed from the shared checkpoint.
    expect(received).toEqual(['tl1@jobcenter.example', 'tl1@jobcenter.example']);
    expect([a.sending, b.sending]).toEqual([other === a, other === b]);
  });
});

import type { Server } from 'node:http';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { assertAuthorizationMatrix } from '../apps/api/src/security/authorization-matrix.js';
import { loadOrCreateSigningSecret } from '../apps/api/src/security/signing-secret.js';
import { sharedBuild, freePort, type RunningService, startService } from './support/built-service.js';
import { startTestApp, temporaryDirectories, testConfig, tokenFor } from './support/test-app.js';

/**
 * Deadlines and reminders (issue 12) on the built service: the inbox over HTTP, and the e-mail digest
 * through a real SMTP server started in this process. The server first refuses (451); the digest waits in
 * the outbox across a restart of the service and arrives exactly once when the server accepts.
 */

interface Received {
  readonly to: string;
  readonly raw: string;
}

const TENANT = 'jc-inbox';
const file = (lead2Email?: string) => ({
  areas: [
    {
      id: 'mi',
      name: 'Markt & Integration',
      teams: [
        {
          id: 'team-1',
          name: 'Team 1',
          process: 'allgemeine-vermittlung',
          lead: { subject: 'tl-1', name: 'Erika Mustermann', email: 'tl1@jobcenter.example' },
        },
        {
          id: 'team-2',
          name: 'Team 2',
          process: 'allgemeine-vermittlung',
          lead: { subject: 'tl-2', name: 'Max Beispiel', ...(lead2Email ? { email: lead2Email } : {}) },
        },
      ],
    },
  ],
});

/** Enough MIME for the digest: RFC 2047 words in the subject, a quoted-printable or base64 text body. */
function decodeMail(raw: string): { subject: string; text: string } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers = head.replace(/\r\n[ \t]+/g, ' ');
  const qp = (value: string) =>
    Buffer.from(
      value
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  const subjectLine = /^Subject: (.*)$/im.exec(headers)?.[1] ?? '';
  const subject = subjectLine
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, kind: string, word: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(word, 'base64').toString('utf8') : qp(word.replace(/_/g, ' ')),
    );
  const body = rest.join('\r\n\r\n');
  const encoding = /^Content-Transfer-Encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? qp(body)
        : body;
  return { subject, text: text.replace(/\r\n/g, '\n') };
}

/** Polls a condition (no fixed sleep); fails with the message after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, message: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('inbox and e-mail digest over HTTP (built service, real SMTP server)', () => {
  let outDir: string;
  let service: RunningService | null = null;
  let smtp: SMTPServer;
  let smtpPort: number;
  let refuse = true;
  let refusals = 0;
  const received: Received[] = [];
  let env: Record<string, string>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (refuse) {
          refusals += 1;
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','), raw });
          callback();
        });
      },
    });
    smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    outDir = await sharedBuild();
    env = {
      PRUEFPFAD_ENV: 'test',
      PRUEFPFAD_TEST_CLOCK_START: '2026-03-10T08:00:00Z',
      PRUEFPFAD_PUBLIC_URL: 'http://pruefpfad.test',
      PRUEFPFAD_SMTP_HOST: '127.0.0.1',
      PRUEFPFAD_SMTP_PORT: String(smtpPort),
      PRUEFPFAD_SMTP_SECURITY: 'none',
      PRUEFPFAD_MAIL_FROM: 'fristen@jobcenter.example',
      PRUEFPFAD_DIGEST_HOUR: 'off',
      PRUEFPFAD_MAIL_RETRY_MS: '50',
    };
    service = await startService(outDir, env);
    const config = testConfig({ dataDir: service.dataDir, keyDir: path.join(service.dirs, 'keys') });
    const claims = {
      management: { subject: 'gf', roles: ['management' as const], units: [], tenant: TENANT },
      lead1: { subject: 'tl-1', roles: ['team_lead' as const], units: ['team-1'], tenant: TENANT },
      lead2: { subject: 'tl-2', roles: ['team_lead' as const], units: ['team-2'], tenant: TENANT },
      employee: { subject: 'sb', roles: ['employee' as const], units: ['team-1'], tenant: TENANT },
    };
    for (const [name, claim] of Object.entries(claims)) tokens[name] = await tokenFor(config, claim);
  }, 600_000);

  afterAll(async () => {
    await service?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const call = async (
    method: string,
    route: string,
    who: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${service!.baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  let position = 0;
  const measureIds: string[] = [];

  it("shows each team lead only the own team's deadlines, due ones flagged", async () => {
    const loaded = await call('PUT', '/api/v1/organisation', 'management', file());
    expect(loaded.status).toBe(200);
    for (const [team, lead] of [
      ['team-1', 'lead1'],
      ['team-1', 'lead1'],
      ['team-2', 'lead2'],
    ] as const) {
      const agreed = await call('POST', `/api/v1/teams/${team}/measures`, lead, {
        kind: 'feedback',
        scope: 'individual',
        owner: 'Erika Mustermann',
        description: 'Rückmeldung zur Dokumentation',
        dueDate: '2026-03-20',
      });
      expect(agreed.status).toBe(201);
      measureIds.push(String(agreed.body.id));
      position = Math.max(position, Number(agreed.body.position));
    }
    const inbox = await call('GET', '/api/v1/inbox', 'lead1', undefined, { 'x-min-position': String(position) });
    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject({ today: '2026-03-10', horizonDays: 14 });
    expect(inbox.body.deadlines).toEqual(
      measureIds
        .slice(0, 2)
        .map((id): unknown =>
          expect.objectContaining({ kind: 'measure', ref: id, dueDate: '2026-03-20', status: 'due', unit: 'team-1' }),
        ),
    );
    const other = await call('GET', '/api/v1/inbox', 'lead2', undefined, { 'x-min-position': String(position) });
    expect((other.body.deadlines as { ref: string }[]).map((d) => d.ref)).toEqual([measureIds[2]]);
    const employee = await call('GET', '/api/v1/inbox', 'employee');
    expect(employee.body.deadlines).toEqual([]);
    // Only management may send the digest now.
    expect((await call('POST', '/api/v1/inbox/digest', 'lead1')).status).toBe(403);
  });

  it('keeps the digest through a refusing mail server and a restart, then delivers it once without case data', async () => {
    const queued = await call('POST', '/api/v1/inbox/digest', 'management');
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ date: '2026-03-10', recipients: 1, queued: 1, mailEnabled: true });
    await until(() => refusals >= 2, 'the mail server refused at least twice');
    expect(received).toHaveLength(0);

    await service!.stop({ keepStores: true });
    service = await startService(outDir, env, service!.dirs);
    refuse = false;
    await until(() => received.length >= 1, 'the digest arrived after the server accepted');
    const [mail] = received;
    expect(mail!.to).toBe('tl1@jobcenter.example');
    const { subject, text } = decodeMail(mail!.raw);
    expect(subject).toBe('Prüfpfad: 0 überfällig, 2 fällig / 0 overdue, 2 due (2026-03-10)');
    expect(text).toContain('- Maßnahmen / measures: 0 überfällig / overdue, 2 fällig / due');
    // The one link: the web application's inbox route (German routes), nothing deeper.
    expect(text).toContain(
      'Einzelheiten nach der Anmeldung / details after signing in: http://pruefpfad.test/posteingang\n',
    );
    expect(text.match(/https?:\/\/\S+/g)).toEqual(['http://pruefpfad.test/posteingang']);
    expect(text.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(1);
    for (const secret of ['Erika', 'Mustermann', 'Rückmeldung', 'team-1', 'Team 1', 'tl-1', ...measureIds]) {
      expect(`${subject}\n${text}`).not.toContain(secret);
      expect(mail!.raw).not.toContain(secret);
    }

    // Sending again the same day queues nothing new for tl-1; tl-2's address arrives and gets its own digest.
    expect((await call('PUT', '/api/v1/organisation', 'management', file('tl2@jobcenter.example'))).status).toBe(200);
    const again = await call('POST', '/api/v1/inbox/digest', 'management');
    expect(again.body).toMatchObject({ recipients: 2, queued: 1 });
    await until(() => received.some((m) => m.to === 'tl2@jobcenter.example'), "tl-2's digest arrived");
    // The outbox sends in order: tl-1's digest, delivered before, was not sent a second time.
    expect(received.filter((m) => m.to === 'tl1@jobcenter.example')).toHaveLength(1);
  }, 120_000);
});

describe('inbox routes: OpenAPI and the authorisation matrix (in-process app)', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApp(config);
  });
  afterAll(async () => {
    await app.close();
    dirs.remove();
  });

  it('lists both inbox routes in the OpenAPI document under the deadlines tag', async () => {
    const docs = await request(app.getHttpServer() as Server).get('/api/docs-json');
    expect(docs.status).toBe(200);
    const paths = docs.body.paths as Record<string, Record<string, { tags?: string[]; summary?: string }>>;
    const listed = Object.entries(paths)
      .filter(([route]) => route.startsWith('/api/v1/inbox'))
      .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();
    expect(listed).toEqual(['GET /api/v1/inbox', 'POST /api/v1/inbox/digest']);
    expect(paths['/api/v1/inbox']!['get']!.tags).toEqual(['Fristen / deadlines']);
    expect(paths['/api/v1/inbox/digest']!['post']!.tags).toEqual(['Fristen / deadlines']);
  });

  it('passes the authorisation matrix on both routes: every tenant role reads its inbox, management sends', async () => {
    const report = await assertAuthorizationMatrix(app, {
      secret: loadOrCreateSigningSecret(config.dataDir),
      body: { invalid: true },
      tenant: 'jc-matrix',
      units: ['team-1'],
    });
    const inboxRoutes = report.routes.filter((route) => route.controller === 'InboxController');
    expect(inboxRoutes.map((route) => `${route.method} ${route.path} ${route.action ?? ''}`).sort()).toEqual([
      'GET /api/v1/inbox inbox.read',
      'POST /api/v1/inbox/digest inbox.digest.send',
    ]);
    const refused = (route: string) =>
      report.cases
        .filter((entry) => entry.route === route && entry.expected === 403)
        .map((entry) => entry.caller)
        .sort();
    expect(refused('GET /api/v1/inbox')).toEqual(['operator']);
    expect(refused('POST /api/v1/inbox/digest')).toEqual(
      ['area_head', 'auditor', 'central', 'deputy', 'employee', 'legal', 'operator', 'regional', 'team_lead'].sort(),
    );
    expect(report.cases.filter((entry) => entry.route.startsWith('GET /api/v1/inbox'))).toHaveLength(12);
  });
});

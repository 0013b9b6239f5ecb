import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Role } from '@pruefpfad/domain';
import { mintDevelopmentToken } from '../../../apps/api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../../apps/api/src/security/signing-secret.js';
import { figure, formatMs, heading, line } from '../bench-report.js';

/**
 * `npm run bench:web`: the web application in Chromium (Debian's, never a download) on the built
 * service, with a year of a 50-team Jobcenter: 5 areas of 10 teams, one programme per area, each month
 * a population of 30 cases per team drawn at 3 per team lead (150 reviews a month), every review
 * answered and completed through the HTTP API, one in four with a defect. The months are worked on the
 * service's shifted clock (PRUEFPFAD_TEST_CLOCK_START, test environment), restarted month by month.
 *
 * Figures: bytes transferred for the first load of the application (compressed, as sent), and the time
 * from navigation until the worklist and the 5-year trend chart are usable (their data on screen), cold
 * (new browser context) and warm, each beside the raw API request the screen makes. Never asserted.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../..');
const TENANT = 'jc-bench';
const AREAS = 5;
const TEAMS_PER_AREA = 10;
const PROCESS = 'allgemeine-vermittlung';
const YEAR = 2025;
const FIRST_LOAD_TARGET_BYTES = 350 * 1024;
const USABLE_TARGET_MS = 1500;

const areaId = (a: number) => `bereich-${a + 1}`;
const teamId = (a: number, t: number) => `team-${a + 1}-${String(t + 1).padStart(2, '0')}`;
const month = (m: number) => `${YEAR}-${String(m + 1).padStart(2, '0')}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Service {
  readonly base: string;
  stop(): Promise<void>;
}

async function startService(dirs: string, now: string): Promise<Service> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(dist, 'apps/api/src/main.js')], {
    env: {
      PATH: process.env['PATH'],
      PORT: String(port),
      PRUEFPFAD_DATA_DIR: path.join(dirs, 'data'),
      PRUEFPFAD_KEY_DIR: path.join(dirs, 'keys'),
      PRUEFPFAD_ENV: 'test',
      PRUEFPFAD_TEST_CLOCK_START: now,
      PRUEFPFAD_MAX_BODY_BYTES: String(4 * 1024 * 1024),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited:\n${output}`);
    try {
      if ((await fetch(`${base}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    base,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

class Api {
  private position = 0;
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  async call<T = Record<string, unknown>>(
    method: string,
    urlPath: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = contentType;
    if (this.position > 0) headers['X-Min-Position'] = String(this.position);
    const response = await fetch(`${this.base}${urlPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${text.slice(0, 300)}`);
    const parsed = (text === '' ? {} : JSON.parse(text)) as T & { position?: number };
    if (typeof parsed.position === 'number' && parsed.position > this.position) this.position = parsed.position;
    return parsed;
  }
}

interface ReviewQuestion {
  readonly id: string;
  readonly answerType: 'yes-no-na' | 'goal-directed' | 'text' | 'date';
  readonly mandatory: boolean;
}

async function seedYear(dirs: string, progress: (text: string) => void): Promise<void> {
  const secret = () => loadOrCreateSigningSecret(path.join(dirs, 'data'));
  const token = (role: Role, subject: string, units: string[] = []) =>
    mintDevelopmentToken({ secret: secret(), subject, tenant: TENANT, roles: [role], units, expiresIn: '2h' });
  const programmes: string[] = [];
  for (let m = 0; m < 12; m += 1) {
    const service = await startService(dirs, `${month(m)}-05T08:00:00Z`);
    try {
      if (m === 0) {
        const management = new Api(service.base, await token('management', 'bench-gf'));
        await management.call('PUT', '/api/v1/organisation', {
          areas: Array.from({ length: AREAS }, (_, a) => ({
            id: areaId(a),
            name: `Bereich ${a + 1}`,
            teams: Array.from({ length: TEAMS_PER_AREA }, (_, t) => ({
              id: teamId(a, t),
              name: `Team ${a + 1}.${t + 1}`,
              process: PROCESS,
              lead: { subject: `tl-${teamId(a, t)}`, name: `Teamleitung ${a + 1}.${t + 1}` },
            })),
          })),
        });
        for (let a = 0; a < AREAS; a += 1) {
          const areaHead = new Api(service.base, await token('area_head', `bl-${a}`, [areaId(a)]));
          const questionnaire = await areaHead.call<{ id: string }>('POST', '/api/v1/questionnaires', {
            catalogue: 'verlaufsbezogene-kundenbetrachtung',
            validFrom: '2020-01-01',
          });
          const programme = await areaHead.call<{ id: string }>('POST', '/api/v1/programmes', {
            settings: {
              title: `VKB Bereich ${a + 1}`,
              areaId: areaId(a),
              customerProcess: PROCESS,
              questionnaireId: questionnaire.id,
              minimumCasesPerTeamLead: 3,
              drawnBy: 'area_head',
            },
            reason: 'Einführung',
          });
          programmes.push(programme.id);
        }
      }
      for (let a = 0; a < AREAS; a += 1) {
        const areaHead = new Api(service.base, await token('area_head', `bl-${a}`, [areaId(a)]));
        const rows = ['caseReference;customerGroup;team;process;needs16a'];
        for (let t = 0; t < TEAMS_PER_AREA; t += 1) {
          for (let c = 0; c < 30; c += 1)
            rows.push(
              `${a}${String(t).padStart(2, '0')}D${m}${String(c).padStart(5, '0')};u25;${teamId(a, t)};${PROCESS};nein`,
            );
        }
        const programmeId = programmes[a]!;
        await areaHead.call(
          'POST',
          `/api/v1/programmes/${programmeId}/populations?month=${month(m)}&fileName=p.csv`,
          `${rows.join('\n')}\n`,
          'text/csv',
        );
        await areaHead.call('POST', `/api/v1/programmes/${programmeId}/samples`, { month: month(m) });
        for (let t = 0; t < TEAMS_PER_AREA; t += 1) {
          const lead = new Api(service.base, await token('team_lead', `tl-${teamId(a, t)}`, [teamId(a, t)]));
          const worklist = await lead.call<{ items: { id: string }[] }>(
            'GET',
            `/api/v1/teams/${teamId(a, t)}/worklist?month=${month(m)}`,
          );
          for (const [index, item] of worklist.items.entries()) {
            const review = await lead.call<{ revision: number; questions: ReviewQuestion[] }>(
              'GET',
              `/api/v1/reviews/${item.id}`,
            );
            const answers = review.questions
              .filter((question) => question.mandatory)
              .map((question) => ({
                questionId: question.id,
                value:
                  question.answerType === 'yes-no-na'
                    ? 'yes'
                    : question.answerType === 'goal-directed'
                      ? 'goal-directed'
                      : question.answerType === 'date'
                        ? `${month(m)}-01`
                        : 'geprüft',
              }));
            if (answers.length > 0) await lead.call('PUT', `/api/v1/reviews/${item.id}/answers`, { answers });
            if ((t + index + m) % 4 === 0) {
              await lead.call('POST', `/api/v1/reviews/${item.id}/defects`, {
                questionId: review.questions[1]?.id ?? review.questions[0]!.id,
                severity: (t + m) % 8 === 0 ? 'serious' : 'minor',
                description: 'Dokumentation unvollständig',
                financialLoss: false,
              });
            }
            await lead.call('POST', `/api/v1/reviews/${item.id}/completion`, {
              outcome: 'goal-directed',
              summary: 'geprüft',
            });
          }
        }
      }
      progress(`  … ${month(m)}: ${AREAS * TEAMS_PER_AREA * 3} reviews drawn, answered and completed`);
    } finally {
      await service.stop();
    }
  }
}

interface Load {
  readonly ms: number;
  readonly bytes: number;
  readonly requests: number;
}

/** Navigates and waits until `usable` holds; bytes as transferred (compressed body plus headers). */
async function timedLoad(page: Page, url: string, usable: (page: Page) => Promise<void>): Promise<Load> {
  let bytes = 0;
  let requests = 0;
  const pending: Promise<void>[] = [];
  const onFinished = (request: import('playwright-core').Request) => {
    pending.push(
      request.sizes().then(
        (sizes) => {
          bytes += sizes.responseBodySize + sizes.responseHeadersSize;
          requests += 1;
        },
        () => undefined,
      ),
    );
  };
  page.on('requestfinished', onFinished);
  const started = performance.now();
  await page.goto(url);
  await usable(page);
  const ms = performance.now() - started;
  await page.waitForLoadState('networkidle');
  page.off('requestfinished', onFinished);
  await Promise.all(pending);
  return { ms, bytes, requests };
}

async function signedInContext(browser: Browser, base: string): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  await context.clock.install({ time: new Date(`${YEAR + 1}-01-05T09:00:00Z`) });
  const login = await context.request.post(`${base}/auth/development/login`, {
    data: { tenant: TENANT, subject: 'tl-team-1-01', roles: ['team_lead', 'management'], units: ['team-1-01'] },
    headers: { Origin: base },
  });
  if (!login.ok()) throw new Error(`development login: ${login.status()} ${await login.text()}`);
  return context;
}

async function rawRequest(base: string, token: string, urlPath: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}${urlPath}`, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${urlPath}: ${response.status}`);
  return performance.now() - started;
}

const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export async function runWebBench(env: NodeJS.ProcessEnv): Promise<number> {
  const executable = env['PRUEFPFAD_CHROMIUM'] ?? '/usr/bin/chromium';
  if (!fs.existsSync(path.join(dist, 'web', 'index.html'))) {
    line('No built web application (dist/web): run npm run build first.');
    return 1;
  }
  if (!fs.existsSync(executable)) {
    line(`No Chromium at ${executable}: apt-get install chromium (or set PRUEFPFAD_CHROMIUM).`);
    return 1;
  }
  const dirs = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-bench-web-'));
  heading(
    `Web application: a year (${YEAR}) of a ${AREAS * TEAMS_PER_AREA}-team Jobcenter, Chromium on the built service`,
  );
  try {
    const seedStart = performance.now();
    await seedYear(dirs, (text) => process.stderr.write(`${text}\n`));
    figure(
      'set-up through the HTTP API (not a target)',
      formatMs(performance.now() - seedStart),
      `${12 * AREAS * TEAMS_PER_AREA * 3} reviews completed over 12 months`,
    );
    const service = await startService(dirs, `${YEAR + 1}-01-05T09:00:00Z`);
    const browser = await chromium.launch({
      executablePath: executable,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    try {
      const token = await mintDevelopmentToken({
        secret: loadOrCreateSigningSecret(path.join(dirs, 'data')),
        subject: 'tl-team-1-01',
        tenant: TENANT,
        roles: ['team_lead', 'management'],
        units: ['team-1-01'],
      });
      const worklistPath = `/teams/team-1-01/arbeitsliste?monat=${YEAR}-12`;
      const trendsPath = `/jobcenter/entwicklungen?raster=monat&bis=${YEAR}-12`;
      const worklistUsable = async (page: Page) => {
        await page.getByRole('table', { name: 'Gezogene Fälle' }).getByRole('link').first().waitFor();
      };
      const trendsUsable = async (page: Page) => {
        await page.locator('main svg').first().waitFor();
        await page.locator('main').getByRole('table').first().waitFor();
      };
      const cold: Record<'first' | 'worklist' | 'trends', Load[]> = { first: [], worklist: [], trends: [] };
      const warm: Record<'worklist' | 'trends', number[]> = { worklist: [], trends: [] };
      for (let round = 0; round < 5; round += 1) {
        const first = await browser.newContext({ locale: 'de-DE' });
        cold.first.push(
          await timedLoad(await first.newPage(), service.base, async (page) => {
            await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
          }),
        );
        await first.close();
        for (const [name, urlPath, usable] of [
          ['worklist', worklistPath, worklistUsable],
          ['trends', trendsPath, trendsUsable],
        ] as const) {
          const context = await signedInContext(browser, service.base);
          const page = await context.newPage();
          cold[name].push(await timedLoad(page, `${service.base}${urlPath}`, usable));
          warm[name].push((await timedLoad(page, `${service.base}${urlPath}`, usable)).ms);
          await context.close();
        }
      }
      const rawWorklist = [];
      const rawTrends = [];
      for (let round = 0; round < 5; round += 1) {
        rawWorklist.push(await rawRequest(service.base, token, `/api/v1/teams/team-1-01/worklist?month=${YEAR}-12`));
        rawTrends.push(
          await rawRequest(
            service.base,
            token,
            `/api/v1/trends?scope=tenant&from=${YEAR - 4}-01&to=${YEAR}-12&granularity=month`,
          ),
        );
      }
      const firstBytes = median(cold.first.map((load) => load.bytes));
      figure(
        'first load of the application (sign-in page), transferred',
        `${(firstBytes / 1024).toFixed(1)} kB`,
        `target ≤ ${FIRST_LOAD_TARGET_BYTES / 1024} kB: ${firstBytes <= FIRST_LOAD_TARGET_BYTES ? 'met' : 'NOT MET'}; ${cold.first[0]!.requests} requests, Brotli`,
      );
      for (const [name, label, raw] of [
        ['worklist', 'worklist usable (table with its cases)', rawWorklist],
        ['trends', '5-year trend chart usable (SVG chart and its table)', rawTrends],
      ] as const) {
        const coldMs = median(cold[name].map((load) => load.ms));
        figure(
          `${label}, cold (new context), median of 5`,
          formatMs(coldMs),
          `target ≤ ${formatMs(USABLE_TARGET_MS)}: ${coldMs <= USABLE_TARGET_MS ? 'met' : 'NOT MET'}; ${(median(cold[name].map((load) => load.bytes)) / 1024).toFixed(1)} kB transferred`,
        );
        figure(`${label}, warm (cached assets), median of 5`, formatMs(median(warm[name])));
        figure(
          `  raw: the API request behind it, median of 5`,
          formatMs(median(raw)),
          name === 'trends' ? 'GET /api/v1/trends, 60 months' : 'GET …/worklist',
        );
      }
    } finally {
      await browser.close();
      await service.stop();
    }
    return 0;
  } finally {
    fs.rmSync(dirs, { recursive: true, force: true });
  }
}

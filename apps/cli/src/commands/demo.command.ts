import { parseArgs } from 'node:util';
import type { AppConfig } from '@pruefpfad/application';
import type { Role } from '@pruefpfad/domain';
import { mintDevelopmentToken } from '../../../api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../../api/src/security/signing-secret.js';
import { UsageError, type CliIo } from '../cli-io.js';

export const DEMO_USAGE = 'demo [--month <jjjj-mm>] [--api <url>]';

/**
 * A demonstration Jobcenter on the running service (embedded default, never in production), set up
 * through the same HTTP API any client uses: an organisation of two areas with two teams each, the
 * course-of-case questionnaire from its catalogue, a programme for one area (3 cases per team lead and
 * month), the month's population and its draw. Then a newcomer signs in on the development page as a
 * team lead and works the month in the browser. Loading it twice adds nothing new but a second draw
 * refusal, which is reported.
 */
export const DEMO_TENANT = 'jc-demo';
const AREA = 'markt-integration';
const PROCESS = 'allgemeine-vermittlung';
const GROUPS = ['u25', 'ue25', 'reha', 'alleinerziehend'];

export const DEMO_ORGANISATION = {
  areas: [
    {
      id: AREA,
      name: 'Markt und Integration',
      teams: [
        {
          id: 'team-mi-1',
          name: 'Team Markt und Integration 1',
          process: PROCESS,
          lead: { subject: 'tl-mi-1', name: 'Erika Mustermann' },
          deputy: { subject: 'dep-mi-1', name: 'Max Vertreter' },
        },
        {
          id: 'team-mi-2',
          name: 'Team Markt und Integration 2',
          process: PROCESS,
          lead: { subject: 'tl-mi-2', name: 'Jonas Beispiel' },
          deputy: { subject: 'dep-mi-2', name: 'Lea Probe' },
        },
      ],
    },
    {
      id: 'leistung',
      name: 'Leistung',
      teams: [
        {
          id: 'team-l-1',
          name: 'Team Leistung 1',
          process: 'leistung-laufend',
          lead: { subject: 'tl-l-1', name: 'Sabine Rechner' },
          deputy: { subject: 'dep-l-1', name: 'Tom Prüfer' },
        },
      ],
    },
  ],
};

export interface DemoSeed {
  readonly baseUrl: string;
  readonly secret: Uint8Array;
  /** yyyy-mm; the current month in Berlin by default. */
  readonly month: string;
  readonly casesPerTeam?: number;
  readonly log?: (line: string) => void;
}

export interface DemoMonth {
  readonly tenant: string;
  readonly programmeId: string;
  readonly sampleIds: readonly string[];
  readonly position: number;
}

class DemoStepError extends Error {}

export async function seedDemoMonth(seed: DemoSeed): Promise<DemoMonth> {
  const log = seed.log ?? (() => undefined);
  const token = (role: Role, subject: string, units: string[] = []) =>
    mintDevelopmentToken({ secret: seed.secret, subject, tenant: DEMO_TENANT, roles: [role], units, expiresIn: '1h' });
  const management = await token('management', 'demo-gf');
  const areaHead = await token('area_head', 'demo-bl', [AREA]);
  let position = 0;
  const call = async (
    step: string,
    bearer: string,
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ) => {
    const response = await fetch(`${seed.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'Content-Type': contentType }),
        ...(position > 0 ? { 'X-Min-Position': String(position) } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new DemoStepError(`${step}: ${response.status} ${text.slice(0, 500)}`);
    const parsed = (text === '' ? {} : JSON.parse(text)) as { position?: number; id?: string } & Record<
      string,
      unknown
    >;
    if (typeof parsed.position === 'number' && parsed.position > position) position = parsed.position;
    log(`✓ ${step}`);
    return parsed;
  };
  await call('Organisation / organisation', management, 'PUT', '/api/v1/organisation', DEMO_ORGANISATION);
  const questionnaire = await call('Fragebogen / questionnaire', areaHead, 'POST', '/api/v1/questionnaires', {
    catalogue: 'verlaufsbezogene-kundenbetrachtung',
    validFrom: '2020-01-01',
  });
  const programme = await call('Prüfplan / programme', areaHead, 'POST', '/api/v1/programmes', {
    settings: {
      title: 'Verlaufsbezogene Kundenbetrachtung Markt und Integration',
      areaId: AREA,
      customerProcess: PROCESS,
      questionnaireId: questionnaire.id,
      minimumCasesPerTeamLead: 3,
      drawnBy: 'area_head',
    },
    reason: 'Einführung (Demonstration)',
  });
  const programmeId = String(programme.id);
  const rows = ['caseReference;customerGroup;team;process;needs16a'];
  for (const team of ['team-mi-1', 'team-mi-2']) {
    for (let i = 0; i < (seed.casesPerTeam ?? 30); i += 1) {
      rows.push(
        `${team === 'team-mi-1' ? 111 : 222}D${String(100000 + i)};${GROUPS[i % GROUPS.length]};${team};${PROCESS};nein`,
      );
    }
  }
  await call(
    'Grundgesamtheit / population',
    areaHead,
    'POST',
    `/api/v1/programmes/${encodeURIComponent(programmeId)}/populations?month=${seed.month}&fileName=demo-${seed.month}.csv`,
    `${rows.join('\n')}\n`,
    'text/csv',
  );
  const draw = await call(
    'Ziehung / draw',
    areaHead,
    'POST',
    `/api/v1/programmes/${encodeURIComponent(programmeId)}/samples`,
    {
      month: seed.month,
    },
  );
  const sampleIds = Array.isArray(draw['samples'])
    ? (draw['samples'] as { id?: string; sampleId?: string }[]).map((sample) => String(sample.sampleId ?? sample.id))
    : [];
  return { tenant: DEMO_TENANT, programmeId, sampleIds, position };
}

function berlinMonth(now: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(now);
}

export async function demoCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  if (config.auth.kind !== 'local-secret' || config.environment === 'production') {
    throw new UsageError(
      'Demonstrationsdaten gibt es nur im lokalen Betrieb (nicht in Produktion). / Demonstration data only on the local default (not in production).',
    );
  }
  const { values } = parseArgs({ args, options: { month: { type: 'string' }, api: { type: 'string' } }, strict: true });
  const month = values.month ?? berlinMonth(new Date());
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError('--month: jjjj-mm / yyyy-mm');
  const baseUrl = values.api ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  try {
    await seedDemoMonth({
      baseUrl,
      secret: loadOrCreateSigningSecret(config.dataDir),
      month,
      log: (line) => io.out(line),
    });
  } catch (error) {
    if (error instanceof DemoStepError) {
      io.err(`Demonstrationsdaten nicht vollständig / demonstration data incomplete: ${error.message}`);
      return 1;
    }
    if (error instanceof TypeError) {
      io.err(`Keine API unter ${baseUrl} erreichbar (npm start?) / no API reachable at ${baseUrl} (npm start?)`);
      return 1;
    }
    throw error;
  }
  io.out(
    `Fertig / done: ${baseUrl}/ öffnen, „Anmelden als … Teamleitung“ wählen, Monat ${month} bearbeiten. / ` +
      `open it, sign in as a team lead, work the month ${month}.`,
  );
  return 0;
}

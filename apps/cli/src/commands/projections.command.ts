import { parseArgs } from 'node:util';
import { type AppConfig, loadRulesConfig } from '@pruefpfad/application';
import {
  openInfrastructure,
  type OperatorProjectionView,
  ProjectionOperations,
  projectionsUnderRules,
  type RebuildProgressView,
  type RebuildRunView,
  type RebuildStarted,
  RULE_DRIVEN_NAMES,
} from '@pruefpfad/composition';
import { mintDevelopmentToken } from '../../../api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../../api/src/security/signing-secret.js';
import { UsageError, type CliIo } from '../cli-io.js';

export const PROJECTIONS_USAGE =
  'projections list | status [<name>] | rebuild <name> [--fresh] [--drop-old] | rebuild <name> --confirm\n' +
  '      [--json] [--local | --api <url> [--token <jwt>]]';

/**
 * `projections list|status|rebuild`: the operator endpoints from the command line.
 *
 * Where it runs: when the API answers (at `--api`, default http://HOST:PORT of the configuration), the CLI
 * asks it, so the rebuild runs inside the API's projection worker, beside its runner, and the API's rules
 * apply. A development token (role operator) is minted from the local secret; with an identity provider
 * pass `--token`. When no API answers (or with `--local`), the CLI runs the rebuild itself on the stores,
 * on the same mechanism and under the same rebuild lease: a second rebuild anywhere is refused, and an API
 * started later follows the switched alias. Ctrl-C interrupts a local rebuild after the current batch;
 * the next `rebuild` resumes it (`--fresh` starts over). A remote rebuild keeps running in the API when
 * the CLI is interrupted.
 */
export async function projectionsCommand(
  args: string[],
  config: AppConfig,
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      fresh: { type: 'boolean', default: false },
      'drop-old': { type: 'boolean', default: false },
      confirm: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      api: { type: 'string' },
      token: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [action, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Zu viele Argumente / too many arguments: ${extra.join(' ')}`);
  if (action !== 'list' && action !== 'status' && action !== 'rebuild')
    throw new UsageError(`projections: list | status | rebuild (bekam / got ${action ?? 'nothing'})`);
  if (action === 'rebuild' && name === undefined) throw new UsageError('rebuild <name>: Name fehlt / name missing');
  if (action === 'list' && name !== undefined) throw new UsageError('list nimmt keinen Namen / takes no name');
  if (values.confirm && (values.fresh || values['drop-old']))
    throw new UsageError('--confirm steht allein (ohne --fresh/--drop-old) / --confirm stands alone');
  if (values.local && values.api !== undefined) throw new UsageError('--local oder --api, nicht beides / not both');

  const client = await connect(config, io, env, { local: values.local, api: values.api, token: values.token });
  try {
    switch (action) {
      case 'list':
        printList(await client.list(), values.json, io);
        return 0;
      case 'status':
        if (name === undefined) printList(await client.list(), values.json, io);
        else printStatus(await client.get(name), values.json, io);
        return 0;
      case 'rebuild': {
        if (values.confirm) {
          const { dropped } = await client.confirm(name!);
          io.out(values.json ? JSON.stringify({ projection: name, dropped }) : confirmLine(name!, dropped));
          return 0;
        }
        return await rebuild(client, name!, { fresh: values.fresh, dropOld: values['drop-old'] }, values.json, io);
      }
    }
  } finally {
    await client.close();
  }
}

// ------------------------------------------------------------------------------------------------------
// Where the command runs
// ------------------------------------------------------------------------------------------------------

interface OperatorClient {
  readonly where: string;
  list(): Promise<readonly OperatorProjectionView[]>;
  get(name: string): Promise<OperatorProjectionView>;
  startRebuild(name: string, options: { fresh: boolean; dropOld: boolean }): Promise<RebuildStarted>;
  /** Follows the rebuild just started until it ends; `onProgress` for each step seen. */
  follow(
    name: string,
    since: string | null,
    onProgress: (progress: RebuildProgressView) => void,
  ): Promise<RebuildRunView>;
  confirm(name: string): Promise<{ readonly dropped: readonly string[] }>;
  /** Ctrl-C: a local rebuild is interrupted (resumable); a remote one keeps running in the API. */
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

async function connect(
  config: AppConfig,
  io: CliIo,
  env: Readonly<Record<string, string | undefined>>,
  options: { local: boolean; api: string | undefined; token: string | undefined },
): Promise<OperatorClient> {
  if (!options.local) {
    const url = (options.api ?? defaultApiUrl(config)).replace(/\/+$/, '');
    if (await answers(url)) {
      const token = options.token ?? (await developmentOperatorToken(config));
      io.err(`Über die laufende API / through the running API: ${url}`);
      return remoteClient(url, token);
    }
    if (options.api !== undefined)
      throw new Error(`API nicht erreichbar / API not reachable: ${url} (ohne --api läuft der Befehl lokal)`);
  }
  const client = await localClient(config, env);
  io.err(
    options.local
      ? 'Lokal auf den Speichern (--local) / locally on the stores (--local)'
      : 'Keine API erreichbar: lokal auf den Speichern / no API reachable: locally on the stores',
  );
  return client;
}

function defaultApiUrl(config: AppConfig): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** Any HTTP answer from `/health` (200 or 503) means an API is there. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) });
    return true;
  } catch {
    return false;
  }
}

async function developmentOperatorToken(config: AppConfig): Promise<string> {
  if (config.auth.kind !== 'local-secret' || config.environment === 'production')
    throw new UsageError(
      'Mit Identitätsanbieter bitte ein Betreiber-Token übergeben (--token) oder --local nutzen. / ' +
        'With an identity provider pass an operator token (--token) or use --local.',
    );
  return mintDevelopmentToken({
    secret: loadOrCreateSigningSecret(config.dataDir),
    subject: 'cli-operator',
    tenant: 'betrieb',
    roles: ['operator'],
    expiresIn: '15m',
  });
}

function remoteClient(url: string, token: string): OperatorClient {
  const base = `${url}/api/v1/operations/projections`;
  let detached = false;
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try {
        const problem = JSON.parse(text) as { detail?: string; title?: string };
        detail = problem.detail ?? problem.title ?? text;
      } catch {
        // not problem details: show the text
      }
      throw new Error(`HTTP ${response.status}: ${detail}`);
    }
    return JSON.parse(text) as T;
  };
  const get = (name: string) => call<OperatorProjectionView>('GET', `/${encodeURIComponent(name)}`);
  return {
    where: url,
    list: async () => (await call<{ projections: OperatorProjectionView[] }>('GET', '')).projections,
    get,
    startRebuild: (name, options) =>
      call<RebuildStarted>('POST', `/${encodeURIComponent(name)}/rebuild`, {
        fresh: options.fresh,
        dropOld: options.dropOld,
      }),
    follow: async (name, since, onProgress) => {
      for (;;) {
        const view = await get(name);
        if (view.rebuild !== null) onProgress(view.rebuild);
        if (view.lastRun !== null && view.lastRun.finishedAt !== since && view.rebuild === null) return view.lastRun;
        if (detached) throw new DetachedError(name);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    confirm: (name) => call<{ dropped: string[] }>('POST', `/${encodeURIComponent(name)}/rebuild/confirm`),
    interrupt: () => {
      detached = true;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

async function localClient(
  config: AppConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<OperatorClient> {
  const rules = loadRulesConfig(env);
  // Local rebuilds commit on a writer thread, overlapping with folding the next batch.
  const infrastructure = await openInfrastructure(config, { readOnlyEvents: true, readStoreWriterThread: true });
  let listener: ((progress: RebuildProgressView) => void) | null = null;
  const operations = new ProjectionOperations({
    definitions: projectionsUnderRules(rules),
    rules,
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
    host: null,
    ruleDriven: RULE_DRIVEN_NAMES,
    onProgress: (progress) =>
      listener?.({
        target: progress.target,
        eventsDone: progress.eventsDone,
        eventsPerSecond: progress.eventsPerSecond,
        etaSeconds: progress.etaSeconds,
        percent: progress.percent,
        position: progress.position,
        startPosition: progress.startPosition,
        headPosition: progress.headPosition,
        elapsedMs: progress.elapsedMs,
      }),
  });
  return {
    where: 'local',
    list: () => operations.list(),
    get: (name) => operations.get(name),
    startRebuild: (name, options) => operations.startRebuild(name, options),
    follow: async (name, _since, onProgress) => {
      listener = onProgress;
      try {
        return (await operations.settled(name))!;
      } finally {
        listener = null;
      }
    },
    confirm: (name) => operations.confirm(name),
    interrupt: () => operations.stop(),
    close: async () => {
      await operations.stop();
      await infrastructure.close();
    },
  };
}

class DetachedError extends Error {
  constructor(readonly projection: string) {
    super(
      `Die API baut ${projection} weiter auf; Fortschritt mit "projections status ${projection}". / ` +
        `The API keeps rebuilding ${projection}; follow it with "projections status ${projection}".`,
    );
  }
}

// ------------------------------------------------------------------------------------------------------
// Rebuild with a progress bar
// ------------------------------------------------------------------------------------------------------

async function rebuild(
  client: OperatorClient,
  name: string,
  options: { fresh: boolean; dropOld: boolean },
  json: boolean,
  io: CliIo,
): Promise<number> {
  const since = (await client.get(name)).lastRun?.finishedAt ?? null;
  const started = await client.startRebuild(name, options);
  io.err(
    started.resumes === null
      ? `Neuaufbau / rebuild ${name} (Version ${started.version}) …`
      : `Setze unterbrochenen Aufbau fort / resuming ${started.resumes.target} ab Position / from position ${started.resumes.position} …`,
  );
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    void client.interrupt();
  };
  process.once('SIGINT', onSignal);
  const seen: { last: RebuildProgressView | null; drawnAt: number } = { last: null, drawnAt: 0 };
  let outcome: RebuildRunView;
  try {
    outcome = await client.follow(name, since, (progress) => {
      seen.last = progress;
      // One updating line on stderr, redrawn at most five times a second.
      if (Date.now() - seen.drawnAt < 200) return;
      seen.drawnAt = Date.now();
      io.progress(progressLine(progress));
    });
  } catch (error) {
    if (error instanceof DetachedError) {
      io.err('');
      io.err(error.message);
      return 130;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
  if (seen.last !== null) {
    const final = outcome.ok ? { ...seen.last, percent: 100, etaSeconds: 0 } : seen.last;
    io.progress(progressLine(final));
    io.err('');
  }
  if (json) io.out(JSON.stringify(outcome));
  if (!outcome.ok) {
    const code = outcome.error?.code;
    if (interrupted || code === 'REBUILD_INTERRUPTED') {
      io.err(
        `Unterbrochen; der nächste "projections rebuild ${name}" setzt fort. / Interrupted; the next rebuild resumes it.`,
      );
      return 130;
    }
    io.err(`Neuaufbau fehlgeschlagen / rebuild failed: ${outcome.error?.message ?? 'unknown'}`);
    return 1;
  }
  if (!json) {
    io.out(
      `${name}: ${outcome.eventsDone ?? 0} Ereignisse/events in ${((outcome.durationMs ?? 0) / 1000).toFixed(1)} s → ${outcome.target ?? '?'}` +
        (outcome.resumedFrom ? ` (fortgesetzt ab / resumed from ${outcome.resumedFrom})` : ''),
    );
    io.out(
      outcome.dropped.length > 0
        ? confirmLine(name, outcome.dropped)
        : `Alte Sammlung bleibt bis zur Bestätigung / old collection kept until confirmed: projections rebuild ${name} --confirm`,
    );
  }
  return 0;
}

const BAR_WIDTH = 24;

/** One line: bar, percent, events done, events/s, time left, target. */
export function progressLine(progress: RebuildProgressView): string {
  const percent = Math.max(0, Math.min(100, progress.percent));
  const filled = Math.round((percent / 100) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const eta = progress.etaSeconds === null ? '?' : duration(progress.etaSeconds);
  return (
    `[${bar}] ${percent.toFixed(1).padStart(5)} %  ${progress.eventsDone} Ereignisse/events  ` +
    `${progress.eventsPerSecond}/s  Rest/ETA ${eta}  → ${progress.target}`
  );
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

function confirmLine(name: string, dropped: readonly string[]): string {
  return dropped.length === 0
    ? `${name}: nichts zu löschen / nothing to drop`
    : `${name}: gelöscht / dropped ${dropped.join(', ')}`;
}

// ------------------------------------------------------------------------------------------------------
// list / status
// ------------------------------------------------------------------------------------------------------

function printList(views: readonly OperatorProjectionView[], json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify(views));
    return;
  }
  const rows = views.map((view) => [
    view.name,
    String(view.version),
    view.state,
    view.serving ?? '-',
    String(view.lag),
    view.rebuild !== null
      ? `${view.rebuild.percent.toFixed(1)} %`
      : view.buildingElsewhere !== null
        ? `elsewhere ${view.buildingElsewhere.percent.toFixed(1)} %`
        : view.lastRebuild?.resumable === true
          ? 'interrupted'
          : (view.lastRebuild?.retained.length ?? 0) > 0
            ? 'switched, old kept'
            : '-',
  ]);
  const header = ['projection', 'version', 'state', 'serving', 'lag', 'rebuild'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) io.out(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
}

function printStatus(view: OperatorProjectionView, json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify(view));
    return;
  }
  io.out(`${view.name}  version ${view.version}${view.rules ? ` (Regeln/rules ${view.rules.version})` : ''}`);
  io.out(`  serving: ${view.serving ?? '-'}  state: ${view.state}  position ${view.position} / ${view.headPosition}`);
  if (view.lastError !== null) io.out(`  last error: ${view.lastError}`);
  if (view.rebuild !== null) io.out(`  ${progressLine(view.rebuild)}`);
  if (view.buildingElsewhere !== null)
    io.out(
      `  rebuild elsewhere (${view.buildingElsewhere.owner}): ${view.buildingElsewhere.percent.toFixed(1)} % → ${view.buildingElsewhere.target ?? '?'}`,
    );
  const record = view.lastRebuild;
  if (record !== null) {
    io.out(
      `  last rebuild: ${record.state} → ${record.target}${record.resumable ? ' (interrupted: rebuild resumes it)' : ''}` +
        (record.retained.length > 0 ? `; kept until --confirm: ${record.retained.join(', ')}` : '') +
        (record.error !== null ? `; error: ${record.error}` : ''),
    );
  }
}

#!/usr/bin/env node
/**
 * `npm run smoke:compose`: server mode as an operator starts it, proven end to end on a host with Docker.
 *
 *   1. `docker compose up -d --build --wait` (docker-compose.yml: KurrentDB, MongoDB replica set, API, projector)
 *   2. waits for the API's liveness (`GET /health` answers 200: event store and read store reachable)
 *   3. signs in through the development login (docker-compose.yml runs PRUEFPFAD_ENV=development), defines a
 *      programme (one command: KurrentDB append) and reads it back with `X-Min-Position` (the projector's
 *      MongoDB read model, read-your-writes)
 *   4. `docker compose down -v`, always, also after a failure or Ctrl-C (volumes included: the run leaves
 *      nothing behind)
 *
 * Plain Node ESM without dependencies. Runs under its own compose project name, so a development stack
 * started with `docker compose up` is not touched (the published ports 3000, 2113 and 27017 must be free).
 *
 * `npm run smoke:compose -- --against-running` skips compose up and down and checks an API that already runs
 * at SMOKE_BASE_URL (any mode with the development login on, e.g. the embedded default in development).
 *
 * Exit codes: 0 passed; 1 failed (the reason is printed, with the last lines of the containers' logs);
 * 2 Docker or Docker Compose unavailable.
 *
 * Environment (all optional): SMOKE_BASE_URL (default http://127.0.0.1:3000), SMOKE_UP_TIMEOUT_SECONDS
 * (build and start, default 900), SMOKE_HTTP_TIMEOUT_SECONDS (each wait on the API, default 180),
 * SMOKE_PROJECT (compose project name, default pruefpfad-smoke).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';

// Node's built-in fetch (18+); the lint configuration of .mjs scripts knows no browser globals.
const { fetch, AbortSignal } = globalThis;

const root = path.resolve(import.meta.dirname, '..');
const baseUrl = (process.env.SMOKE_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const upTimeoutMs = seconds('SMOKE_UP_TIMEOUT_SECONDS', 900) * 1000;
const httpTimeoutMs = seconds('SMOKE_HTTP_TIMEOUT_SECONDS', 180) * 1000;
const project = process.env.SMOKE_PROJECT ?? 'pruefpfad-smoke';
const againstRunning = process.argv.includes('--against-running');
const compose = ['compose', '--project-name', project, '--file', path.join(root, 'docker-compose.yml')];

class SmokeFailure extends Error {}
class Unavailable extends Error {}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    step(`${signal}: Abbruch, die Umgebung wird abgebaut … / interrupted, tearing down …`);
  });
}

function seconds(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name}="${raw}": ganze Zahl > 0 erwartet / a whole number > 0 expected`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();
function step(message) {
  const elapsed = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[smoke ${elapsed}s] ${message}`);
}

/** Runs `docker …`, streaming its output; rejects on a non-zero exit or after `timeoutMs`. */
function docker(args, { timeoutMs, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { cwd: root, stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => {
      output += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new SmokeFailure(`docker ${args.join(' ')}: Zeitlimit ${timeoutMs / 1000} s überschritten / timed out`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Unavailable('docker: Befehl nicht gefunden / command not found') : error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new SmokeFailure(`docker ${args.join(' ')} endete mit / exited with ${code}\n${output.trim()}`));
    });
  });
}

/** One HTTP request with its own timeout; answers status, headers and the parsed body. */
async function http(method, url, { headers = {}, body } = {}) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Polls `probe` until it returns a value other than undefined; fails with `what` after `timeoutMs`. */
async function until(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (let attempt = 1; ; attempt += 1) {
    if (interrupted) throw new SmokeFailure('abgebrochen / interrupted');
    try {
      const value = await probe();
      if (value.done) return value.value;
      last = value.last;
    } catch (error) {
      // A refused answer is final; a connection that failed (the API still starting) is retried.
      if (error instanceof SmokeFailure) throw error;
      last = error instanceof Error ? `${error.name}: ${error.cause?.code ?? error.message}` : String(error);
    }
    if (Date.now() >= deadline)
      throw new SmokeFailure(`${what}: nach ${timeoutMs / 1000} s nicht erreicht / not reached (last: ${last})`);
    if (attempt % 10 === 0) step(`… ${what} (${last})`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 250 * attempt)));
  }
}

function expect(condition, message, response) {
  if (!condition)
    throw new SmokeFailure(`${message}${response ? ` (HTTP ${response.status}: ${response.text.slice(0, 500)})` : ''}`);
}

async function smoke() {
  if (againstRunning) {
    step(`--against-running: kein compose up/down, prüfe / no compose up/down, checking ${baseUrl}`);
    return checkApi();
  }
  step(`docker compose up --build --wait (project ${project}, limit ${upTimeoutMs / 1000} s)`);
  await docker([...compose, 'up', '--detach', '--build', '--wait', '--wait-timeout', String(upTimeoutMs / 1000)], {
    timeoutMs: upTimeoutMs + 60_000,
  });
  return checkApi();
}

async function checkApi() {
  step(`warte auf / waiting for ${baseUrl}/health`);
  const health = await until('GET /health = 200', httpTimeoutMs, async () => {
    const response = await http('GET', '/health');
    return response.status === 200
      ? { done: true, value: response.json }
      : { done: false, last: `HTTP ${response.status} ${response.text.slice(0, 200)}` };
  });
  step(`API lebt / is up: eventStore ${health.checks.eventStore.status}, readStore ${health.checks.readStore.status}`);

  step('Entwicklungsanmeldung / development login (area_head, tenant jc-smoke)');
  const login = await http('POST', '/auth/development/login', {
    body: { tenant: 'jc-smoke', subject: 'bl-smoke', roles: ['area_head'], units: ['smoke-area'] },
  });
  expect(login.status === 200, 'Anmeldung fehlgeschlagen / login failed', login);
  const cookies = login.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  const csrf = login.json?.session?.csrfToken;
  expect(cookies !== '' && typeof csrf === 'string', 'keine Sitzung erhalten / no session received', login);
  const session = { cookie: cookies, 'x-csrf-token': csrf };

  const title = `Smoke-Test ${new Date().toISOString()}`;
  step(`schreibe / write: POST /api/v1/programmes "${title}"`);
  const created = await until('POST /api/v1/programmes = 201', httpTimeoutMs, async () => {
    const response = await http('POST', '/api/v1/programmes', {
      headers: { ...session, 'idempotency-key': `smoke-${started}` },
      body: {
        settings: { title, areaId: 'smoke-area', customerProcess: 'allgemeine-vermittlung' },
        reason: 'Smoke-Test docker compose',
      },
    });
    // 503 (store briefly unavailable, Retry-After) is retried with the same Idempotency-Key; anything else fails.
    if (response.status === 201) return { done: true, value: response.json };
    expect(response.status === 503, 'Schreiben fehlgeschlagen / write failed', response);
    return { done: false, last: `HTTP 503 ${response.json?.code ?? ''}` };
  });
  expect(typeof created?.id === 'string' && typeof created?.position === 'number', 'Antwort ohne id/position', null);
  step(`geschrieben / written: id ${created.id}, position ${created.position}`);

  step('lese zurück / read back: GET /api/v1/programmes/:id with X-Min-Position');
  const read = await until('read-back = 200', httpTimeoutMs, async () => {
    const response = await http('GET', `/api/v1/programmes/${created.id}`, {
      headers: { ...session, 'x-min-position': String(created.position) },
    });
    if (response.status === 200) return { done: true, value: response.json };
    // The projector may still be starting: PROJECTION_LAGGING (503) is retried until the limit.
    expect(response.status === 503, 'Lesen fehlgeschlagen / read failed', response);
    return { done: false, last: `HTTP 503 ${response.json?.code ?? ''}` };
  });
  expect(
    read?.settings?.title === title,
    `gelesener Titel / title read back: "${read?.settings?.title}", erwartet / expected "${title}"`,
    null,
  );

  const ready = await http('GET', '/ready');
  step(`/ready: HTTP ${ready.status} ${ready.text.slice(0, 200)} (informativ / informational)`);
  step('BESTANDEN / PASSED: compose up, write through the API, read back from the projected read model');
}

async function teardown(failed) {
  if (againstRunning) return;
  if (failed) {
    step('letzte Log-Zeilen / last log lines:');
    await docker([...compose, 'logs', '--no-color', '--tail', '80'], { timeoutMs: 60_000 }).catch((error) =>
      console.error(String(error.message ?? error)),
    );
  }
  step('docker compose down -v');
  await docker([...compose, 'down', '--volumes', '--remove-orphans', '--timeout', '20'], { timeoutMs: 180_000 });
}

async function main() {
  if (againstRunning) {
    const failure = await smoke().then(
      () => null,
      (error) => error,
    );
    if (failure === null) return 0;
    console.error(`\nSMOKE FEHLGESCHLAGEN / FAILED: ${failure instanceof Error ? failure.message : String(failure)}`);
    return 1;
  }
  try {
    await docker(['compose', 'version'], { timeoutMs: 30_000, quiet: true });
    await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000, quiet: true });
  } catch (error) {
    console.error(
      'Docker mit Compose wird gebraucht und antwortet nicht. / Docker with Compose is needed and does not answer:\n' +
        String(error.message ?? error),
    );
    return 2;
  }
  let failure = null;
  try {
    await smoke();
  } catch (error) {
    failure = error;
  }
  try {
    await teardown(failure !== null);
  } catch (error) {
    console.error(`Abbau fehlgeschlagen / teardown failed: ${error.message ?? error}`);
    failure ??= error;
  }
  if (failure !== null) {
    console.error(`\nSMOKE FEHLGESCHLAGEN / FAILED: ${failure instanceof Error ? failure.message : String(failure)}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();

/**
 * Tests against real KurrentDB and MongoDB run in containers (testcontainers). Development machines here
 * have a `docker` client but no engine, so what we probe is the RUNTIME, never the binary: we ask
 * testcontainers itself (`getContainerRuntimeClient()`) to find a working runtime, through exactly the
 * strategies it will use to start the containers (TESTCONTAINERS_HOST_OVERRIDE, DOCKER_HOST and
 * ~/.testcontainers.properties, the default and rootless Unix sockets, the Windows named pipe). It ends
 * in a `docker info` round trip over the socket, so a present but dead socket counts as unavailable.
 *
 * Jest collects tests synchronously, so `describeWithContainers` cannot await a probe. It runs the same
 * probe in a child process with `spawnSync` (process.execPath: the project's Node 24) and a hard
 * timeout, once per test file, before deciding whether to register the real suite or a skipped test
 * whose name carries the reason. Jest then counts it as skipped, never as passed.
 *
 * CI machines that do have a runtime set PRUEFPFAD_REQUIRE_CONTAINERS=1: there, a missing runtime is a
 * failing test instead of a skip, so a broken Docker setup cannot turn the server suites silently green.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export type ContainerRuntimeProbe =
  { readonly available: true } | { readonly available: false; readonly reason: string };

export interface ProbeOptions {
  /** Upper bound for the whole probe (default 20 s: the probe ends in a Docker `info` round trip). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
export const REQUIRE_CONTAINERS_ENV = 'PRUEFPFAD_REQUIRE_CONTAINERS';

function testcontainersEntryUrl(): string {
  // Resolved from this file, not the cwd, so the child finds the project's own testcontainers.
  const require = createRequire(import.meta.url);
  return pathToFileURL(require.resolve('testcontainers')).href;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Asynchronous probe for code that may await (global setup, scripts). */
export async function probeContainerRuntime(options: ProbeOptions = {}): Promise<ContainerRuntimeProbe> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`probe timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return { available: true };
  } catch (error) {
    return { available: false, reason: describeError(error) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The child's program: prints one JSON line with the probe result and exits. */
export const PROBE_SCRIPT = `
const entry = process.argv[1];
const done = (result) => { process.stdout.write(JSON.stringify(result) + '\\n'); process.exit(0); };
import(entry)
  .then((tc) => tc.getContainerRuntimeClient())
  .then(
    () => done({ available: true }),
    (error) => done({ available: false, reason: error instanceof Error ? error.message : String(error) }),
  );
`;

/**
 * Runs a probe program synchronously in a child Node process. Exported for the unit test, which feeds
 * it programs with known outcomes; `probeContainerRuntimeSync` passes the real one.
 */
export function runProbeScript(script: string, args: readonly string[], timeoutMs: number): ContainerRuntimeProbe {
  const child = spawnSync(process.execPath, ['--input-type=module', '--eval', script, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.error) {
    const code = (child.error as NodeJS.ErrnoException).code;
    return {
      available: false,
      reason: code === 'ETIMEDOUT' ? `probe timed out after ${timeoutMs} ms` : `probe failed: ${child.error.message}`,
    };
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as { available?: unknown; reason?: unknown };
    if (parsed.available === true) return { available: true };
    if (parsed.available === false) {
      return {
        available: false,
        reason: typeof parsed.reason === 'string' && parsed.reason ? parsed.reason : 'unknown reason',
      };
    }
  } catch {
    // fall through: an unparsable answer is reported with what the child said
  }
  const said = (child.stderr || child.stdout).trim().split('\n')[0] ?? '';
  return { available: false, reason: `probe gave no answer (exit ${String(child.status)}${said ? `: ${said}` : ''})` };
}

/** Synchronous probe (a child process), for Jest's synchronous test collection. */
export function probeContainerRuntimeSync(options: ProbeOptions = {}): ContainerRuntimeProbe {
  return runProbeScript(PROBE_SCRIPT, [testcontainersEntryUrl()], options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}

let cached: ContainerRuntimeProbe | undefined;
let reported = false;

/** The probe result for this test file (Jest gives each test file its own module registry). */
export function containerRuntime(): ContainerRuntimeProbe {
  cached ??= probeContainerRuntimeSync();
  return cached;
}

/** The Jest globals `describeWithContainers` registers with; injectable so the unit test can watch. */
export interface JestRegistrar {
  describe(name: string, fn: () => void): void;
  it: { (name: string, fn: () => void): void; skip(name: string, fn: () => void): void };
}

export interface DescribeWithContainersOptions {
  readonly probe?: () => ContainerRuntimeProbe;
  readonly jest?: JestRegistrar;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (message: string) => void;
}

export function skippedTestName(reason: string): string {
  return `skipped: no container runtime (${reason})`;
}

/**
 * `describe` for suites that need containers: with a runtime, the suite as written; without one, a
 * single skipped test whose name states why (or, under PRUEFPFAD_REQUIRE_CONTAINERS=1, a failing one).
 */
export function describeWithContainers(
  name: string,
  fn: () => void,
  options: DescribeWithContainersOptions = {},
): void {
  const registrar: JestRegistrar = options.jest ?? { describe, it };
  const result = (options.probe ?? containerRuntime)();
  if (result.available) {
    registrar.describe(name, fn);
    return;
  }
  const env = options.env ?? process.env;
  const required = env[REQUIRE_CONTAINERS_ENV] === '1';
  // Straight to stderr: Jest's console capture would add a stack trace to a one-line notice.
  const log = options.log ?? ((message: string) => void process.stderr.write(`${message}\n`));
  if (!reported || options.log) {
    reported = true;
    log(
      `[container-runtime] ${required ? 'REQUIRED but unavailable' : 'skipping container suites'}: ${result.reason}. ` +
        `Start Docker (or set DOCKER_HOST) to run them${required ? '' : `; set ${REQUIRE_CONTAINERS_ENV}=1 to make this an error`}.`,
    );
  }
  registrar.describe(name, () => {
    if (required) {
      registrar.it(`container runtime required (${REQUIRE_CONTAINERS_ENV}=1) but unavailable: ${result.reason}`, () => {
        throw new Error(`No container runtime: ${result.reason}`);
      });
    } else {
      registrar.it.skip(skippedTestName(result.reason), () => undefined);
    }
  });
}

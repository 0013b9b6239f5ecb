import {
  describeWithContainers,
  probeContainerRuntime,
  probeContainerRuntimeSync,
  REQUIRE_CONTAINERS_ENV,
  runProbeScript,
  skippedTestName,
  type ContainerRuntimeProbe,
  type JestRegistrar,
} from './container-runtime.js';

/** Records what `describeWithContainers` registers instead of registering it with Jest. */
function recordingRegistrar() {
  const calls: { kind: 'describe' | 'it' | 'skip'; name: string; fn: () => void }[] = [];
  const it = Object.assign((name: string, fn: () => void) => void calls.push({ kind: 'it', name, fn }), {
    skip: (name: string, fn: () => void) => void calls.push({ kind: 'skip', name, fn }),
  });
  const registrar: JestRegistrar = {
    describe: (name, fn) => {
      calls.push({ kind: 'describe', name, fn });
      fn();
    },
    it,
  };
  return { registrar, calls };
}

/** A suite body that counts how often it was run. */
function countingSuite() {
  const suite = Object.assign(() => void (suite.runs += 1), { runs: 0 });
  return suite;
}

const unavailable: ContainerRuntimeProbe = {
  available: false,
  reason: 'Could not find a working container runtime strategy',
};

describe('runProbeScript', () => {
  it('reports an unavailable runtime with the reason the probe gave', () => {
    const script = `process.stdout.write(JSON.stringify({ available: false, reason: 'no socket at ' + process.argv[1] }) + '\\n')`;
    expect(runProbeScript(script, ['/nonexistent/docker.sock'], 10_000)).toEqual({
      available: false,
      reason: 'no socket at /nonexistent/docker.sock',
    });
  });

  it('reports an available runtime', () => {
    expect(runProbeScript(`console.log(JSON.stringify({ available: true }))`, [], 10_000)).toEqual({ available: true });
  });

  it('turns a probe that hangs into "unavailable" once the timeout passes', () => {
    const result = runProbeScript('setInterval(() => {}, 1000)', [], 300);
    expect(result).toEqual({ available: false, reason: 'probe timed out after 300 ms' });
  });

  it('turns a crashing probe into "unavailable" with what it printed', () => {
    const result = runProbeScript(`console.error('boom'); process.exit(3)`, [], 10_000);
    expect(result).toEqual({ available: false, reason: 'probe gave no answer (exit 3: boom)' });
  });
});

describe('probeContainerRuntimeSync', () => {
  it('agrees with the asynchronous probe (both ask testcontainers for a runtime)', async () => {
    const sync = probeContainerRuntimeSync();
    const asynchronous = await probeContainerRuntime();
    expect(sync.available).toBe(asynchronous.available);
    if (!sync.available && !asynchronous.available) {
      expect(sync.reason).toBe(asynchronous.reason);
      expect(sync.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('describeWithContainers', () => {
  it('registers one skipped test that names the reason when no runtime answers', () => {
    const { registrar, calls } = recordingRegistrar();
    const logged: string[] = [];
    const suite = countingSuite();
    describeWithContainers('KurrentDB adapter', suite, {
      probe: () => unavailable,
      jest: registrar,
      env: {},
      log: (m) => logged.push(m),
    });
    expect(suite.runs).toBe(0);
    expect(calls.map((c) => [c.kind, c.name])).toEqual([
      ['describe', 'KurrentDB adapter'],
      ['skip', skippedTestName(unavailable.reason)],
    ]);
    expect(calls[1]!.name).toBe('skipped: no container runtime (Could not find a working container runtime strategy)');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(unavailable.reason);
  });

  it('registers a failing test instead when containers are required', () => {
    const { registrar, calls } = recordingRegistrar();
    describeWithContainers('MongoDB adapter', countingSuite(), {
      probe: () => unavailable,
      jest: registrar,
      env: { [REQUIRE_CONTAINERS_ENV]: '1' },
      log: () => undefined,
    });
    const test = calls.find((c) => c.kind === 'it');
    expect(test?.name).toContain(unavailable.reason);
    expect(() => test!.fn()).toThrow(/No container runtime/);
    expect(calls.some((c) => c.kind === 'skip')).toBe(false);
  });

  it('registers the real suite when a runtime answers', () => {
    const { registrar, calls } = recordingRegistrar();
    const suite = countingSuite();
    describeWithContainers('MongoDB adapter', suite, { probe: () => ({ available: true }), jest: registrar, env: {} });
    expect(suite.runs).toBe(1);
    expect(calls).toEqual([{ kind: 'describe', name: 'MongoDB adapter', fn: suite }]);
  });
});

import { ConsoleLogger } from '@nestjs/common';
import {
  CommandPipeline,
  ConfigurationError,
  loadConfig,
  loadRulesConfig,
  serviceClock,
  uuidV7Ids,
} from '@pruefpfad/application';
import {
  ChainSealer,
  openInfrastructure,
  projections,
  projectionsUnderRules,
  startReactors,
} from '@pruefpfad/composition';
import { DocumentLease, LeasedWork, leaseOwner, ProjectionRunner } from '@pruefpfad/projections';

/**
 * Server mode's projection worker: follows KurrentDB and writes MongoDB read models. Several projector
 * instances may run; a lease per projection keeps exactly one runner active for each, and another takes
 * over when the holder stops renewing. In embedded mode the API runs the projections in a worker thread,
 * so this process refuses to start there.
 */
export async function runProjector(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = new ConsoleLogger('Projector', { json: true, colors: false });
  if (config.stores.kind !== 'server') {
    logger.error(
      'Der Projektor läuft nur im Servermodus (KURRENTDB_CONNECTION_STRING und MONGODB_URI). / ' +
        'The projector runs in server mode only; the embedded default runs projections inside the API.',
    );
    process.exit(2);
  }
  const infrastructure = await openInfrastructure(config);
  const runner = new ProjectionRunner({
    // The same rule-driven versions as the API's read side: a rules change rebuilds here too.
    definitions: projectionsUnderRules(loadRulesConfig()),
    eventStore: infrastructure.eventStore,
    documentStore: infrastructure.documents,
    checkpointStore: infrastructure.checkpoints,
    lease: {},
    onPoison: (report) => {
      logger.error({ message: 'poison event: projection stopped', ...report });
    },
  });
  runner.start();
  const pipeline = new CommandPipeline(infrastructure.eventStore, serviceClock(config), uuidV7Ids, config.rulesVersion);
  // The durable reactors and the chain sealer run in one projector at a time (a lease, like the
  // projections'): both are safe to run twice, but two would only repeat each other's work and race for
  // the seal stream. Another projector takes over when the holder stops renewing.
  const sideWork = new LeasedWork({
    lease: new DocumentLease({
      documentStore: infrastructure.documents,
      key: 'projector:reactors-and-sealer',
      owner: leaseOwner('projector'),
    }),
    start: () => {
      const reactors = startReactors(
        { config, infrastructure, pipeline, clock: serviceClock(config), ids: uuidV7Ids },
        logger,
      );
      const sealer = new ChainSealer({
        eventStore: infrastructure.eventStore,
        clock: serviceClock(config),
        ids: uuidV7Ids,
        rulesVersion: config.rulesVersion,
        onSealed: (seal, position) => {
          logger.log({ message: 'chain heads sealed', sealNumber: seal.sealNumber, sealHash: seal.sealHash, position });
        },
        onError: (error) => {
          logger.error({ message: 'chain sealing failed', error: String(error) });
        },
      });
      sealer.start();
      return {
        stop: async (why) => {
          await sealer.stop();
          // A last seal only on shutdown: after a lost lease the new holder seals, and two would race.
          if (why === 'shutdown')
            await sealer.sealNow().catch((error: unknown) => {
              logger.error({ message: 'final chain seal failed', error: String(error) });
            });
          await reactors.stop();
        },
      };
    },
    onChange: ({ holding, reason }) => {
      logger.log({ message: holding ? 'reactors and sealer started' : 'reactors and sealer stopped', reason });
    },
  });
  sideWork.start();
  logger.log({
    message: 'Projektor gestartet / projector started',
    owner: runner.owner,
    projections: projections.map((p) => p.name),
  });

  const report = setInterval(() => {
    for (const status of runner.status()) logger.log({ message: 'projection status', ...status });
  }, 30_000);
  report.unref();

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.log({ message: 'shutting down', signal });
    clearInterval(report);
    await sideWork.stop();
    await runner.stop();
    await infrastructure.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));
}

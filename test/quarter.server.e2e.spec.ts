import type { INestApplication } from '@nestjs/common';
import { KurrentDbContainer, type StartedKurrentDbContainer } from '@testcontainers/kurrentdb';
import { MongoDBContainer, type StartedMongoDBContainer } from '@testcontainers/mongodb';
import { type AppConfig, CommandPipeline, uuidV7Ids } from '@pruefpfad/application';
import {
  type Infrastructure,
  openInfrastructure,
  projections,
  type RunningReactors,
  startReactors,
} from '@pruefpfad/composition';
import { ProjectionRunner } from '@pruefpfad/projections';
import { createApp } from '../apps/api/src/bootstrap.js';
import { describeWithContainers } from './support/container-runtime.js';
import { runQuarterScenario, scenarioClock, type QuarterHarness } from './support/quarter-scenario.js';
import { temporaryDirectories, testConfig } from './support/test-app.js';

const KURRENTDB_IMAGE = 'docker.kurrent.io/kurrent-lts/kurrentdb:26.0.3';
const MONGO_IMAGE = 'mongo:8.0';

/**
 * The same quarter on KurrentDB + MongoDB. In server mode the API neither projects nor reacts: this
 * process plays the projector (`apps/projector`), running the projection runner and the durable reactors
 * (the draw's review-opening reactor among them) on a second set of connections, with the scenario's clock.
 * The crash step needs the reactors inside the API and is left to the embedded run
 * (test/quarter.e2e.spec.ts); the reactor's own crash test runs on both kinds of store.
 */
describeWithContainers('a quarter of Fachaufsicht over HTTP (KurrentDB + MongoDB)', () => {
  const dirs = temporaryDirectories();
  const clock = scenarioClock('2025-12-15');
  let containers: { kurrent: StartedKurrentDbContainer; mongo: StartedMongoDBContainer } | null = null;
  let config: AppConfig;
  let app: INestApplication | null = null;
  let projector: { infrastructure: Infrastructure; runner: ProjectionRunner; reactors: RunningReactors } | null = null;

  const harness: QuarterHarness = {
    clock,
    reactorsInApp: false,
    async start() {
      if (containers === null) {
        const [kurrent, mongo] = await Promise.all([
          new KurrentDbContainer(KURRENTDB_IMAGE).start(),
          new MongoDBContainer(MONGO_IMAGE).start(),
        ]);
        containers = { kurrent, mongo };
        config = testConfig(dirs, {
          KURRENTDB_CONNECTION_STRING: kurrent.getConnectionString(),
          MONGODB_URI: `${mongo.getConnectionString()}/?directConnection=true`,
          MONGODB_DATABASE: 'pruefpfad_quarter',
        });
      }
      app = await createApp(config, { clock, logger: false });
      await app.init();
      const infrastructure = await openInfrastructure(config);
      const runner = new ProjectionRunner({
        definitions: projections,
        eventStore: infrastructure.eventStore,
        documentStore: infrastructure.documents,
        checkpointStore: infrastructure.checkpoints,
        lease: {},
      });
      runner.start();
      const reactors = startReactors({
        config,
        infrastructure,
        pipeline: new CommandPipeline(infrastructure.eventStore, clock, uuidV7Ids, config.rulesVersion),
        clock,
        ids: uuidV7Ids,
      });
      projector = { infrastructure, runner, reactors };
      return { app, config };
    },
    async stop() {
      const [running, side] = [app, projector];
      app = null;
      projector = null;
      await running?.close();
      await side?.reactors.stop();
      await side?.runner.stop();
      await side?.infrastructure.close();
    },
    async dispose() {
      const started = containers;
      containers = null;
      if (started !== null) await Promise.all([started.kurrent.stop(), started.mongo.stop()]);
      dirs.remove();
    },
    // The retention step runs here too (purge reactors in the projector side, KurrentDB stream deletes,
    // rebuilds that skip purged streams $all still returns before a scavenge); the byte-level checks of the
    // files are the embedded run's (test/retention.e2e.spec.ts).
    retention: { beforePurge: () => Promise.resolve(), afterPurge: () => Promise.resolve() },
  };

  runQuarterScenario(harness);
});

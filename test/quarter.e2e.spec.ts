import type { INestApplication } from '@nestjs/common';
import { createApp } from '../apps/api/src/bootstrap.js';
import { runQuarterScenario, scenarioClock, type QuarterHarness } from './support/quarter-scenario.js';
import { temporaryDirectories, testConfig } from './support/test-app.js';

/**
 * The quarter end to end on the embedded stores (node:sqlite event store, embedded read store),
 * projections and reactors in the API process, the clock moved by the scenario. Here the reactors run
 * inside the app, so the scenario also crashes it while a draw's reviews are being opened.
 */
describe('a quarter of Fachaufsicht over HTTP (embedded stores)', () => {
  const dirs = temporaryDirectories();
  const config = testConfig(dirs);
  const clock = scenarioClock('2025-12-15');
  let app: INestApplication | null = null;

  const harness: QuarterHarness = {
    clock,
    reactorsInApp: true,
    async start() {
      app = await createApp(config, { clock, logger: false, projectionsInProcess: true });
      await app.init();
      return { app, config };
    },
    async stop() {
      const running = app;
      app = null;
      await running?.close();
    },
    dispose() {
      dirs.remove();
      return Promise.resolve();
    },
  };

  runQuarterScenario(harness);
});

import 'reflect-metadata';
import { type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type AppConfig, type Clock, CommandPipeline, serviceClock, uuidV7Ids } from '@pruefpfad/application';
import { openInfrastructure, startProjections, startReactors } from '@pruefpfad/composition';
import { AppModule } from './app.module.js';
import { documentConcurrency } from './commands/concurrency.openapi.js';
import { inputShapeGuard } from './errors/input-limits.js';
import { createJsonLogger } from './logging/json-logger.js';
import type { Runtime } from './runtime/runtime.js';
import { webApp } from './web-app/web-app.js';
import { loadSigningSecret } from './security/security.module.js';

export interface CreateAppOptions {
  readonly clock?: Clock;
  readonly logger?: LoggerService | false;
  /** Tests under ts-jest only: a worker thread cannot load TypeScript sources (see `startProjections`). */
  readonly projectionsInProcess?: boolean;
  /** The built browser application; default `dist/web` beside the compiled service (see `webApp`). */
  readonly webDirectory?: string;
}

/**
 * Opens the stores the configuration names, starts the projections (a worker thread in embedded mode)
 * and builds the Nest application. Used by `main.ts` and by the end-to-end tests, so both run the same
 * composition.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const logger = options.logger ?? createJsonLogger(config.logLevel);
  const infrastructure = await openInfrastructure(config, {
    warn:
      logger === false
        ? undefined
        : (message) => {
            logger.warn(message, 'Permissions');
          },
  });
  // Whatever started is stopped again if a later step fails, so a failed start leaves nothing running.
  const started: { stop(): Promise<void> }[] = [];
  try {
    const projections = await startProjections(config, infrastructure, logger === false ? undefined : logger, {
      inProcess: options.projectionsInProcess ?? false,
    });
    started.push(projections);
    const clock = options.clock ?? serviceClock(config);
    const pipeline = new CommandPipeline(infrastructure.eventStore, clock, uuidV7Ids, config.rulesVersion);
    // Embedded mode runs the reactors here; in server mode the projector runs them (one per process set).
    const reactors =
      config.stores.kind === 'embedded'
        ? startReactors(
            { config, infrastructure, pipeline, clock, ids: uuidV7Ids },
            logger === false ? undefined : logger,
          )
        : { stop: () => Promise.resolve() };
    started.push(reactors);
    const runtime: Runtime = {
      config,
      infrastructure,
      projections,
      clock,
      ids: uuidV7Ids,
      pipeline,
      reactors,
      signingSecret: config.auth.kind === 'local-secret' ? loadSigningSecret(config.dataDir) : null,
    };
    // Nest's own parsers are off: JSON only (no URL-encoded forms, whose parser drops `__proto__` silently),
    // bounded in size, and every parsed body and query string checked before any pipe sees it.
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(runtime), {
      logger,
      bodyParser: false,
      abortOnError: false,
    });
    started.push({ stop: () => app.close() });
    app.useBodyParser('json', { limit: config.input.maxBodyBytes });
    app.use(inputShapeGuard(config.input));
    const web = webApp(options.webDirectory);
    app.use(web.middleware);
    if (web.directory === null && logger !== false) {
      logger.log(
        'Keine gebaute Browser-Anwendung gefunden (npm run build); nur die API läuft / no built web application found; the API runs alone',
        'WebApp',
      );
    }
    app.enableShutdownHooks();
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Prüfpfad API')
        .setDescription(
          'Fachaufsicht und internes Kontrollsystem für Jobcenter / supervision and internal control for Jobcenters',
        )
        .setVersion('1')
        .addBearerAuth()
        // One mechanism for every authenticated route, commands and queries alike (MinPositionInterceptor).
        .addGlobalParameters({
          name: 'X-Min-Position',
          in: 'header',
          required: false,
          schema: { type: 'integer', minimum: 0 },
          description:
            'Position des letzten eigenen Schreibvorgangs (Feld `position` der Antwort eines Befehls): die Anfrage ' +
            'wartet, bis alle Ansichten ihn enthalten (begrenzt; sonst 503 PROJECTION_LAGGING), und antwortet nie mit ' +
            'einem veralteten Stand oder 404 dafür. Ohne Wirkung auf /health, /ready, /metrics. / ' +
            'Position of your own last write (the `position` a command answered with): the request waits until every ' +
            'read model contains it (bounded; else 503 PROJECTION_LAGGING) and never answers 404 or a stale state for ' +
            'it. Ignored by /health, /ready, /metrics.',
        })
        .build(),
    );
    documentConcurrency(document);
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
    return app;
  } catch (error) {
    for (const component of started.reverse()) await component.stop().catch(() => undefined);
    await infrastructure.close().catch(() => undefined);
    throw error;
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandPipeline } from '../../../libs/application/src/command-pipeline.js';
import { ErrorsModule } from './errors/errors.module.js';
import { SecurityModule } from './security/security.module.js';
import { ExecuteCommandHandler } from './commands/execute-command.js';
import { IdempotencyInterceptor } from './commands/idempotency.interceptor.js';
import { IdempotencyService } from './commands/idempotency.service.js';
import { IdempotencySweeper } from './commands/idempotency-sweeper.js';
import { HealthController } from './health/health.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { ProgrammesController } from './programmes/programmes.controller.js';
import { ProgrammesQueries } from './programmes/programmes.queries.js';
import type { Runtime } from './runtime/runtime.js';
import { RuntimeLifecycle } from './runtime/runtime-lifecycle.js';
import {
  APP_CONFIG,
  CHECKPOINT_STORE,
  CLOCK,
  COMMAND_PIPELINE,
  DOCUMENT_STORE,
  ENVELOPE,
  EVENT_STORE,
  ID_GENERATOR,
  KEY_STORE,
  PROJECTIONS,
  RUNTIME,
} from './runtime/tokens.js';

/** The API's composition: ports bound to the adapters the runtime opened, nothing else knows them. */
@Module({})
export class AppModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const { infrastructure } = runtime;
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), ErrorsModule.forRoot(), SecurityModule.forRoot(runtime)],
      controllers: [HealthController, ProgrammesController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: ID_GENERATOR, useValue: runtime.ids },
        { provide: EVENT_STORE, useValue: infrastructure.eventStore },
        { provide: DOCUMENT_STORE, useValue: infrastructure.documents },
        { provide: CHECKPOINT_STORE, useValue: infrastructure.checkpoints },
        { provide: KEY_STORE, useValue: infrastructure.keyStore },
        { provide: ENVELOPE, useValue: infrastructure.envelope },
        { provide: PROJECTIONS, useValue: runtime.projections },
        {
          provide: COMMAND_PIPELINE,
          useValue: new CommandPipeline(
            infrastructure.eventStore,
            runtime.clock,
            runtime.ids,
            runtime.config.rulesVersion,
          ),
        },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        ExecuteCommandHandler,
        MetricsService,
        IdempotencyService,
        IdempotencySweeper,
        ProgrammesQueries,
        RuntimeLifecycle,
      ],
    };
  }
}

import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ExecuteCommandHandler } from './commands/execute-command.js';
import { IdempotencyService } from './commands/idempotency.service.js';
import { StreamStates } from '@pruefpfad/application';
import { ReadModelFreshness } from './commands/read-model-freshness.js';
import { MetricsService } from './metrics/metrics.service.js';
import type { Runtime } from './runtime/runtime.js';
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
  STREAM_STATES,
} from './runtime/tokens.js';

/**
 * The ports bound to the adapters the runtime opened, available to every feature module (global), so
 * feature modules declare only their controllers and query services.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const { infrastructure } = runtime;
    const providers = [
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
      { provide: COMMAND_PIPELINE, useValue: runtime.pipeline },
      { provide: STREAM_STATES, useValue: new StreamStates(infrastructure.eventStore) },
    ];
    return {
      module: PlatformModule,
      providers: [...providers, ExecuteCommandHandler, MetricsService, IdempotencyService, ReadModelFreshness],
      exports: [
        ...providers.map((provider) => provider.provide),
        MetricsService,
        IdempotencyService,
        ReadModelFreshness,
      ],
    };
  }
}

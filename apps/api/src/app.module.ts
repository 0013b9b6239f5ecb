import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ErrorsModule } from './errors/errors.module.js';
import { SecurityModule } from './security/security.module.js';
import { IdempotencyInterceptor } from './commands/idempotency.interceptor.js';
import { MinPositionInterceptor } from './commands/min-position.interceptor.js';
import { IdempotencySweeper } from './commands/idempotency-sweeper.js';
import { FEATURE_MODULES } from './features.js';
import { HealthController } from './health/health.controller.js';
import { PlatformModule } from './platform.module.js';
import { ProgrammesController } from './programmes/programmes.controller.js';
import { ProgrammesQueries } from './programmes/programmes.queries.js';
import type { Runtime } from './runtime/runtime.js';
import { RuntimeLifecycle } from './runtime/runtime-lifecycle.js';
import { WebSessionModule } from './web-session/web-session.module.js';

/** The API's composition: the platform (ports, errors, security) and the feature modules. */
@Module({})
export class AppModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        PlatformModule.forRoot(runtime),
        ErrorsModule.forRoot(),
        SecurityModule.forRoot(runtime),
        WebSessionModule,
        ...FEATURE_MODULES,
      ],
      controllers: [HealthController, ProgrammesController],
      providers: [
        // Outermost: a request waits for its `X-Min-Position` before anything else looks at it.
        { provide: APP_INTERCEPTOR, useClass: MinPositionInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        IdempotencySweeper,
        ProgrammesQueries,
        RuntimeLifecycle,
      ],
    };
  }
}

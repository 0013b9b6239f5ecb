import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Runtime } from './runtime.js';
import { RUNTIME } from './tokens.js';

/**
 * Graceful shutdown: Nest closes the HTTP server first (in-flight requests finish), then this stops the
 * projections (the current batch and its checkpoint are saved) and closes the stores (pending group
 * commits are flushed before the event store closes).
 */
@Injectable()
export class RuntimeLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Runtime');

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log({ message: 'shutting down', signal: signal ?? null });
    await this.runtime.reactors.stop();
    await this.runtime.projections.stop();
    await this.runtime.infrastructure.close();
    this.logger.log({ message: 'stores closed' });
  }
}

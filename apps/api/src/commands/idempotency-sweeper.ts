import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service.js';

const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Removes idempotency records older than their 24 h once an hour, so the collection stays bounded. */
@Injectable()
export class IdempotencySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly idempotency: IdempotencyService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.idempotency.sweep().then(
        (removed) => {
          if (removed > 0) this.logger.log({ message: 'expired idempotency records removed', removed });
        },
        (error: unknown) => this.logger.warn({ message: 'idempotency sweep failed', error: String(error) }),
      );
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

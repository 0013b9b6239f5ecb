import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../../../libs/application/src/config.js';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port.js';
import type { ProjectionsPort } from '../runtime/projections.port.js';
import { APP_CONFIG, EVENT_STORE, PROJECTIONS } from '../runtime/tokens.js';
import { ProjectionLaggingError } from './min-position.js';

/**
 * Read-your-writes and fresh decisions. Queries wait (bounded) for the position a client names; a
 * command that decides on read models (a draw, a report snapshot) waits until they reflect every event
 * stored so far, so it never freezes stale figures, also when the projector is another process.
 */
@Injectable()
export class ReadModelFreshness {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionsPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async awaitPosition(names: readonly string[], position: number | undefined): Promise<void> {
    if (position === undefined) return;
    for (const name of names) {
      if (!(await this.projections.waitForPosition(name, position, this.config.maxWaitMs)))
        throw new ProjectionLaggingError(name, position);
    }
  }

  async awaitCurrent(names: readonly string[]): Promise<void> {
    await this.awaitPosition(names, await this.eventStore.headPosition());
  }
}

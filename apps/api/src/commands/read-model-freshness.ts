import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@pruefpfad/application';
import type { EventStore } from '@pruefpfad/event-store';
import type { ProjectionsPort } from '../runtime/projections.port.js';
import { APP_CONFIG, EVENT_STORE, PROJECTIONS } from '../runtime/tokens.js';
import { ProjectionLaggingError } from './min-position.js';

/**
 * Read-your-writes and fresh decisions. Every request that names a position (`X-Min-Position`, see
 * `MinPositionInterceptor`) waits (bounded) until every read model reflects it; a command that decides
 * on read models where they are the legitimate source (a report snapshot, the retention plan) waits until
 * they reflect every event stored so far, so it never freezes stale figures, also when the projector is
 * another process.
 */
@Injectable()
export class ReadModelFreshness {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionsPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every read model has reached `position`, or PROJECTION_LAGGING (503) after `maxWaitMs`. */
  async awaitAll(position: number): Promise<void> {
    const lagging = await this.projections.waitForAll(position, this.config.maxWaitMs);
    if (lagging.length > 0) throw new ProjectionLaggingError(lagging.join(', '), position);
  }

  private async awaitPosition(names: readonly string[], position: number): Promise<void> {
    const reached = await Promise.all(
      names.map((name) => this.projections.waitForPosition(name, position, this.config.maxWaitMs)),
    );
    const lagging = names.filter((_, index) => !reached[index]);
    if (lagging.length > 0) throw new ProjectionLaggingError(lagging.join(', '), position);
  }

  /** Every read model reflects every event stored when this was called (before a plan made of many). */
  async awaitCurrentAll(): Promise<void> {
    await this.awaitAll(await this.eventStore.headPosition());
  }

  /** The named read models reflect every event stored when this was called. */
  async awaitCurrent(names: readonly string[]): Promise<void> {
    await this.awaitPosition(names, await this.eventStore.headPosition());
  }
}

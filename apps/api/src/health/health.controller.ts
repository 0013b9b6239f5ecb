import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EventStore } from '@pruefpfad/event-store';
import type { DocumentStore } from '@pruefpfad/read-store';
import { Public } from '../security/security.decorators.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { ProjectionsPort, ProjectionStatusView } from '../runtime/projections.port.js';
import { DOCUMENT_STORE, EVENT_STORE, PROJECTIONS } from '../runtime/tokens.js';

type Check = { readonly status: 'up' | 'down'; readonly detail?: string };

/** Liveness, readiness and metrics: technical state only, never case data, no token needed. */
@ApiTags('Betrieb / operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionsPort,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health')
  @Public()
  async health(@Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    const [eventStore, readStore, projections] = await Promise.all([
      this.check(async () => {
        await this.eventStore.headPosition();
      }),
      this.check(async () => {
        await this.documents.listCollections();
      }),
      this.projectionStatus(),
    ]);
    const failed = projections.filter((projection) => projection.state === 'failed');
    const ok = eventStore.status === 'up' && readStore.status === 'up' && failed.length === 0;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'up' : 'down',
      checks: { eventStore, readStore },
      projections: projections.map(({ name, version, position, lag, state, lastError, rebuild }) => ({
        name,
        version,
        position,
        lag,
        state,
        lastError,
        rebuild: rebuild === null ? null : { eventsDone: rebuild.eventsDone, percent: rebuild.percent },
      })),
    };
  }

  /** Ready once every projection has caught up at least once (dashboards would otherwise show gaps). */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    const projections = await this.projectionStatus();
    const notReady = projections
      .filter((projection) => projection.state !== 'live')
      .map((projection) => projection.name);
    response.status(notReady.length === 0 ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: notReady.length === 0 ? 'ready' : 'starting', waitingFor: notReady };
  }

  @Get('metrics')
  @Public()
  async metricsText(@Res() response: Response): Promise<void> {
    for (const projection of await this.projectionStatus()) {
      this.metrics.projectionPosition.set({ projection: projection.name }, projection.position);
      this.metrics.projectionLag.set({ projection: projection.name }, projection.lag);
      this.metrics.rebuildProgress.set({ projection: projection.name }, projection.rebuild?.eventsDone ?? 0);
    }
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.send(await this.metrics.registry.metrics());
  }

  private async projectionStatus(): Promise<readonly ProjectionStatusView[]> {
    try {
      return await this.projections.status();
    } catch {
      return [];
    }
  }

  private async check(probe: () => Promise<void>): Promise<Check> {
    try {
      await probe();
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', detail: error instanceof Error ? error.message : String(error) };
    }
  }
}

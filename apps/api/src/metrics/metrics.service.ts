import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics. Labels never carry case data: only aggregate names, projection names, outcomes. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly commandDuration = new Histogram({
    name: 'pruefpfad_command_duration_seconds',
    help: 'Command pipeline latency (read, decide, append).',
    labelNames: ['aggregate', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly appendConflicts = new Counter({
    name: 'pruefpfad_append_conflicts_total',
    help: 'Appends refused because the stream moved on (409) or If-Match was stale (412).',
    labelNames: ['aggregate', 'kind'] as const,
    registers: [this.registry],
  });

  readonly projectionPosition = new Gauge({
    name: 'pruefpfad_projection_position',
    help: 'Global position the projection has reached.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'pruefpfad_projection_lag',
    help: 'Positions between the event store head and the projection.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly rebuildProgress = new Gauge({
    name: 'pruefpfad_projection_rebuild_events_done',
    help: 'Events processed by a running projection rebuild.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'pruefpfad_' });
  }
}

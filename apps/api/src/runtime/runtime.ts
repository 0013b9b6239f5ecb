import type { AppConfig, Clock, CommandPipeline, IdGenerator } from '@pruefpfad/application';
import type { Infrastructure } from '@pruefpfad/composition';
import type { ProjectionsPort } from './projections.port.js';

/** What the composition root hands the Nest module: opened stores and the projection machinery. */
export interface Runtime {
  readonly config: AppConfig;
  readonly infrastructure: Infrastructure;
  readonly projections: ProjectionsPort & { stop(): Promise<void> };
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly pipeline: CommandPipeline;
  /** Durable reactors running in this process (embedded mode); stopped before the stores close. */
  readonly reactors: { stop(): Promise<void> };
  /** HS256 secret (embedded default) — absent when tokens are verified through a JWKS URL. */
  readonly signingSecret: Uint8Array | null;
}

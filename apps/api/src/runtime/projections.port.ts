import type { ProjectionOperationsPort } from '@pruefpfad/composition';

/** What the HTTP side needs of the projection machinery (embedded worker host or server-mode reader). */
export interface ProjectionStatusView {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly headPosition: number;
  readonly lag: number;
  readonly state: string;
  readonly lastError: string | null;
  /** A rebuild running right now, with its progress. */
  readonly rebuild: { readonly eventsDone: number; readonly eventsPerSecond: number; readonly percent: number } | null;
}

export interface ProjectionsPort {
  /** Resolves true once `projection` has reached `position`, false after `timeoutMs`. */
  waitForPosition(projection: string, position: number, timeoutMs: number): Promise<boolean>;
  /** Waits until every read model reflects `position` (at most `timeoutMs`); the names of those that did not. */
  waitForAll(position: number, timeoutMs: number): Promise<readonly string[]>;
  status(): Promise<readonly ProjectionStatusView[]>;
  /** Operators: list, status, rebuild and confirm on the platform's rebuild mechanism (operations context). */
  readonly operations: ProjectionOperationsPort;
}

import { codeVersionOf, type ReadModelRules, RULES_VERSION_SPAN } from '@pruefpfad/application';
import type { EventStore } from '@pruefpfad/event-store';
import {
  confirmRebuild,
  errorMessage,
  LEASE_COLLECTION,
  type LeaseRecord,
  type ProjectionDefinition,
  type ProjectionHost,
  readRebuildRecord,
  RebuildInProgressError,
  type RebuildProgress,
  rebuildProjection,
  type RebuildRecord,
  type RebuildResult,
  type RebuildState,
  UnknownProjectionError,
} from '@pruefpfad/projections';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';

/**
 * What operators see of and do with the projections: list, status, rebuild, confirm. Everything runs on
 * the platform's one rebuild mechanism (`rebuildProjection`, reached through the projection host where a
 * runner lives in this process): the new version builds into its own collection while the old one
 * serves, the alias switches atomically once caught up, the old collection stays until confirmed.
 *
 * Views carry technical state only (names, positions, counts, collection names): never a document, so an
 * operator sees no case data.
 */
export interface RebuildProgressView {
  readonly target: string;
  readonly eventsDone: number;
  readonly eventsPerSecond: number;
  /** Estimated seconds left; null until a rate is known. */
  readonly etaSeconds: number | null;
  readonly percent: number;
  readonly position: number;
  readonly startPosition: number;
  readonly headPosition: number;
  readonly elapsedMs: number;
}

/** The durable rebuild record (`_rebuilds/<name>`), as far as an operator needs it. */
export interface RebuildRecordView {
  readonly state: RebuildState;
  readonly version: number;
  readonly target: string;
  readonly previous: string | null;
  /** Old collections kept for comparison or rollback until the rebuild is confirmed. */
  readonly retained: readonly string[];
  readonly startedAt: string;
  readonly switchedAt: string | null;
  readonly error: string | null;
  /** An interrupted build of the current version: the next rebuild resumes it (unless `fresh`). */
  readonly resumable: boolean;
}

/** How the last rebuild started by this process ended. */
export interface RebuildRunView {
  readonly finishedAt: string;
  readonly ok: boolean;
  readonly target: string | null;
  readonly resumedFrom: number | null;
  readonly eventsDone: number | null;
  readonly durationMs: number | null;
  readonly dropped: readonly string[];
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface OperatorProjectionView {
  readonly name: string;
  readonly version: number;
  /** For projections that apply versioned rules: the label and the code part of the version. */
  readonly rules: { readonly version: string; readonly codeVersion: number } | null;
  /** Physical collection the alias points at; null while nothing serves yet. */
  readonly serving: string | null;
  /** The runner's state where it runs in this process; else derived from the checkpoint. */
  readonly state: string;
  readonly position: number;
  readonly headPosition: number;
  readonly lag: number;
  readonly lastError: string | null;
  /** A rebuild running now (an operator's, or the automatic build after a version change). */
  readonly rebuild: RebuildProgressView | null;
  /**
   * A build running in another process (the CLI, another node) under the rebuild lease: its progress as
   * far as the stores show it (the target's checkpoint against the head).
   */
  readonly buildingElsewhere: {
    readonly owner: string;
    readonly leaseExpiresAt: string;
    readonly target: string | null;
    readonly position: number;
    readonly headPosition: number;
    readonly percent: number;
  } | null;
  readonly lastRebuild: RebuildRecordView | null;
  readonly lastRun: RebuildRunView | null;
}

export interface RebuildStarted {
  readonly projection: string;
  readonly version: number;
  /** Set when an interrupted build is resumed: its target and checkpoint. */
  readonly resumes: { readonly target: string; readonly position: number } | null;
  readonly dropOld: boolean;
}

export interface ProjectionOperationsPort {
  list(): Promise<readonly OperatorProjectionView[]>;
  /** Throws `UnknownProjectionError` for a name that is not in the catalogue. */
  get(name: string): Promise<OperatorProjectionView>;
  /**
   * Starts a rebuild and returns once it runs; refused with `RebuildInProgressError` while a rebuild (or
   * confirmation) of the projection runs anywhere. `fresh` discards an interrupted build instead of
   * resuming it; `dropOld` confirms right after the switch.
   */
  startRebuild(
    name: string,
    options?: { readonly fresh?: boolean; readonly dropOld?: boolean },
  ): Promise<RebuildStarted>;
  /** Drops the old collections a switched rebuild kept. */
  confirm(name: string): Promise<{ readonly dropped: readonly string[] }>;
  /** Resolves when the rebuild this process runs for `name` has ended (immediately when none runs). */
  settled(name: string): Promise<RebuildRunView | null>;
}

export interface ProjectionOperationsOptions {
  readonly definitions: readonly ProjectionDefinition[];
  readonly rules: ReadModelRules;
  readonly eventStore: EventStore;
  readonly documentStore: DocumentStore;
  readonly checkpointStore: CheckpointStore;
  /**
   * The host running the projections in this process (embedded API: worker thread or in-process). Its
   * runner does the rebuild, so catch-up and rebuild never both write one projection. Without a host
   * (server-mode API, CLI) `rebuildProjection` runs here, guarded by its lease.
   */
  readonly host: ProjectionHost | null;
  /** Names of projections whose version is rule-driven (see `projectionsUnderRules`). */
  readonly ruleDriven?: ReadonlySet<string>;
  /** Progress of rebuilds run here (no host): the CLI draws its bar from it. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly batchSize?: number;
  readonly clock?: () => number;
}

interface Running {
  readonly abort: AbortController;
  progress: RebuildProgress | null;
  done: Promise<RebuildRunView> | null;
}

export class ProjectionOperations implements ProjectionOperationsPort {
  private readonly byName: ReadonlyMap<string, ProjectionDefinition>;
  private readonly running = new Map<string, Running>();
  private readonly lastRuns = new Map<string, RebuildRunView>();
  private readonly clock: () => number;

  constructor(private readonly options: ProjectionOperationsOptions) {
    this.byName = new Map(options.definitions.map((definition) => [definition.name, definition]));
    this.clock = options.clock ?? Date.now;
  }

  async list(): Promise<readonly OperatorProjectionView[]> {
    const head = await this.options.eventStore.headPosition();
    return Promise.all(this.options.definitions.map((definition) => this.view(definition, head)));
  }

  async get(name: string): Promise<OperatorProjectionView> {
    return this.view(this.definition(name), await this.options.eventStore.headPosition());
  }

  async startRebuild(
    name: string,
    options: { readonly fresh?: boolean; readonly dropOld?: boolean } = {},
  ): Promise<RebuildStarted> {
    const definition = this.definition(name);
    await this.assertIdle(name);
    const record = await readRebuildRecord(this.options.documentStore, name);
    const serving = await this.options.documentStore.resolve(name);
    const resumable = record !== null && isResumable(record, definition, serving) && options.fresh !== true;
    const resumes = resumable
      ? {
          target: record.target,
          position: (await this.options.checkpointStore.load(record.target))?.position ?? 0,
        }
      : null;
    // Checked again without an await in between: two requests of this process cannot both pass.
    if (this.running.has(name)) throw this.busy(name, 'this process');
    const entry: Running = { abort: new AbortController(), progress: null, done: null };
    this.running.set(name, entry);
    entry.done = this.run(definition, entry, { fresh: options.fresh === true, dropOld: options.dropOld === true });
    void entry.done.finally(() => {
      if (this.running.get(name) === entry) this.running.delete(name);
    });
    return { projection: name, version: definition.version, resumes, dropOld: options.dropOld === true };
  }

  async confirm(name: string): Promise<{ readonly dropped: readonly string[] }> {
    this.definition(name);
    await this.assertIdle(name);
    const result = this.options.host
      ? await this.options.host.confirmRebuild(name)
      : await confirmRebuild(name, { ...this.options, clock: this.clock });
    return { dropped: [...result.dropped] };
  }

  async settled(name: string): Promise<RebuildRunView | null> {
    this.definition(name);
    const running = this.running.get(name);
    if (running?.done == null) return this.lastRuns.get(name) ?? null;
    return running.done;
  }

  /** Interrupts rebuilds run here (they resume on the next rebuild) and waits for them to stop. */
  async stop(): Promise<void> {
    const running = [...this.running.values()];
    for (const entry of running) entry.abort.abort();
    await Promise.all(running.flatMap((entry) => (entry.done === null ? [] : [entry.done])));
  }

  private async run(
    definition: ProjectionDefinition,
    entry: Running,
    options: { readonly fresh: boolean; readonly dropOld: boolean },
  ): Promise<RebuildRunView> {
    const name = definition.name;
    let result: RebuildResult | null = null;
    let view: RebuildRunView;
    try {
      result = await this.rebuildHere(definition, entry, options.fresh);
      const dropped = options.dropOld ? (await this.confirmAfterSwitch(name)).dropped : [];
      view = {
        finishedAt: new Date(this.clock()).toISOString(),
        ok: true,
        target: result.target,
        resumedFrom: result.resumedFrom,
        eventsDone: result.eventsDone,
        durationMs: result.durationMs,
        dropped,
        error: null,
      };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      view = {
        finishedAt: new Date(this.clock()).toISOString(),
        ok: false,
        target: result?.target ?? null,
        resumedFrom: result?.resumedFrom ?? null,
        eventsDone: result?.eventsDone ?? null,
        durationMs: result?.durationMs ?? null,
        dropped: [],
        error: { code: typeof code === 'string' ? code : 'REBUILD_FAILED', message: errorMessage(error) },
      };
    }
    this.lastRuns.set(name, view);
    return view;
  }

  private rebuildHere(definition: ProjectionDefinition, entry: Running, fresh: boolean): Promise<RebuildResult> {
    const host = this.options.host;
    // The host's runner aborts its rebuild when the host stops; it resumes on the next rebuild.
    if (host !== null) return host.rebuild(definition.name, { fresh });
    return rebuildProjection(definition, {
      eventStore: this.options.eventStore,
      documentStore: this.options.documentStore,
      checkpointStore: this.options.checkpointStore,
      fresh,
      signal: entry.abort.signal,
      batchSize: this.options.batchSize,
      clock: this.clock,
      onProgress: (progress) => {
        entry.progress = progress;
        this.options.onProgress?.(progress);
      },
    });
  }

  private confirmAfterSwitch(name: string): Promise<{ readonly dropped: readonly string[] }> {
    return this.options.host
      ? this.options.host.confirmRebuild(name)
      : confirmRebuild(name, { ...this.options, clock: this.clock });
  }

  /**
   * Refuses while a rebuild of `name` runs: in this process (an operator's, or the runner's automatic
   * build after a version change, which holds the same lease owner and would not be refused by the
   * lease), or anywhere else (the lease `rebuild:<name>`, e.g. the CLI or another node).
   */
  private async assertIdle(name: string): Promise<void> {
    if (this.running.has(name)) throw this.busy(name, 'this process');
    const status = this.options.host?.status().find((candidate) => candidate.name === name);
    if (status?.rebuild != null) throw this.busy(name, 'the projection runner of this process');
    const lease = await this.leaseHolder(name);
    if (lease !== null) throw new RebuildInProgressError(name, lease.owner, new Date(lease.expiresAt).toISOString());
  }

  /** The unexpired holder of the rebuild lease of `name`, if any. */
  private async leaseHolder(name: string): Promise<LeaseRecord | null> {
    const lease = (await this.options.documentStore.get(LEASE_COLLECTION, `rebuild:${name}`)) as LeaseRecord | null;
    return lease !== null && lease.expiresAt > this.clock() ? lease : null;
  }

  private async buildingElsewhere(
    lease: LeaseRecord,
    record: RebuildRecord | null,
    head: number,
  ): Promise<OperatorProjectionView['buildingElsewhere']> {
    const target = record?.state === 'building' ? record.target : null;
    const position = target === null ? 0 : ((await this.options.checkpointStore.load(target))?.position ?? 0);
    const headPosition = Math.max(head, position);
    return {
      owner: lease.owner,
      leaseExpiresAt: new Date(lease.expiresAt).toISOString(),
      target,
      position,
      headPosition,
      percent: headPosition > 0 ? Math.round((1000 * position) / headPosition) / 10 : 100,
    };
  }

  private busy(name: string, holder: string): RebuildInProgressError {
    return new RebuildInProgressError(name, holder, new Date(this.clock()).toISOString());
  }

  private definition(name: string): ProjectionDefinition {
    const definition = this.byName.get(name);
    if (definition === undefined) throw new UnknownProjectionError(name);
    return definition;
  }

  private async view(definition: ProjectionDefinition, head: number): Promise<OperatorProjectionView> {
    const { documentStore, checkpointStore } = this.options;
    const name = definition.name;
    const resolved = await documentStore.resolve(name);
    const serving = resolved === name ? null : resolved;
    const record = await readRebuildRecord(documentStore, name);
    const status = this.options.host?.status().find((candidate) => candidate.name === name);
    const running = this.running.get(name);
    const progress = status?.rebuild ?? running?.progress ?? null;
    let position: number;
    let headPosition: number;
    let state: string;
    if (status !== undefined) {
      ({ position, headPosition, state } = status);
    } else {
      position = serving === null ? 0 : ((await checkpointStore.load(serving))?.position ?? 0);
      headPosition = Math.max(head, position);
      state = progress !== null ? 'rebuilding' : serving === null ? 'not-built' : 'checkpoint';
    }
    const lease = await this.leaseHolder(name);
    const elsewhere =
      lease === null || progress !== null || running !== undefined
        ? null
        : await this.buildingElsewhere(lease, record, head);
    return {
      name,
      version: definition.version,
      rules:
        this.options.ruleDriven?.has(name) === true && definition.version >= RULES_VERSION_SPAN
          ? { version: this.options.rules.version, codeVersion: codeVersionOf(definition.version) }
          : null,
      serving,
      state,
      position,
      headPosition,
      lag: Math.max(0, headPosition - position),
      lastError: status?.lastError?.message ?? null,
      rebuild: progress === null ? null : progressView(progress),
      buildingElsewhere: elsewhere,
      lastRebuild: record === null ? null : recordView(record, definition, resolved),
      lastRun: this.lastRuns.get(name) ?? null,
    };
  }
}

function isResumable(record: RebuildRecord, definition: ProjectionDefinition, serving: string): boolean {
  return record.state === 'building' && record.version === definition.version && record.target !== serving;
}

function progressView(progress: RebuildProgress): RebuildProgressView {
  return {
    target: progress.target,
    eventsDone: progress.eventsDone,
    eventsPerSecond: progress.eventsPerSecond,
    etaSeconds: progress.etaSeconds,
    percent: Math.round(progress.percent * 10) / 10,
    position: progress.position,
    startPosition: progress.startPosition,
    headPosition: progress.headPosition,
    elapsedMs: progress.elapsedMs,
  };
}

function recordView(record: RebuildRecord, definition: ProjectionDefinition, serving: string): RebuildRecordView {
  return {
    state: record.state,
    version: record.version,
    target: record.target,
    previous: record.previous,
    retained: [...record.retained],
    startedAt: record.startedAt,
    switchedAt: record.switchedAt,
    error: record.error,
    resumable: isResumable(record, definition, serving),
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig, Clock, IdGenerator } from '@pruefpfad/application';
import { type PurgeRun, runRetentionPurge } from '@pruefpfad/composition';
import type { PurgeTrigger } from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import type { KeyStore } from '@pruefpfad/privacy';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import type { Runtime } from '../runtime/runtime.js';
import {
  APP_CONFIG,
  CHECKPOINT_STORE,
  CLOCK,
  DOCUMENT_STORE,
  EVENT_STORE,
  ID_GENERATOR,
  KEY_STORE,
  RUNTIME,
} from '../runtime/tokens.js';

/** The retention purge with the app's stores: the daily job and the operator endpoint run it. */
@Injectable()
export class RetentionService {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    private readonly freshness: ReadModelFreshness,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  run(options: {
    readonly dryRun: boolean;
    readonly trigger: PurgeTrigger;
    readonly tenant?: string;
  }): Promise<PurgeRun> {
    return runRetentionPurge(
      {
        eventStore: this.eventStore,
        documents: this.documents,
        clock: this.clock,
        ids: this.ids,
        rulesVersion: this.config.rulesVersion,
        readModelsCurrent: () => this.freshness.awaitCurrentAll(),
        keyStore: this.keyStore,
        purgeLedger: this.runtime.infrastructure.purgeLedger,
        populationReferenceDays: this.config.sampling.populationReferenceDays,
        checkpoints: this.checkpoints,
      },
      options,
    );
  }
}

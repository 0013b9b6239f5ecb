import { Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AppConfig, Clock, IdGenerator, StreamStates } from '@pruefpfad/application';
import { OPEN_REVIEWS_REACTOR, reactorReached } from '@pruefpfad/composition';
import type { EventStore } from '@pruefpfad/event-store';
import type { Envelope, KeyStore } from '@pruefpfad/privacy';
import { POPULATIONS } from '@pruefpfad/projections';
import type { CheckpointStore, DocumentStore } from '@pruefpfad/read-store';
import { ExecuteCommand } from '../commands/execute-command.js';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import { OrganisationModule } from '../organisation/organisation.module.js';
import {
  APP_CONFIG,
  CHECKPOINT_STORE,
  CLOCK,
  DOCUMENT_STORE,
  ENVELOPE,
  EVENT_STORE,
  ID_GENERATOR,
  KEY_STORE,
  STREAM_STATES,
} from '../runtime/tokens.js';
import { PopulationImportService } from './population-import.service.js';
import { PopulationsController } from './populations.controller.js';
import type { ExecuteFn } from './sampling.aggregates.js';
import { SamplesController } from './samples.controller.js';
import { SamplingQueries } from './sampling.queries.js';
import { SamplingService } from './sampling.service.js';

/** Over HTTP every write goes through the command bus (metrics, one handler); the CLI uses the pipeline. */
const viaBus =
  (bus: CommandBus): ExecuteFn =>
  (aggregate, request) =>
    bus.execute(new ExecuteCommand(aggregate, request));

/** Populations and verifiable sampling: import, draw, supplementary draws, replacements, verification. */
@Module({
  imports: [OrganisationModule],
  controllers: [PopulationsController, SamplesController],
  providers: [
    SamplingQueries,
    {
      provide: PopulationImportService,
      // Not through the command bus: an import is a series of bounded appends with event ids of its own
      // (see PopulationImportService), which the one-append pipeline cannot make.
      inject: [EVENT_STORE, STREAM_STATES, KEY_STORE, ENVELOPE, CLOCK, APP_CONFIG, DOCUMENT_STORE, ReadModelFreshness],
      useFactory: (
        eventStore: EventStore,
        streams: StreamStates,
        keyStore: KeyStore,
        envelope: Envelope,
        clock: Clock,
        config: AppConfig,
        documents: DocumentStore,
        freshness: ReadModelFreshness,
      ) =>
        new PopulationImportService({
          eventStore,
          streams,
          keyStore,
          envelope,
          clock,
          populationReferenceDays: config.sampling.populationReferenceDays,
          rulesVersion: config.rulesVersion,
          documents,
          populationsCurrent: () => freshness.awaitCurrent([POPULATIONS]),
        }),
    },
    {
      provide: SamplingService,
      inject: [
        CommandBus,
        EVENT_STORE,
        STREAM_STATES,
        DOCUMENT_STORE,
        KEY_STORE,
        ID_GENERATOR,
        CLOCK,
        SamplingQueries,
        ENVELOPE,
        APP_CONFIG,
        CHECKPOINT_STORE,
      ],
      useFactory: (
        bus: CommandBus,
        eventStore: EventStore,
        streams: StreamStates,
        documents: DocumentStore,
        keyStore: KeyStore,
        ids: IdGenerator,
        clock: Clock,
        queries: SamplingQueries,
        envelope: Envelope,
        config: AppConfig,
        checkpoints: CheckpointStore,
      ) =>
        new SamplingService({
          eventStore,
          streams,
          documents,
          keyStore,
          sampling: config.sampling,
          ids,
          clock,
          execute: viaBus(bus),
          awaitReadModels: (names) => queries.awaitReadModels(names),
          reviewsOpened: (position) => reactorReached(checkpoints, OPEN_REVIEWS_REACTOR, position, config.maxWaitMs),
          seal: (keyId, value) => envelope.seal(keyId, value),
          open: (sealed) => envelope.openOrNull(sealed),
        }),
    },
  ],
  // The audit context verifies samples and shows their procedure reasons with the same services.
  exports: [SamplingService, SamplingQueries],
})
export class SamplingModule {}

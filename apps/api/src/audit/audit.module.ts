import { Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Clock, IdGenerator } from '../../../../libs/application/src/clock.js';
import type { AppConfig } from '../../../../libs/application/src/config.js';
import type { KeyStore } from '../../../../libs/privacy/src/key-store.port.js';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port.js';
import type { DocumentStore } from '../../../../libs/read-store/src/read-store.port.js';
import { ExecuteCommand } from '../commands/execute-command.js';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { SamplingQueries } from '../sampling/sampling.queries.js';
import { SamplingService } from '../sampling/sampling.service.js';
import { APP_CONFIG, CLOCK, DOCUMENT_STORE, EVENT_STORE, ID_GENERATOR, KEY_STORE } from '../runtime/tokens.js';
import { AuditExportsService } from './audit-exports.service.js';
import { AuditPrivacy } from './audit-privacy.js';
import { AuditSamplesService } from './audit-samples.service.js';
import { AuditController } from './audit.controller.js';
import { ReviewAuditController } from './review-audit.controller.js';
import { ReviewHistoryService } from './review-history.service.js';
import { TimeTravelService } from './time-travel.service.js';
import { registerChainVerification } from './chain-verification.module.js';

/**
 * HTTP endpoints of the audit context: review histories, time travel, sample verification by month and
 * audit exports (the history owner's), plus tamper evidence (registered below by its owner).
 *
 * The sampling context's `SamplingService` is built here the same way the sampling module builds it (its
 * module exports nothing): the audit only calls its `verify`, which reads the event store.
 */
@Module({
  imports: [OrganisationModule],
  controllers: [ReviewAuditController, AuditController],
  providers: [
    AuditPrivacy,
    ReviewHistoryService,
    TimeTravelService,
    AuditSamplesService,
    AuditExportsService,
    SamplingQueries,
    {
      provide: SamplingService,
      inject: [CommandBus, EVENT_STORE, DOCUMENT_STORE, KEY_STORE, ID_GENERATOR, CLOCK, ReadModelFreshness, APP_CONFIG],
      useFactory: (
        bus: CommandBus,
        eventStore: EventStore,
        documents: DocumentStore,
        keyStore: KeyStore,
        ids: IdGenerator,
        clock: Clock,
        freshness: ReadModelFreshness,
        config: AppConfig,
      ) =>
        new SamplingService({
          eventStore,
          documents,
          keyStore,
          sampling: config.sampling,
          ids,
          clock,
          execute: (aggregate, request) => bus.execute(new ExecuteCommand(aggregate, request)),
          awaitReadModels: (names) => freshness.awaitCurrent(names),
        }),
    },
  ],
})
export class AuditModule {}
registerChainVerification(AuditModule);

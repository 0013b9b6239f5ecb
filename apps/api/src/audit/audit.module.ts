import { Module } from '@nestjs/common';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { SamplingModule } from '../sampling/sampling.module.js';
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
 * Sample verification uses the sampling context's own services (`SamplingService.verify`, and
 * `SamplingQueries` for a sample's procedure reasons).
 */
@Module({
  imports: [OrganisationModule, SamplingModule],
  controllers: [ReviewAuditController, AuditController],
  providers: [AuditPrivacy, ReviewHistoryService, TimeTravelService, AuditSamplesService, AuditExportsService],
  exports: [AuditPrivacy],
})
export class AuditModule {}
registerChainVerification(AuditModule);

import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { RiskReassessmentDeadlines, RiskRecheckDeadlines } from './risk.deadlines.js';
import { riskRulesProvider } from './risk-rules.provider.js';
import { RisksController } from './risks.controller.js';
import { RisksQueries } from './risks.queries.js';

/** The risk register of the internal control system (issue 12, 001:107–125). */
@Module({
  imports: [AuditModule],
  controllers: [RisksController],
  providers: [RisksQueries, riskRulesProvider, RiskReassessmentDeadlines, RiskRecheckDeadlines],
  exports: [RisksQueries],
})
export class RisksModule {}

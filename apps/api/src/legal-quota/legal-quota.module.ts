import { Module } from '@nestjs/common';
import { LegalQuotaController } from './legal-quota.controller.js';
import { LegalQuotaQueries, legalQuotaRulesProvider } from './legal-quota.queries.js';

/** The legal department's avoidable-appeal quota; its queries feed the legal report and the management dashboard. */
@Module({
  controllers: [LegalQuotaController],
  providers: [LegalQuotaQueries, legalQuotaRulesProvider],
  exports: [LegalQuotaQueries],
})
export class LegalQuotaModule {}

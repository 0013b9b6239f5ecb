import { Module } from '@nestjs/common';
import { LegalQuotaModule } from '../legal-quota/legal-quota.module.js';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { LegalReportsController } from './legal-reports.controller.js';
import { ReportOverviewController } from './report-overview.controller.js';
import { ReportsQueries } from './reports.queries.js';
import { TeamFiguresQueries } from './team-figures.queries.js';
import { TeamReportsController } from './team-reports.controller.js';

/** Quarterly reports: team reports, the legal department's report, status views and area summaries. */
@Module({
  imports: [OrganisationModule, LegalQuotaModule],
  controllers: [TeamReportsController, LegalReportsController, ReportOverviewController],
  providers: [TeamFiguresQueries, ReportsQueries],
  exports: [TeamFiguresQueries, ReportsQueries],
})
export class ReportsModule {}

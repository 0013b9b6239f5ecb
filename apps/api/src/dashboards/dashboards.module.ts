import { Module } from '@nestjs/common';
import { LegalQuotaModule } from '../legal-quota/legal-quota.module.js';
import { OrganisationModule } from '../organisation/organisation.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { TrendsModule } from '../trends/trends.module.js';
import { DashboardsController } from './dashboards.controller.js';
import { DashboardsQueries } from './dashboards.queries.js';

/** JSON dashboards (team lead, area head, management) over the same facts as the quarterly reports. */
@Module({
  imports: [OrganisationModule, ReportsModule, TrendsModule, LegalQuotaModule],
  controllers: [DashboardsController],
  providers: [DashboardsQueries],
})
export class DashboardsModule {}

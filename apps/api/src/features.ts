import { AccessLogModule } from './access-log/access-log.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CrossLevelModule } from './cross-level/cross-level.module.js';
import { DashboardsModule } from './dashboards/dashboards.module.js';
import { IndicatorsModule } from './indicators/indicators.module.js';
import { InboxModule } from './inbox/inbox.module.js';
import { LegalQuotaModule } from './legal-quota/legal-quota.module.js';
import { MeasuresModule } from './measures/measures.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { OrganisationModule } from './organisation/organisation.module.js';
import { QuestionnairesModule } from './questionnaires/questionnaires.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { ReviewsModule } from './reviews/reviews.module.js';
import { RisksModule } from './risks/risks.module.js';
import { SamplingModule } from './sampling/sampling.module.js';
import { TrendsModule } from './trends/trends.module.js';

/** The Fachaufsicht feature modules, each owning its controllers and query services. */
export const FEATURE_MODULES = [
  OrganisationModule,
  QuestionnairesModule,
  SamplingModule,
  ReviewsModule,
  MeasuresModule,
  IndicatorsModule,
  ReportsModule,
  DashboardsModule,
  AuditModule,
  TrendsModule,
  OperationsModule,
  AccessLogModule,
  CrossLevelModule,
  RetentionModule,
  RisksModule,
  InboxModule,
  LegalQuotaModule,
];

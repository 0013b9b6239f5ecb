/**
 * @pruefpfad/projections: the read side.
 *
 * For: projection definitions and the read models of every context (reviews, sampling, measures, reports,
 * dashboards, trends, organisation, questionnaires, retention, access log, cross-level), the pipelined
 * projection processor and runner, in-process and worker-thread hosts, blue/green rebuilds, leases, the
 * wait for a position (read-your-writes) and durable reactors.
 *
 * Exports: the names below; `@pruefpfad/projections/testing` adds fixtures for tests only (not built).
 *
 * Must not depend on: privacy (read models carry sealed values, never keys), composition or any app.
 */

export { errorMessage } from './backoff.js';
export { foldBatch } from './fold-batch.js';
export { DocumentLease, LEASE_COLLECTION, leaseOwner, type LeaseRecord } from './lease.js';
export { LeasedWork } from './leased-work.js';
export { InProcessProjectionHost, type ProjectionHost, WorkerProjectionHost } from './projection-host.js';
export { ProjectionRunner } from './projection-runner.js';
export {
  type ProjectionStatus,
  RebuildInProgressError,
  type RebuildProgress,
  UnknownProjectionError,
} from './projection-status.js';
export type { ProjectionStores, ProjectionWorkerContext, ProjectionWorkerData } from './projection-worker-protocol.js';
export { physicalCollection, type ProjectionDefinition } from './projection.js';
export { purgedStreams } from './purged-streams.js';
export {
  appendOnce,
  PermanentReactorError,
  reactorCheckpointName,
  type ReactorDefinition,
  ReactorRunner,
  type ReactorStatus,
} from './reactor.js';
export { ACCESS_LOG, type AccessLogDoc } from './read-models/access-log/access-log.doc.js';
export { ACCESS_LOG_READ_MODELS } from './read-models/access-log/index.js';
export {
  type CaseCopyDoc,
  CROSS_LEVEL_CASE_COPIES,
  CROSS_LEVEL_REVIEWS,
  CROSS_LEVEL_TENANT_REGIONS,
  type CrossLevelReviewDoc,
  type TenantRegionDoc,
} from './read-models/cross-level/cross-level.docs.js';
export { CROSS_LEVEL_READ_MODELS } from './read-models/cross-level/index.js';
export { DASHBOARDS_READ_MODELS } from './read-models/dashboards/index.js';
export {
  type MeasureFactDoc,
  type ProgrammeFactDoc,
  type ReviewFactDoc,
  TEAM_FIGURES,
} from './read-models/dashboards/team-figures.doc.js';
export {
  TEAM_FIGURES_CODE_VERSION,
  teamFiguresProjection,
  teamFiguresProjectionFor,
} from './read-models/dashboards/team-figures.projection.js';
export {
  addDefects,
  addReviewFigures,
  type DefectMatrix,
  emptyReviewFigures,
  measureFigures,
  type MeasureFigures,
  type ReviewFigures,
  seriousDefectsOf,
  sumCells,
  type TeamInfo,
  type TeamMonthCell,
  teamMonthCells,
} from './read-models/dashboards/team-figures.js';
export { MEASURES_READ_MODELS } from './read-models/measures/index.js';
export { type MeasureDoc, MEASURES } from './read-models/measures/measure.doc.js';
export { ORGANISATION_READ_MODELS } from './read-models/organisation/index.js';
export {
  ORGANISATION_UNITS,
  type OrganisationUnitDoc,
  organisationUnitDocId,
} from './read-models/organisation/organisation-unit.doc.js';
export { type ProgrammeDoc, programmesProjection } from './read-models/programmes.projection.js';
export { QUESTIONNAIRES_READ_MODELS } from './read-models/questionnaires/index.js';
export {
  type QuestionnaireDoc,
  questionnaireDocId,
  QUESTIONNAIRES,
} from './read-models/questionnaires/questionnaire.doc.js';
export { INDICATOR_READ_MODELS } from './read-models/indicators/index.js';
export {
  INDICATOR_MONTHS,
  type IndicatorMonthDoc,
  type IndicatorRatingEntry,
} from './read-models/indicators/indicator-month.doc.js';
export { LEGAL_QUOTA_READ_MODELS } from './read-models/legal-quota/index.js';
export { LEGAL_QUOTA, type LegalQuotaDoc } from './read-models/legal-quota/legal-quota.doc.js';
export { REPORTS_READ_MODELS } from './read-models/reports/index.js';
export { RISKS_READ_MODELS } from './read-models/risks/index.js';
export {
  AREA_RISK_ANALYSES,
  type AreaRiskAnalysisDoc,
  type RiskDoc,
  RISKS,
  type RiskTreatmentView,
} from './read-models/risks/risk.doc.js';
export { type ReportDoc, REPORTS } from './read-models/reports/report.doc.js';
export { RETENTION_READ_MODELS } from './read-models/retention/index.js';
export { summariseReview } from './read-models/retention/retention-summary.js';
export {
  type LegalHoldDoc,
  legalHoldId,
  type PurgeRecordDoc,
  purgeRecordId,
  RETENTION,
  type RetentionDoc,
} from './read-models/retention/retention.doc.js';
export { REVIEWS_READ_MODELS } from './read-models/reviews/index.js';
export { type ReviewDoc, REVIEWS } from './read-models/reviews/review.doc.js';
export { reviewsProjection } from './read-models/reviews/reviews.projection.js';
export { SAMPLING_READ_MODELS } from './read-models/sampling/index.js';
export {
  type PopulationDoc,
  POPULATIONS,
  type SampleCaseDoc,
  type SampleDoc,
  type SampleFollowUpDoc,
  SAMPLES,
} from './read-models/sampling/sample.doc.js';
export { TRENDS_READ_MODELS } from './read-models/trends/index.js';
export {
  type CategoryFigure,
  type ErrorRateFigure,
  percentOfMinimum,
  type PeriodFigures,
  ratio,
  trendFigures,
  type TrendFigures,
  type TrendFilter,
} from './read-models/trends/trend-figures.js';
export { type Granularity, monthsBetween, periodsOf } from './read-models/trends/trend-periods.js';
export {
  TREND_CONTEXT,
  TREND_MEASURES,
  TREND_REVIEWS,
  type TrendContextDoc,
  type TrendMeasureDoc,
  type TrendProgrammeDoc,
  trendProgrammeId,
  type TrendReportDoc,
  type TrendReviewDoc,
  trendReviewId,
  type TrendRoutineDoc,
  trendRoutineId,
} from './read-models/trends/trend.docs.js';
export {
  confirmRebuild,
  DEFAULT_REBUILD_BATCH_SIZE,
  readRebuildRecord,
  RebuildInterruptedError,
  rebuildProjection,
  type RebuildRecord,
  type RebuildResult,
  type RebuildState,
} from './rebuild.js';
export { CheckpointPositionSource } from './wait-for-position.js';

/**
 * @pruefpfad/domain: the rules of Fachaufsicht (supervision) as pure functions.
 *
 * For: the deciders of every aggregate (review, measure, programme, questionnaire, sampling and population,
 * report, organisation, legal hold, routine, cross-level review), their events and event schemas, the
 * authorisation policy (roles, scopes, rules), the calendar of months, quarters and deadlines, the draw and
 * its verification, small-cell suppression, error-rate judging and the audit helpers (history lines,
 * time travel by folding, sealed-field bookkeeping).
 *
 * Exports: the names below, one module per line; everything else in `src/` is private.
 *
 * Must not depend on: any other library, any framework, driver or Node built-in. No clock, no
 * randomness, no I/O: time, ids and random seeds come in as inputs (ESLint enforces this).
 */

export {
  ACCESS_LOG_EVENT_SCHEMAS,
  ACCESS_PURPOSES,
  ACCESS_RESOURCE_KINDS,
  type AccessedResource,
  type AccessLogEvent,
  accessLogStreamId,
  type AccessNote,
  type AccessPurpose,
  mergeAccessNotes,
  sealedFieldNames,
} from './access-log/access-log.events.js';
export { type AsOfCut, foldAsOf, type StreamEntry } from './audit/as-of.js';
export { type HistoryLine, renderHistoryLine } from './audit/history-lines.js';
export {
  collectSealed,
  mapSealed,
  numberSealedValues,
  pseudonymiseSealed,
  sealedIdentity,
} from './audit/sealed-fields.js';
export {
  AccessDeniedError,
  type Action,
  assertCanAccess,
  decide,
  isAction,
  POLICY,
  type Resource,
  visibility,
  type Visibility,
} from './authorization/authorization.policy.js';
export { isRole, type Principal, type Role, ROLES, type Rule } from './authorization/roles.js';
export {
  addDays,
  addMonths,
  addMonthsToDate,
  firstDayOfMonth,
  isLocalDate,
  isMonth,
  lastDayOfMonth,
  monthOf,
  monthsOfQuarter,
  monthSpan,
  type Quarter,
  quarterOf,
  reportDueDate,
  reviewDeadline,
} from './calendar/local-date.js';
export {
  type CrossLevelReviewCommand,
  crossLevelReviewDecider,
  crossLevelReviewEndsOn,
  type CrossLevelReviewState,
  crossLevelReviewStatus,
  type TenantRegionCommand,
  tenantRegionDecider,
  type TenantRegionState,
} from './cross-level/cross-level.decider.js';
export {
  CROSS_LEVEL_REVIEW_EVENT_SCHEMAS,
  type CrossLevelReviewApproved,
  type CrossLevelReviewEvent,
  type CrossLevelReviewScope,
  crossLevelReviewStreamId,
  TENANT_REGION_EVENT_SCHEMAS,
  type TenantRegionEvent,
  tenantRegionStreamId,
} from './cross-level/cross-level.events.js';
export { isSmallCell, type SuppressionResult, suppressSmallCellsOfEach } from './cross-level/small-cell-suppression.js';
export {
  capacityFigure,
  type CapacityFigure,
  type CapacityInput,
  computeIndicatorFigures,
  DEFAULT_INDICATOR_SETTINGS,
  type GraduateFigure,
  hasIndicator,
  INDICATOR_KINDS,
  type IndicatorCases,
  type IndicatorFigures,
  type IndicatorKind,
  indicatorPercent,
  type IndicatorSettings,
  type ShareFigure,
  sharePercent,
} from './indicators/indicator-figures.js';
export {
  INDICATOR_RATING_LABEL,
  indicatorRatingDeadline,
  type IndicatorMonthFacts,
} from './indicators/indicator-deadline.js';
export {
  capacityUsePercent,
  contactWindowStart,
  counsellingContactOutcome,
  type CounsellingCase,
  FIRST_CONSULTATION_EXCEPTIONS,
  type FirstConsultationCase,
  type FirstConsultationException,
  firstConsultationOutcome,
  GRADUATE_DAYS_AFTER_WIDE,
  GRADUATE_DAYS_BEFORE,
  type GraduateCase,
  graduateOutcome,
  graduateStillOpen,
  graduateWindow,
  NEW_CUSTOMER_REASONS,
  type NewCustomerReason,
  PLACEMENT_STATUSES,
  type PlacementStatus,
  possibleSlots,
  REGISTERED_FOR_PLACEMENT,
  type RuleOutcome,
  STANDARD_COUNSELLING_SHARE_PERCENT,
  STATUTORY_CONTACT_INTERVAL_MONTHS,
} from './indicators/indicator-rules.js';
export {
  type IndicatorMonthCommand,
  indicatorMonthDecider,
  type IndicatorMonthState,
  type IndicatorSettingsCommand,
  indicatorSettingsDecider,
  indicatorSettingsProblems,
  type IndicatorSettingsState,
  settingsInForce,
} from './indicators/indicators.decider.js';
export {
  INDICATOR_EVENT_TYPES,
  INDICATOR_MONTH_EVENT_SCHEMAS,
  INDICATOR_RATINGS,
  INDICATOR_SETTINGS_EVENT_SCHEMAS,
  type IndicatorDataImported,
  type IndicatorEvent,
  indicatorMonthId,
  indicatorMonthKeyId,
  type IndicatorMonthEvent,
  indicatorMonthStreamId,
  type IndicatorRated,
  type IndicatorRating,
  type IndicatorSettingsAgreed,
  type IndicatorSettingsEvent,
  indicatorSettingsId,
  indicatorSettingsKeyId,
  indicatorSettingsStreamId,
  type IndicatorSource,
  type RecordedRiskPlacement,
  type TeamRiskProposed,
  type TeamRiskRated,
} from './indicators/indicators.events.js';
export {
  actingRoleFor,
  type MeasureCommand,
  measureDecider,
  type MeasureOperation,
  type MeasureState,
} from './measure/measure.decider.js';
export {
  AREA_HEAD_MEASURES,
  MEASURE_EVENT_SCHEMAS,
  MEASURE_KINDS,
  MEASURE_SCOPES,
  type MeasureAgreed,
  type MeasureCancelled,
  type MeasureCompleted,
  type MeasureEvent,
  type MeasureFollowedUp,
  measureKeyId,
  type MeasureKind,
  type MeasureScope,
  measureStreamId,
} from './measure/measure.events.js';
export {
  addTotals as addLegalQuotaTotals,
  DEFAULT_LEGAL_QUOTA_TARGETS,
  emptyTotals as emptyLegalQuotaTotals,
  legalQuota,
  type LegalQuota,
  type LegalQuotaTargets,
  NO_FIGURE_TEXT,
  type QuotaShare,
  quotaShare,
  rowTotals as legalQuotaRowTotals,
  shareText,
  type ShareStatus,
  totalsOf as legalQuotaTotalsOf,
} from './legal-quota/legal-quota.arithmetic.js';
export { type LegalQuotaCommand, legalQuotaDecider, type LegalQuotaState } from './legal-quota/legal-quota.decider.js';
export {
  AVOIDABLE_REASONS,
  type AvoidableByReason,
  type AvoidableReason,
  LEGAL_QUOTA_EVENT_SCHEMAS,
  type LegalQuotaEvent,
  type LegalQuotaFiguresCorrected,
  type LegalQuotaFiguresRecorded,
  legalQuotaId,
  legalQuotaKeyId,
  type LegalQuotaRow,
  legalQuotaStreamId,
  type LegalQuotaTotals,
} from './legal-quota/legal-quota.events.js';
export { type LegalQuotaRowInput, LEGAL_NORM_MAX_LENGTH } from './legal-quota/legal-quota.validation.js';
export { UNIT_ID_PATTERN } from './organisation/organisation-load.js';
export type { AreaInput, OrganisationCommand, PersonInput } from './organisation/organisation.commands.js';
export { organisationDecider } from './organisation/organisation.decider.js';
export {
  ORGANISATION_EVENT_SCHEMAS,
  type OrganisationEvent,
  organisationKeyId,
  organisationStreamId,
} from './organisation/organisation.events.js';
export type { OrganisationState, UnitState } from './organisation/organisation.state.js';
export { type ProgrammeCommand, programmeDecider, type ProgrammeState } from './programme/programme.decider.js';
export {
  type ErrorRatePolicy,
  PROGRAMME_EVENT_SCHEMAS,
  type ProgrammeDefined,
  type ProgrammeEvent,
  type ProgrammeRevised,
  type ProgrammeSettings,
  programmeStreamId,
  type StaffCouncilParticipation,
} from './programme/programme.events.js';
export {
  type QuestionnaireCommand,
  questionnaireDecider,
  type QuestionnaireState,
  type VersionContent,
} from './questionnaire/questionnaire.decider.js';
export {
  type AnswerType,
  type Question,
  QUESTIONNAIRE_EVENT_SCHEMAS,
  type QuestionnaireEvent,
  questionnaireStreamId,
  type QuestionnaireVersionPublished,
  type RegionalQuestionsAdded,
  type Section,
} from './questionnaire/questionnaire.events.js';
export { questionsFor, type RegionalQuestion, versionInForce } from './questionnaire/questionnaire.in-force.js';
export {
  ANSWER_TYPES,
  type Problems,
  QUESTION_LIMITS,
  QUESTIONNAIRE_ID_PATTERN,
  validateSections,
} from './questionnaire/questionnaire.validation.js';
export {
  legalReportObligation,
  type ReportingProgramme,
  type ReportObligation,
  reportStatus,
  type ReportStatus,
  teamReportObligation,
  worksUnder,
} from './report/report-obligation.js';
export { type ReportCommand, reportDecider, type ReportState } from './report/report.decider.js';
export {
  LEGAL_UNIT_ID,
  type LegalReportSubmitted,
  REPORT_EVENT_SCHEMAS,
  type ReportEvent,
  type ReportFigures,
  reportId,
  reportKeyId,
  reportStreamId,
  type ReportSubmitted,
} from './report/report.events.js';
export { legalHoldAggregate, type LegalHoldCommand, legalHoldDecider } from './retention/legal-hold.decider.js';
export {
  LEGAL_HOLD_EVENT_SCHEMAS,
  type LegalHoldEvent,
  legalHoldStreamId,
  POPULATION_PURGE_EVENT_SCHEMAS,
  type PopulationPurged,
  type PopulationPurgeEvent,
  type PopulationPurgeStarted,
  populationPurgeStreamId,
  PURGE_EVENT_SCHEMAS,
  type PurgeEvent,
  purgeStreamId,
  type PurgeTrigger,
  RETENTION_SUMMARY_SCHEMA,
  retentionStreamId,
  type RetentionSummary,
  type RetentionSummaryRecorded,
  type ReviewPurged,
  type ReviewPurgeStarted,
  type SummaryMeasure,
} from './retention/retention.events.js';
export { retentionVerdict, type RetentionVerdict } from './retention/retention.policy.js';
export { reviewAggregate } from './review/review.aggregate.js';
export { type AnswerEntry, type Outcome, type ReviewCommand, reviewDecider } from './review/review.decider.js';
export { REVIEW_DEFAULTS } from './review/review.defaults.js';
export {
  type AnswersRecorded,
  type AnswerValue,
  type CaseSampled,
  REVIEW_EVENT_SCHEMAS,
  type ReviewCorrected,
  type ReviewEvent,
  reviewKeyId,
  reviewStreamId,
  type ReviewWithdrawn,
  type Severity,
} from './review/review.events.js';
export {
  type QuestionnaireSource,
  questionsForReview,
  requireQuestionsForReview,
  type ReviewQuestion,
  type ReviewQuestionDetail,
} from './review/review.questions.js';
export {
  DEFAULT_RISK_MATRIX,
  isAboveAppetite,
  placeRisk,
  type RiskAppetite,
  type RiskAssessment,
  riskAssessmentProblems,
  type RiskLevel,
  type RiskMatrix,
  riskMatrixCells,
  riskMatrixProblems,
  type RiskPlacement,
  RISK_SCALE_LIMITS,
} from './risk/risk-matrix.js';
export {
  areaRiskAnalysisDecider,
  type AreaRiskAnalysisCommand,
  type AreaRiskAnalysisState,
  DEFAULT_RISK_RULES,
  type RiskCommand,
  riskDecider,
  type RiskMatrixCommand,
  riskMatrixDecider,
  type RiskMatrixState,
  type RiskRules,
  type RiskState,
  type RiskTreatment,
} from './risk/risk.decider.js';
export {
  AREA_RISK_ANALYSIS_EVENT_SCHEMAS,
  type AreaRiskAnalysisConsolidated,
  type AreaRiskAnalysisEvent,
  areaRiskAnalysisId,
  areaRiskAnalysisStreamId,
  EXTERNAL_AUDITORS,
  type ExternalAuditor,
  type RecordedRiskAssessment,
  RISK_EVENT_SCHEMAS,
  RISK_MATRIX_EVENT_SCHEMAS,
  RISK_SOURCES,
  RISK_STRATEGIES,
  type RiskAssessed,
  type RiskClosed,
  type RiskEvent,
  type RiskIdentified,
  type RiskLinks,
  type RiskMatrixEvent,
  type RiskMatrixSet,
  riskMatrixStreamId,
  type RiskReassessed,
  type RiskSource,
  type RiskSourceKind,
  type RiskStrategy,
  riskStreamId,
  type RiskTreatmentDecided,
} from './risk/risk.events.js';
export { populationReferencesKeptUntil } from './sampling/draw-calendar.js';
export type { DrawRow, RankFunction } from './sampling/draw.js';
export { type PopulationCommand, populationDecider, type PopulationState } from './sampling/population.decider.js';
export {
  type PopulationReferences,
  type SamplingCommand,
  samplingDecider,
  type SamplingState,
  type TeamDrawRequest,
} from './sampling/sampling.decider.js';
export {
  type CoverageRecord,
  type DrawnCase,
  type PopulationEvent,
  type PopulationImported,
  type PopulationRow,
  type PopulationRowsAdded,
  populationStreamId,
  type SampleDrawn,
  type SampleVoided,
  SAMPLING_EVENT_SCHEMAS,
  type SamplingEvent,
  samplingStreamId,
  type SupplementaryCasesDrawn,
} from './sampling/sampling.events.js';
export { recomputeSample, type RecordedSample } from './sampling/verify.js';
export {
  countByKind,
  type Deadline,
  type DeadlineCount,
  deadlineStatus,
  type DeadlineStatus,
  inboxDeadlines,
  isResponsible,
} from './deadlines/deadline.js';
export {
  drawDeadline,
  type DrawFacts,
  legalReportDeadline,
  measureDeadline,
  type MeasureFacts,
  openReviewDeadline,
  reportQuarter,
  type ReviewFacts,
  routineRecheckDeadline,
  type RoutineFacts,
  TALK_DAYS_AFTER_COMPLETION,
  talkDeadline,
  teamReportDeadline,
} from './deadlines/deadline-rules.js';
export { CORE_DEADLINE_LABELS, type DigestMail, type KindLabel, renderDigest } from './deadlines/digest-mail.js';
export {
  DIGEST_EVENT_SCHEMAS,
  type DigestEvent,
  type DigestQueued,
  type DigestSent,
  digestStreamId,
  MAIL_ADDRESS_EVENT_SCHEMAS,
  type MailAddressEvent,
  type MailAddressRecorded,
  mailAddressStreamId,
  type MailRecipient,
  mailRecipients,
} from './deadlines/digest.events.js';
export { type Decider, type DecisionContext, type DomainEvent, fold } from './shared/decider.js';
export { DomainError, ruleViolation } from './shared/domain-error.js';
export type { Sealed } from './shared/sealed.js';
export { judgeErrorRate, type JudgingRule, judgingRuleName } from './trends/error-rate.js';
export { type RoutineCommand, routineDecider, type RoutineState } from './trends/routine.decider.js';
export {
  ROUTINE_EVENT_SCHEMAS,
  type RoutineEvent,
  routineStreamId,
  type ToleranceTest,
  type ToleranceTestRecord,
} from './trends/routine.events.js';
export { DEFAULT_TREND_RULES, type TrendRules } from './trends/trend-rules.js';

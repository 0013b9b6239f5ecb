import type { AggregateType } from '@pruefpfad/application';
import {
  AREA_RISK_ANALYSIS_EVENT_SCHEMAS,
  type AreaRiskAnalysisCommand,
  areaRiskAnalysisDecider,
  type AreaRiskAnalysisEvent,
  type AreaRiskAnalysisState,
  areaRiskAnalysisStreamId,
  RISK_EVENT_SCHEMAS,
  RISK_MATRIX_EVENT_SCHEMAS,
  type RiskCommand,
  riskDecider,
  type RiskEvent,
  type RiskMatrixCommand,
  riskMatrixDecider,
  type RiskMatrixEvent,
  type RiskMatrixState,
  riskMatrixStreamId,
  type RiskState,
  riskStreamId,
} from '@pruefpfad/domain';

export const riskAggregate: AggregateType<RiskCommand, RiskState, RiskEvent> = {
  name: 'risk',
  decider: riskDecider,
  schemas: RISK_EVENT_SCHEMAS,
  streamId: riskStreamId,
};

/** Aggregate id: the tenant (one matrix per Jobcenter). */
export const riskMatrixAggregate: AggregateType<RiskMatrixCommand, RiskMatrixState, RiskMatrixEvent> = {
  name: 'risk-matrix',
  decider: riskMatrixDecider,
  schemas: RISK_MATRIX_EVENT_SCHEMAS,
  streamId: riskMatrixStreamId,
};

/** Aggregate id: `areaRiskAnalysisId(areaId, year, quarter)`. */
export const areaRiskAnalysisAggregate: AggregateType<
  AreaRiskAnalysisCommand,
  AreaRiskAnalysisState,
  AreaRiskAnalysisEvent
> = {
  name: 'area-risk-analysis',
  decider: areaRiskAnalysisDecider,
  schemas: AREA_RISK_ANALYSIS_EVENT_SCHEMAS,
  streamId: areaRiskAnalysisStreamId,
};

import type { AggregateType } from '../../../../libs/application/src/command-pipeline.js';
import {
  reportDecider,
  type ReportCommand,
  type ReportState,
} from '../../../../libs/domain/src/report/report.decider.js';
import {
  REPORT_EVENT_SCHEMAS,
  reportStreamId,
  type ReportEvent,
} from '../../../../libs/domain/src/report/report.events.js';

/** Aggregate id = report id (`<tenant>-<unitId>-<yyyy>-Q<n>`): one stream per unit and quarter. */
export const reportAggregate: AggregateType<ReportCommand, ReportState, ReportEvent> = {
  name: 'report',
  decider: reportDecider,
  schemas: REPORT_EVENT_SCHEMAS,
  streamId: reportStreamId,
};

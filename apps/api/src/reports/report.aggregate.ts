import type { AggregateType } from '@pruefpfad/application';
import {
  REPORT_EVENT_SCHEMAS,
  type ReportCommand,
  reportDecider,
  type ReportEvent,
  type ReportState,
  reportStreamId,
} from '@pruefpfad/domain';

/** Aggregate id = report id (`<tenant>-<unitId>-<yyyy>-Q<n>`): one stream per unit and quarter. */
export const reportAggregate: AggregateType<ReportCommand, ReportState, ReportEvent> = {
  name: 'report',
  decider: reportDecider,
  schemas: REPORT_EVENT_SCHEMAS,
  streamId: reportStreamId,
};

import type { AggregateType } from '@pruefpfad/application';
import {
  MEASURE_EVENT_SCHEMAS,
  type MeasureCommand,
  measureDecider,
  type MeasureEvent,
  type MeasureState,
  measureStreamId,
} from '@pruefpfad/domain';

export const measureAggregate: AggregateType<MeasureCommand, MeasureState, MeasureEvent> = {
  name: 'measure',
  decider: measureDecider,
  schemas: MEASURE_EVENT_SCHEMAS,
  streamId: measureStreamId,
};

import type { AggregateType } from '../../../../libs/application/src/command-pipeline.js';
import {
  measureDecider,
  type MeasureCommand,
  type MeasureState,
} from '../../../../libs/domain/src/measure/measure.decider.js';
import {
  MEASURE_EVENT_SCHEMAS,
  measureStreamId,
  type MeasureEvent,
} from '../../../../libs/domain/src/measure/measure.events.js';

export const measureAggregate: AggregateType<MeasureCommand, MeasureState, MeasureEvent> = {
  name: 'measure',
  decider: measureDecider,
  schemas: MEASURE_EVENT_SCHEMAS,
  streamId: measureStreamId,
};

import type { AggregateType } from '@pruefpfad/application';
import {
  type PopulationCommand,
  populationDecider,
  type PopulationEvent,
  type PopulationState,
  populationStreamId,
  SAMPLING_EVENT_SCHEMAS,
  type SamplingCommand,
  samplingDecider,
  type SamplingEvent,
  type SamplingState,
} from '@pruefpfad/domain';

/**
 * The sampling context's aggregates (populations, a programme's month of draws) for the command pipeline,
 * shared by the HTTP side and the retention run that records a population's destroyed references.
 */
export const populationAggregate: AggregateType<PopulationCommand, PopulationState, PopulationEvent> = {
  name: 'population',
  decider: populationDecider,
  schemas: SAMPLING_EVENT_SCHEMAS,
  streamId: populationStreamId,
};

/** Aggregate id `<programmeId>-<yyyy-mm>`: one sampling stream per programme and month. */
export const samplingAggregateId = (programmeId: string, month: string): string => `${programmeId}-${month}`;

export const samplingAggregate: AggregateType<SamplingCommand, SamplingState, SamplingEvent> = {
  name: 'sampling',
  decider: samplingDecider,
  schemas: SAMPLING_EVENT_SCHEMAS,
  streamId: (aggregateId) => `sampling-${aggregateId}`,
};

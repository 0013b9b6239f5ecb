import type { AggregateType } from '../../application/src/command-pipeline.js';
import {
  populationDecider,
  type PopulationCommand,
  type PopulationState,
} from '../../domain/src/sampling/population.decider.js';
import {
  samplingDecider,
  type SamplingCommand,
  type SamplingState,
} from '../../domain/src/sampling/sampling.decider.js';
import {
  SAMPLING_EVENT_SCHEMAS,
  populationStreamId,
  type PopulationEvent,
  type SamplingEvent,
} from '../../domain/src/sampling/sampling.events.js';

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

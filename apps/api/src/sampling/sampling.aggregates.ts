import type {
  AggregateType,
  CommandRequest,
  CommandResult,
} from '../../../../libs/application/src/command-pipeline.js';
import type { DomainEvent } from '../../../../libs/domain/src/shared/decider.js';
import {
  populationDecider,
  type PopulationCommand,
  type PopulationState,
} from '../../../../libs/domain/src/sampling/population.decider.js';
import {
  samplingDecider,
  type SamplingCommand,
  type SamplingState,
} from '../../../../libs/domain/src/sampling/sampling.decider.js';
import {
  SAMPLING_EVENT_SCHEMAS,
  populationStreamId,
  type PopulationEvent,
  type SamplingEvent,
} from '../../../../libs/domain/src/sampling/sampling.events.js';

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

/** How a service runs a command: the HTTP side through the command bus, the CLI on the pipeline. */
export type ExecuteFn = <C, S, E extends DomainEvent>(
  aggregate: AggregateType<C, S, E>,
  request: CommandRequest<C>,
) => Promise<CommandResult>;

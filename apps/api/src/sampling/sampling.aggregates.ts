import type {
  AggregateType,
  CommandRequest,
  CommandResult,
} from '../../../../libs/application/src/command-pipeline.js';
import type { DomainEvent } from '../../../../libs/domain/src/shared/decider.js';

export {
  populationAggregate,
  samplingAggregate,
  samplingAggregateId,
} from '../../../../libs/composition/src/sampling-aggregates.js';

/** How a service runs a command: the HTTP side through the command bus, the CLI on the pipeline. */
export type ExecuteFn = <C, S, E extends DomainEvent>(
  aggregate: AggregateType<C, S, E>,
  request: CommandRequest<C>,
) => Promise<CommandResult>;

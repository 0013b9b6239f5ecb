import type { AggregateType, CommandRequest, CommandResult } from '@pruefpfad/application';
import type { DomainEvent } from '@pruefpfad/domain';

export { populationAggregate, samplingAggregate, samplingAggregateId } from '@pruefpfad/composition';

/** How a service runs a command: the HTTP side through the command bus, the CLI on the pipeline. */
export type ExecuteFn = <C, S, E extends DomainEvent>(
  aggregate: AggregateType<C, S, E>,
  request: CommandRequest<C>,
) => Promise<CommandResult>;

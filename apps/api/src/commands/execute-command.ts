import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type AggregateType,
  type CommandPipeline,
  type CommandRequest,
  type CommandResult,
  PreconditionFailedError,
} from '@pruefpfad/application';
import type { DomainEvent } from '@pruefpfad/domain';
import { WrongExpectedRevisionError } from '@pruefpfad/event-store';
import { MetricsService } from '../metrics/metrics.service.js';
import { COMMAND_PIPELINE } from '../runtime/tokens.js';

/**
 * The one command type on the bus: which aggregate, which command. Every write goes through the same
 * handler and so through the same pipeline (read, fold, decide, append with expected revision).
 */
export class ExecuteCommand<
  C = unknown,
  S = unknown,
  E extends DomainEvent = DomainEvent,
> extends Command<CommandResult> {
  constructor(
    readonly aggregate: AggregateType<C, S, E>,
    readonly request: CommandRequest<C>,
  ) {
    super();
  }
}

@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand> {
  constructor(
    @Inject(COMMAND_PIPELINE) private readonly pipeline: CommandPipeline,
    private readonly metrics: MetricsService,
  ) {}

  async execute(command: ExecuteCommand): Promise<CommandResult> {
    const aggregate = command.aggregate.name;
    const stop = this.metrics.commandDuration.startTimer({ aggregate });
    try {
      const result = await this.pipeline.execute(command.aggregate, command.request);
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError)
        this.metrics.appendConflicts.inc({ aggregate, kind: 'conflict' });
      if (error instanceof PreconditionFailedError)
        this.metrics.appendConflicts.inc({ aggregate, kind: 'precondition' });
      stop({ outcome: 'refused' });
      throw error;
    }
  }
}

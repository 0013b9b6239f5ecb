import type { AggregateType } from '../../../../libs/application/src/command-pipeline.js';
import {
  routineDecider,
  type RoutineCommand,
  type RoutineState,
} from '../../../../libs/domain/src/trends/routine.decider.js';
import {
  ROUTINE_EVENT_SCHEMAS,
  routineStreamId,
  type RoutineEvent,
} from '../../../../libs/domain/src/trends/routine.events.js';

export const routineAggregate: AggregateType<RoutineCommand, RoutineState, RoutineEvent> = {
  name: 'routine',
  decider: routineDecider,
  schemas: ROUTINE_EVENT_SCHEMAS,
  streamId: routineStreamId,
};

import type { AggregateType } from '@pruefpfad/application';
import {
  ROUTINE_EVENT_SCHEMAS,
  type RoutineCommand,
  routineDecider,
  type RoutineEvent,
  type RoutineState,
  routineStreamId,
} from '@pruefpfad/domain';

export const routineAggregate: AggregateType<RoutineCommand, RoutineState, RoutineEvent> = {
  name: 'routine',
  decider: routineDecider,
  schemas: ROUTINE_EVENT_SCHEMAS,
  streamId: routineStreamId,
};

import type { AggregateType } from '@pruefpfad/application';
import {
  PROGRAMME_EVENT_SCHEMAS,
  type ProgrammeCommand,
  programmeDecider,
  type ProgrammeEvent,
  type ProgrammeState,
  programmeStreamId,
} from '@pruefpfad/domain';

export const programmeAggregate: AggregateType<ProgrammeCommand, ProgrammeState, ProgrammeEvent> = {
  name: 'programme',
  decider: programmeDecider,
  schemas: PROGRAMME_EVENT_SCHEMAS,
  streamId: programmeStreamId,
};

/** Key id of the data key that seals a programme's free text. */
export const programmeKeyId = (programmeId: string): string => `programme:${programmeId}`;

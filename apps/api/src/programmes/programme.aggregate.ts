import type { AggregateType } from '../../../../libs/application/src/command-pipeline.js';
import {
  programmeDecider,
  type ProgrammeCommand,
  type ProgrammeState,
} from '../../../../libs/domain/src/programme/programme.decider.js';
import {
  PROGRAMME_EVENT_SCHEMAS,
  programmeStreamId,
  type ProgrammeEvent,
} from '../../../../libs/domain/src/programme/programme.events.js';

export const programmeAggregate: AggregateType<ProgrammeCommand, ProgrammeState, ProgrammeEvent> = {
  name: 'programme',
  decider: programmeDecider,
  schemas: PROGRAMME_EVENT_SCHEMAS,
  streamId: programmeStreamId,
};

/** Key id of the data key that seals a programme's free text. */
export const programmeKeyId = (programmeId: string): string => `programme:${programmeId}`;

import type { AggregateType } from '@pruefpfad/application';
import {
  QUESTIONNAIRE_EVENT_SCHEMAS,
  type QuestionnaireCommand,
  questionnaireDecider,
  type QuestionnaireEvent,
  type QuestionnaireState,
  questionnaireStreamId,
} from '@pruefpfad/domain';

export const questionnaireAggregate: AggregateType<QuestionnaireCommand, QuestionnaireState, QuestionnaireEvent> = {
  name: 'questionnaire',
  decider: questionnaireDecider,
  schemas: QUESTIONNAIRE_EVENT_SCHEMAS,
  streamId: questionnaireStreamId,
};

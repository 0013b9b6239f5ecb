import type { AggregateType } from '../../../../libs/application/src/command-pipeline.js';
import {
  questionnaireDecider,
  type QuestionnaireCommand,
  type QuestionnaireState,
} from '../../../../libs/domain/src/questionnaire/questionnaire.decider.js';
import {
  QUESTIONNAIRE_EVENT_SCHEMAS,
  questionnaireStreamId,
  type QuestionnaireEvent,
} from '../../../../libs/domain/src/questionnaire/questionnaire.events.js';

export const questionnaireAggregate: AggregateType<QuestionnaireCommand, QuestionnaireState, QuestionnaireEvent> = {
  name: 'questionnaire',
  decider: questionnaireDecider,
  schemas: QUESTIONNAIRE_EVENT_SCHEMAS,
  streamId: questionnaireStreamId,
};

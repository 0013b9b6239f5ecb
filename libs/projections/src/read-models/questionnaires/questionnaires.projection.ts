import type { QuestionnaireEvent, QuestionnaireVersionPublished, RegionalQuestionsAdded } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { QUESTIONNAIRES, questionnaireDocId, type QuestionnaireDoc } from './questionnaire.doc.js';

type QuestionnaireRecorded = RecordedEvent<QuestionnaireEvent['data']> & { readonly type: QuestionnaireEvent['type'] };

/**
 * One document per questionnaire with every published version (reviews pin one) and every regional
 * addition. Versions are appended, never replaced: a published version stays as it was.
 */
export const questionnairesProjection: ProjectionDefinition<QuestionnaireDoc> = {
  name: QUESTIONNAIRES,
  version: 1,
  // A tenant's questionnaires by title.
  indexes: [{ fields: { tenant: 1, title: 1, questionnaireId: 1 } }],
  eventTypes: ['QuestionnaireVersionPublished', 'RegionalQuestionsAdded'] satisfies QuestionnaireEvent['type'][],
  documentIds: (event) => [
    questionnaireDocId(event.metadata.tenant, (event.data as QuestionnaireEvent['data']).questionnaireId),
  ],
  evolve: (doc, recorded, documentId) => {
    const event = recorded as QuestionnaireRecorded;
    switch (event.type) {
      case 'QuestionnaireVersionPublished': {
        const data = event.data as QuestionnaireVersionPublished['data'];
        const version = {
          version: data.version,
          validFrom: data.validFrom,
          publishedAt: event.metadata.occurredAt,
          source: data.source,
          reason: data.reason,
          sections: data.sections,
        };
        if (doc === null)
          return {
            _id: documentId,
            tenant: event.metadata.tenant,
            questionnaireId: data.questionnaireId,
            title: data.title,
            process: data.process,
            versions: [version],
            regionalAdditions: [],
          };
        return { ...doc, title: data.title, process: data.process, versions: [...doc.versions, version] };
      }
      case 'RegionalQuestionsAdded': {
        if (doc === null) return null;
        const data = event.data as RegionalQuestionsAdded['data'];
        return {
          ...doc,
          regionalAdditions: [
            ...doc.regionalAdditions,
            {
              additionId: data.additionId,
              region: data.region,
              validFrom: data.validFrom,
              validTo: data.validTo,
              reason: data.reason,
              questions: data.questions,
            },
          ],
        };
      }
      default: {
        const unreachable: never = event.type;
        return unreachable;
      }
    }
  },
};

import type { Question, QuestionnaireEvent, Section } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import { expectReplaysChangeNothing, foldInMemory, interleavedHistory } from '../../testing/fold-in-memory.js';
import type { QuestionnaireDoc } from './questionnaire.doc.js';
import { questionnairesProjection } from './questionnaires.projection.js';

const question = (id: string): Question => ({
  id,
  text: `${id}?`,
  answerType: 'yes-no-na',
  mandatory: true,
  category: 'beratung',
  legalNorm: null,
  guidance: null,
  source: '003:62',
});
const sections = (...ids: string[]): Section[] => [{ id: 's', title: 'S', questions: ids.map(question) }];

const published = (questionnaireId: string, version: number, ids: string[]): QuestionnaireEvent => ({
  type: 'QuestionnaireVersionPublished',
  data: {
    questionnaireId,
    version,
    title: `Katalog ${questionnaireId} v${version}`,
    process: 'allgemeine-vermittlung',
    source: '002, 003',
    sections: sections(...ids),
    validFrom: `2026-0${version}-01`,
    reason: `Version ${version}`,
  },
});

/** Two tenants' questionnaires interleaved, with foreign events in between, as the store delivers them. */
function history(): RecordedEvent[] {
  const streams: { tenant: string; id: string; events: QuestionnaireEvent[] }[] = [
    {
      tenant: 'jc-a',
      id: 'q1',
      events: [
        published('q1', 1, ['a', 'b']),
        {
          type: 'RegionalQuestionsAdded',
          data: {
            questionnaireId: 'q1',
            additionId: 'add-1',
            region: 'rd-nrw',
            questions: [question('r1')],
            validFrom: '2026-03-01',
            validTo: '2026-05-31',
            reason: 'Schwerpunkt',
          },
        },
        published('q1', 2, ['a', 'b', 'c']),
      ],
    },
    { tenant: 'jc-b', id: 'q1', events: [published('q1', 1, ['x'])] },
  ];
  return interleavedHistory(
    streams.map((stream) => ({
      streamId: `questionnaire-${stream.tenant}-${stream.id}`,
      events: stream.events,
      metadata: (revision) => ({
        occurredAt: `2026-03-0${revision + 1}T09:00:00.000Z`,
        actor: { userId: 'gf', role: 'management' },
        tenant: stream.tenant,
      }),
    })),
    'ProgrammeDefined',
  );
}

describe('questionnaires projection', () => {
  it('keeps one document per tenant and questionnaire, every version as published and the regional additions', async () => {
    const collection = foldInMemory(questionnairesProjection);
    await collection.feed(history(), 1000);
    const [a, b] = collection.sortedDocs() as QuestionnaireDoc[];
    expect(a).toMatchObject({
      _id: 'jc-a:q1',
      tenant: 'jc-a',
      questionnaireId: 'q1',
      title: 'Katalog q1 v2',
      process: 'allgemeine-vermittlung',
      versions: [
        {
          version: 1,
          validFrom: '2026-01-01',
          publishedAt: '2026-03-01T09:00:00.000Z',
          source: '002, 003',
          reason: 'Version 1',
          sections: sections('a', 'b'),
        },
        { version: 2, validFrom: '2026-02-01', sections: sections('a', 'b', 'c') },
      ],
      regionalAdditions: [
        {
          additionId: 'add-1',
          region: 'rd-nrw',
          validFrom: '2026-03-01',
          validTo: '2026-05-31',
          reason: 'Schwerpunkt',
          questions: [question('r1')],
        },
      ],
    });
    expect(b).toMatchObject({ _id: 'jc-b:q1', tenant: 'jc-b', versions: [{ version: 1, sections: sections('x') }] });
    expect(b!.regionalAdditions).toEqual([]);
  });

  it('changes nothing when every event is replayed twice, and rebuilds the same documents from position 0', async () => {
    const documents = await expectReplaysChangeNothing(questionnairesProjection, history());
    expect(documents.length).toBeGreaterThan(0);
  });
});

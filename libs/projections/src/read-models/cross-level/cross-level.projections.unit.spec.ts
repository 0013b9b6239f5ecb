import type { RecordedEvent } from '@pruefpfad/event-store';
import type { Doc } from '@pruefpfad/read-store';
import type { ProjectionDefinition } from '../../projection.js';
import { expectReplaysChangeNothing } from '../../testing/fold-in-memory.js';
import { caseCopiesProjection } from './case-copies.projection.js';
import { crossLevelReviewsProjection } from './cross-level-reviews.projection.js';
import { tenantRegionsProjection } from './tenant-regions.projection.js';

let position = 0;
const recorded = (type: string, data: unknown, tenant = 'jc-a'): RecordedEvent => {
  position += 1;
  return {
    id: `e-${position}`,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: '2026-03-01T09:00:00.000Z',
      actor: { userId: 'u', role: 'team_lead' },
      tenant,
      correlationId: 'c',
      causationId: null,
      rulesVersion: 't',
    },
    streamId: 's',
    revision: 0,
    position,
    recordedAt: '2026-03-01T09:00:00.000Z',
    chain: '',
  };
};

/**
 * Folds events through the runner's own fold (`foldBatch`), checking that replaying them (in other batch
 * sizes, and all of them twice) changes nothing; the documents by id.
 */
async function run<D extends Doc>(
  projection: ProjectionDefinition<D>,
  events: readonly RecordedEvent[],
): Promise<Map<string, D>> {
  const docs = await expectReplaysChangeNothing(projection, events);
  return new Map(docs.map((doc) => [doc._id, doc as D]));
}

const sealed = (marker: string) => ({ $sealed: 1, keyId: 'review:r-1', ciphertext: marker });

describe('cross-level read models', () => {
  const reviewEvents = [
    recorded('CaseSampled', {
      reviewId: 'r-1',
      sampleId: 's',
      programmeId: 'p-1',
      areaId: 'area-SECRET',
      teamId: 'team-SECRET',
      month: '2026-02',
      casePseudonym: 'PSEUDONYM-SECRET',
      caseRef: sealed('CASEREF-SECRET'),
      customerGroup: 'u25',
      questionnaireId: 'q-1',
      questionnaireVersion: 2,
      deadline: '2026-02-28',
      origin: { kind: 'draw', replaces: null },
    }),
    recorded('AnswersRecorded', {
      reviewId: 'r-1',
      answers: [
        { questionId: 'q1', answer: { kind: 'yes-no-na', value: 'no' } },
        { questionId: 'q2', answer: { kind: 'sealed', value: sealed('FREETEXT-SECRET') } },
        { questionId: 'q3', answer: { kind: 'goal-directed', value: 'goal-directed' } },
      ],
      asDeputy: false,
    }),
    recorded('DefectRecorded', {
      reviewId: 'r-1',
      defectId: 'd-1',
      questionId: 'q1',
      category: 'Dokumentation',
      severity: 'minor',
      legalNorm: '§ 15 SGB II',
      description: sealed('DESCRIPTION-SECRET'),
      financialLoss: true,
      asDeputy: false,
    }),
    recorded('ReviewCompleted', {
      reviewId: 'r-1',
      outcome: 'not-goal-directed',
      summary: sealed('SUMMARY-SECRET'),
      completedAt: '2026-02-27T09:00:00.000Z',
      asDeputy: false,
    }),
    recorded('ReviewCorrected', {
      reviewId: 'r-1',
      reason: sealed('REASON-SECRET'),
      outcome: null,
      answers: [],
      defects: [{ defectId: 'd-1', category: 'Dokumentation', severity: 'serious', withdrawn: false }],
    }),
    recorded('TalkHeld', {
      reviewId: 'r-1',
      date: '2026-02-28',
      employee: sealed('EMPLOYEE-SECRET'),
      outcome: sealed('OUTCOME-SECRET'),
      asDeputy: false,
    }),
    recorded('MeasureAgreed', { measureId: 'm-1', tenant: 'jc-a', reviewId: 'r-1', owner: sealed('OWNER-SECRET') }),
  ];

  it('copies closed answers, defects without text, outcome and counts, and nothing that names a person', async () => {
    const docs = await run(caseCopiesProjection, reviewEvents);
    const copy = docs.get('jc-a:r-1');
    expect(copy).toMatchObject({
      tenant: 'jc-a',
      month: '2026-02',
      questionnaireId: 'q-1',
      questionnaireVersion: 2,
      status: 'completed',
      outcome: 'not-goal-directed',
      answers: { q1: 'no', q3: 'goal-directed' },
      defects: [
        {
          defectId: 'd-1',
          questionId: 'q1',
          category: 'Dokumentation',
          severity: 'serious',
          legalNorm: '§ 15 SGB II',
          financialLoss: true,
          withdrawn: false,
        },
      ],
      measuresAgreed: 1,
    });
    expect(copy?.talks).toBe(1);
    const text = JSON.stringify([...docs.values()]);
    expect(text).not.toMatch(/SECRET|\$sealed/);
  });

  it('drops the copy when the review is purged', async () => {
    const docs = await run(caseCopiesProjection, [
      ...reviewEvents,
      recorded('ReviewPurged', { reviewId: 'r-1', tenant: 'jc-a' }, 'system'),
    ]);
    expect(docs.size).toBe(0);
  });

  it('keeps each Jobcenter’s latest region', async () => {
    const docs = await run(tenantRegionsProjection, [
      recorded('RegionAssigned', { tenant: 'jc-a', region: 'rd-1', since: '2026-01-01', decidedByRole: 'management' }),
      recorded('RegionAssigned', { tenant: 'jc-a', region: 'rd-2', since: '2026-02-01', decidedByRole: 'management' }),
      recorded('RegionAssigned', { tenant: 'jc-b', region: 'rd-1', since: '2026-02-01', decidedByRole: 'management' }),
    ]);
    expect([...docs.values()].map((doc) => [doc.tenant, doc.region])).toEqual([
      ['jc-a', 'rd-2'],
      ['jc-b', 'rd-1'],
    ]);
  });

  it('records approvals and their early closing', async () => {
    const approval = {
      id: 'clr-1',
      kind: 'calibration',
      scope: { kind: 'region', region: 'rd-1' },
      customerProcess: 'reha',
      questionnaireId: null,
      fromMonth: '2026-02',
      toMonth: '2026-04',
      basis: 'Weisung',
      approvedByRole: 'central',
      approvedOn: '2026-01-20',
    };
    const docs = await run(crossLevelReviewsProjection, [
      recorded('CrossLevelReviewApproved', approval, 'ba'),
      recorded(
        'CrossLevelReviewClosed',
        { id: 'clr-1', basis: 'fertig', closedByRole: 'central', closedOn: '2026-03-02' },
        'ba',
      ),
    ]);
    expect(docs.get('clr-1')).toMatchObject({ ...approval, closedOn: '2026-03-02', closeBasis: 'fertig' });
  });
});

import type { CaseSampled, ReviewEvent, Sealed } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import { foldInMemory, recordedEvent } from '../../testing/fold-in-memory.js';
import { reviewsProjection } from './reviews.projection.js';
import type { ReviewDoc } from './review.doc.js';

const sealed = (label: string): Sealed => ({ $sealed: 1, kid: 'review:x', iv: label, ct: label, tag: label });

const sampled = (reviewId: string, teamId: string): CaseSampled => ({
  type: 'CaseSampled',
  data: {
    reviewId,
    sampleId: 's1',
    programmeId: 'p1',
    areaId: 'area-mi',
    teamId,
    month: '2026-03',
    casePseudonym: { $sealed: 1, kid: `review:${reviewId}`, iv: 'iv', ct: `ps-${reviewId}`, tag: 'tag' },
    caseRef: sealed(`case-${reviewId}`),
    customerGroup: 'u25',
    questionnaireId: 'vkb',
    questionnaireVersion: 1,
    deadline: '2026-03-31',
    origin: { kind: 'draw', replaces: null },
  },
});

/** Three reviews, interleaved as in a real store: one completed and corrected, one withdrawn, one open. */
const stories: readonly ReviewEvent[] = [
  sampled('r1', 'team-1'),
  sampled('r2', 'team-1'),
  sampled('r3', 'team-2'),
  {
    type: 'AnswersRecorded',
    data: {
      reviewId: 'r1',
      answers: [{ questionId: 'q1', answer: { kind: 'yes-no-na', value: 'no' } }],
      asDeputy: false,
    },
  },
  { type: 'LookBackExtended', data: { reviewId: 'r1', months: 18, reason: sealed('lb'), asDeputy: true } },
  {
    type: 'DefectRecorded',
    data: {
      reviewId: 'r1',
      defectId: 'd1',
      questionId: 'q1',
      category: 'beratung',
      severity: 'serious',
      legalNorm: '§ 15 SGB II',
      description: sealed('d1'),
      financialLoss: true,
      asDeputy: false,
    },
  },
  {
    type: 'DefectRecorded',
    data: {
      reviewId: 'r1',
      defectId: 'd2',
      questionId: 'q1',
      category: 'beratung',
      severity: 'minor',
      legalNorm: null,
      description: sealed('d2'),
      financialLoss: false,
      asDeputy: false,
    },
  },
  { type: 'DefectWithdrawn', data: { reviewId: 'r1', defectId: 'd2', reason: sealed('w'), asDeputy: false } },
  { type: 'ReviewWithdrawn', data: { reviewId: 'r2', reason: sealed('ungeeignet'), replacedBy: 'r4' } },
  {
    type: 'ReviewCompleted',
    data: {
      reviewId: 'r1',
      outcome: 'not-goal-directed',
      summary: sealed('sum'),
      completedAt: '2026-03-31T22:30:00.000Z',
      asDeputy: false,
    },
  },
  {
    type: 'ReviewCorrected',
    data: {
      reviewId: 'r1',
      reason: sealed('corr'),
      outcome: 'goal-directed',
      answers: [{ questionId: 'q1', answer: { kind: 'yes-no-na', value: 'yes' } }],
      defects: [{ defectId: 'd1', severity: 'minor', category: 'beratung', withdrawn: false }],
      asDeputy: false,
    },
  },
  {
    type: 'TalkHeld',
    data: { reviewId: 'r1', date: '2026-04-02', employee: sealed('emp'), outcome: sealed('out'), asDeputy: false },
  },
  { type: 'TeamDiscussionHeld', data: { reviewId: 'r1', date: '2026-04-03', notes: null } },
];

function record(events: readonly ReviewEvent[]): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return events.map((event, index) => {
    const streamId = `review-${event.data.reviewId}`;
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return recordedEvent({
      ...event,
      streamId,
      revision,
      position: index + 1,
      metadata: { occurredAt: `2026-03-${String(10 + index).padStart(2, '0')}T08:00:00.000Z` },
      recordedAt: '2026-03-10T08:00:00.000Z',
    });
  });
}

describe('reviews projection', () => {
  const events = record(stories);

  it('builds the documents of review.doc.ts', async () => {
    const target = foldInMemory(reviewsProjection);
    await target.feed(events, 100);
    const r1 = target.docs.get('r1') as ReviewDoc;
    expect(r1).toMatchObject({
      tenant: 'jc-a',
      teamId: 'team-1',
      status: 'completed',
      outcome: 'goal-directed',
      // Completed late in the evening UTC on 31 March: already 1 April in Berlin.
      completedOn: '2026-04-01',
      answers: { q1: { kind: 'yes-no-na', value: 'yes' } },
      lookBackMonths: 18,
      lookBackReason: sealed('lb'),
      deputyWork: true,
      streamRevision: 9,
      summary: sealed('sum'),
      talks: [{ date: '2026-04-02', employee: sealed('emp'), outcome: sealed('out'), asDeputy: false }],
      teamDiscussions: [{ date: '2026-04-03', notes: null, asDeputy: false }],
      corrections: [{ reason: sealed('corr'), asDeputy: false }],
    });
    expect(r1.defects.map((d) => [d.defectId, d.severity, d.withdrawn, d.financialLoss])).toEqual([
      ['d1', 'minor', false, true],
      ['d2', 'minor', true, false],
    ]);
    expect(target.docs.get('r2')).toMatchObject({
      status: 'withdrawn',
      withdrawal: { reason: sealed('ungeeignet'), replacedBy: 'r4' },
    });
    expect(target.docs.get('r3')).toMatchObject({
      status: 'open',
      lookBackMonths: 12,
      deputyWork: false,
      streamRevision: 0,
      answers: {},
    });
  });

  it('changes nothing when every event is fed twice, and a replay from 0 gives the same documents', async () => {
    const target = foldInMemory(reviewsProjection);
    await target.feed(events, 4);
    const once = structuredClone([...target.docs.entries()]);
    expect(await target.feed(events, 3)).toBe(0);
    expect([...target.docs.entries()]).toEqual(once);

    const replay = foldInMemory(reviewsProjection);
    await replay.feed(events, 1);
    expect([...replay.docs.entries()].sort(([a], [b]) => a.localeCompare(b))).toEqual(
      once.sort(([a], [b]) => a.localeCompare(b)),
    );
  });

  it('ignores events of a review whose opening it never saw', async () => {
    const target = foldInMemory(reviewsProjection);
    await target.feed(events.slice(3, 4), 10);
    expect(target.docs.size).toBe(0);
  });
});

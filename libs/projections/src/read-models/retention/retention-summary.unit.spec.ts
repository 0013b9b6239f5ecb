import type { RecordedEvent } from '@pruefpfad/event-store';
import type { Doc } from '@pruefpfad/read-store';
import type { ProjectionDefinition } from '../../projection.js';
import { expectReplaysChangeNothing, recordedEvent } from '../../testing/fold-in-memory.js';
import { ReviewHistory, SEALED } from '../../testing/review-history.js';
import { teamFiguresProjection } from '../dashboards/team-figures.projection.js';
import { measuresProjection } from '../measures/measures.projection.js';
import { reviewsProjection } from '../reviews/reviews.projection.js';
import { trendMeasuresProjection } from '../trends/trend-measures.projection.js';
import { trendReviewsProjection } from '../trends/trend-reviews.projection.js';
import { summariseReview } from './retention-summary.js';
import { retentionProjection } from './retention.projection.js';

const sealed = SEALED;

/** Three reviews (corrected, completed with measures, withdrawn) and a team-wide measure. */
function history(): RecordedEvent[] {
  const history = new ReviewHistory({
    programmeId: 'p-le',
    areaId: 'leistung',
    questionnaireId: 'q-le',
    legalNorm: '§ 11 SGB II',
  });
  const at = history.at.bind(history);
  const sampled = (reviewId: string, teamId: string, month: string) => history.sampled(reviewId, teamId, month, 2);
  const defect = history.defect.bind(history);
  const measure = (measureId: string, reviewId: string | null, kind = 'feedback') =>
    history.measure(measureId, reviewId, { kind });
  return [
    at('ProgrammeDefined', {
      programmeId: 'p-le',
      settings: {
        title: 'Leistung',
        areaId: 'leistung',
        customerProcess: 'leistung',
        questionnaireId: 'q-le',
        minimumCasesPerTeamLead: 10,
        drawnBy: 'management',
        errorRatePolicy: { kind: 'collect', tolerancePercent: 10 },
        reviewDeadlineDaysAfterMonth: 0,
        retentionMonths: 12,
        reportDueDay: 15,
        deputiesReview: true,
        excludeDrawnWithinMonths: 6,
        coverageRule: 'least-recently-covered',
        section16aConsent: null,
      },
      reason: 'Einführung',
      note: null,
      definedAt: '2025-12-20T09:00:00.000Z',
    }),
    sampled('r1', 't1', '2026-01'),
    sampled('r2', 't1', '2026-01'),
    sampled('r3', 't2', '2026-01'),
    defect('r1', 'd1', 'Leistungsberechnung', 'serious', true),
    defect('r1', 'd2', 'Dokumentation', 'minor'),
    defect('r2', 'd3', 'Dokumentation', 'minor'),
    at('DefectWithdrawn', { reviewId: 'r2', defectId: 'd3', reason: sealed }),
    at('ReviewCompleted', {
      reviewId: 'r1',
      outcome: 'not-goal-directed',
      summary: sealed,
      completedAt: '2026-01-20T10:00:00.000Z',
      completedOn: '2026-01-20',
      asDeputy: false,
    }),
    at('ReviewCompleted', {
      reviewId: 'r2',
      outcome: 'goal-directed',
      summary: sealed,
      completedAt: '2026-01-21T23:30:00.000Z',
      asDeputy: false,
    }),
    at('ReviewCorrected', {
      reviewId: 'r1',
      reason: sealed,
      outcome: null,
      answers: [],
      defects: [{ defectId: 'd2', severity: 'serious', category: 'Dokumentation', withdrawn: false }],
    }),
    at('TalkHeld', { reviewId: 'r1', date: '2026-01-22', employee: sealed, outcome: sealed, asDeputy: false }),
    at('TeamDiscussionHeld', { reviewId: 'r2', date: '2026-01-25', notes: null }),
    at('ReviewWithdrawn', { reviewId: 'r3', reason: sealed, replacedBy: 'r4' }),
    measure('m1', 'r1'),
    measure('m2', null),
    measure('m3', 'r1', 'training'),
    at('MeasureCompleted', { measureId: 'm1', date: '2026-02-03', note: null }),
    at('MeasureCancelled', { measureId: 'm3', date: '2026-02-04', reason: sealed }),
  ];
}

const PURGED = ['r1', 'r2', 'r3'];

function belongsTo(event: RecordedEvent, reviewId: string, measureIds: readonly string[]): boolean {
  if (event.streamId === `review-${reviewId}`) return true;
  return measureIds.some((measureId) => event.streamId === `measure-${measureId}`);
}

function measuresOf(events: readonly RecordedEvent[], reviewId: string): string[] {
  return events
    .filter((event) => event.type === 'MeasureAgreed' && (event.data as { reviewId: unknown }).reviewId === reviewId)
    .map((event) => (event.data as { measureId: string }).measureId);
}

/** The store after the purges: the purged streams gone, a summary and a purge record for each. */
function afterPurge(live: readonly RecordedEvent[]): RecordedEvent[] {
  const kept = [...live];
  let next = Math.max(...live.map((event) => event.position));
  const appended: RecordedEvent[] = [];
  for (const reviewId of PURGED) {
    const measureIds = measuresOf(live, reviewId);
    const own = live.filter((event) => belongsTo(event, reviewId, measureIds));
    const summary = summariseReview(
      'jc-a',
      reviewId,
      own.filter((event) => event.streamId.startsWith('review-')),
      own.filter((event) => event.streamId.startsWith('measure-')),
    );
    expect(summary).not.toBeNull();
    for (const event of own) kept.splice(kept.indexOf(event), 1);
    appended.push(
      recordedEvent({
        type: 'RetentionSummaryRecorded',
        data: summary,
        streamId: 'retention-jc-a',
        position: (next += 1),
      }),
      recordedEvent({
        type: 'ReviewPurged',
        data: {
          reviewId,
          tenant: 'jc-a',
          measureIds,
          streamsDeleted: [`review-${reviewId}`, ...measureIds.map((id) => `measure-${id}`)],
          keysDestroyed: 1 + measureIds.length,
          retentionEndedOn: '2027-01-20',
          purgedAt: '2027-01-21T02:00:00.000Z',
        },
        streamId: `purge-${reviewId}`,
        position: (next += 1),
      }),
    );
  }
  return [...kept, ...appended];
}

/** What a figure depends on: the documents without bookkeeping and without where they came from. */
const figures = (docs: readonly Doc[]) =>
  docs.map((doc) => {
    const { _position, source, ...rest } = doc as Doc & { source?: unknown };
    void _position;
    void source;
    return rest;
  });

describe('retention summaries', () => {
  const live = history();
  const purged = afterPurge(live);

  it.each<[string, ProjectionDefinition]>([
    ['team-figures', teamFiguresProjection],
    ['trend-reviews', trendReviewsProjection],
    ['trend-measures', trendMeasuresProjection],
  ])(
    '%s: the summaries rebuild exactly the documents the live events built, replayed twice',
    async (_name, projection) => {
      const fromLive = await expectReplaysChangeNothing(projection, live);
      // A rebuild after the purge: the review streams are gone, the summaries stand in for them.
      const rebuilt = await expectReplaysChangeNothing(projection, purged);
      expect(figures(rebuilt)).toEqual(figures(fromLive));
      // The live read model that sees the summaries arrive after the live events ends in the same state.
      const followed = await expectReplaysChangeNothing(projection, [...live, ...purged.slice(-PURGED.length * 2)]);
      expect(figures(followed)).toEqual(figures(fromLive));
    },
  );

  it('carries no personal data: no sealed value, pseudonym or employee field', () => {
    const reviewEvents = live.filter((event) => event.streamId === 'review-r1');
    const measureEvents = live.filter((event) => ['measure-m1', 'measure-m3'].includes(event.streamId));
    const summary = summariseReview('jc-a', 'r1', reviewEvents, measureEvents);
    const text = JSON.stringify(summary);
    expect(text).not.toContain('$sealed');
    expect(text).not.toContain('ps-r1');
    expect(text).not.toMatch(/owner|employee|caseRef|casePseudonym|description|summary"/);
    expect(summary).toMatchObject({ reviewId: 'r1', talks: 1, measuresAgreed: 2, completedOn: '2026-01-20' });
    expect(summary?.measures.map((m) => [m.measureId, m.status])).toEqual([
      ['m1', 'completed'],
      ['m3', 'cancelled'],
    ]);
    expect(summariseReview('jc-a', 'r9', [], [])).toBeNull();
  });

  it('removes the purged review and its measures from the case read models', async () => {
    const reviews = await expectReplaysChangeNothing(reviewsProjection, [...live, ...purged.slice(-PURGED.length * 2)]);
    expect(reviews).toEqual([]);
    const measures = await expectReplaysChangeNothing(measuresProjection, [
      ...live,
      ...purged.slice(-PURGED.length * 2),
    ]);
    expect(measures.map((doc) => doc._id)).toEqual(['m2']);
  });

  it('keeps a purge record without content, and drops the legal hold with the review', async () => {
    const hold = recordedEvent({
      type: 'LegalHoldPlaced',
      data: { reviewId: 'r1', tenant: 'jc-a', reason: sealed, placedOn: '2027-01-02' },
      streamId: 'legal-hold-r1',
      position: 1,
    });
    const lifted = recordedEvent({
      type: 'LegalHoldLifted',
      data: { reviewId: 'r1', tenant: 'jc-a', reason: sealed, liftedOn: '2027-01-10' },
      streamId: 'legal-hold-r1',
      position: 2,
    });
    const started = recordedEvent({
      type: 'ReviewPurgeStarted',
      data: {
        reviewId: 'r1',
        tenant: 'jc-a',
        retentionEndedOn: '2027-01-20',
        retentionMonths: 12,
        measureIds: ['m1', 'm3'],
        trigger: 'daily-job',
      },
      streamId: 'purge-r1',
      position: 3,
      metadata: { occurredAt: '2027-01-21T02:00:00.000Z' },
    });
    const purgedRecord = purged.find((event) => event.type === 'ReviewPurged')!;
    const withHold = await expectReplaysChangeNothing(retentionProjection, [hold, lifted]);
    expect(withHold).toMatchObject([{ kind: 'hold', held: false, liftedOn: '2027-01-10' }]);
    const docs = await expectReplaysChangeNothing(retentionProjection, [
      hold,
      lifted,
      started,
      { ...purgedRecord, position: 4 },
    ]);
    expect(docs).toEqual([
      expect.objectContaining({
        _id: 'jc-a:purge:r1',
        kind: 'purge',
        state: 'purged',
        trigger: 'daily-job',
        startedAt: '2027-01-21T02:00:00.000Z',
        streamsDeleted: 3,
        keysDestroyed: 3,
      }),
    ]);
  });
});

import { berlinDate } from '@pruefpfad/application';
import { addMonthsToDate, retentionVerdict, type RetentionVerdict } from '@pruefpfad/domain';
import {
  type MeasureDoc,
  MEASURES,
  type ProgrammeDoc,
  type PurgeRecordDoc,
  RETENTION,
  type RetentionDoc,
  type ReviewDoc,
  REVIEWS,
  type SampleDoc,
  SAMPLES,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';

const PROGRAMMES = 'programmes';

/** One review the planner looked at; `verdict` says whether it goes today and, if not, why not. */
export interface PurgePlanEntry {
  readonly tenant: string;
  readonly reviewId: string;
  readonly teamId: string;
  readonly month: string;
  readonly status: 'completed' | 'withdrawn';
  readonly closedOn: string;
  readonly retentionMonths: number;
  readonly measureIds: readonly string[];
  readonly purge: 'none' | 'started' | 'held';
  readonly verdict: RetentionVerdict;
}

/**
 * Finds the reviews whose retention has passed (000:92), from the read models: completed or withdrawn
 * reviews, their programme's retention months, legal holds and purge records. What it lists carries no
 * content (ids, team, month, dates). The purge reactor checks the legal hold again on the event stream
 * before it changes anything, so a hold placed after planning still wins.
 */
export async function planPurges(documents: DocumentStore, today: string): Promise<PurgePlanEntry[]> {
  const [reviews, programmes, retention] = await Promise.all([
    // Retention is at least a month (programme rule), so a review closed within the last month is never
    // due: the query leaves those out (in server mode this keeps a nationwide run to what may be due).
    documents.find(REVIEWS, {
      $or: [{ status: 'completed', completedOn: { $lte: addMonthsToDate(today, -1) } }, { status: 'withdrawn' }],
    }),
    documents.find(PROGRAMMES, {}),
    documents.find(RETENTION, {}),
  ]);
  const months = new Map<string, number>();
  for (const doc of programmes as ProgrammeDoc[]) months.set(`${doc.tenant}|${doc._id}`, doc.settings.retentionMonths);
  const holds = new Set<string>();
  const purges = new Map<string, PurgeRecordDoc['state']>();
  for (const doc of retention as RetentionDoc[]) {
    if (doc.kind === 'hold' && doc.held) holds.add(`${doc.tenant}|${doc.reviewId}`);
    if (doc.kind === 'purge') purges.set(`${doc.tenant}|${doc.reviewId}`, doc.state);
  }
  const plan: Omit<PurgePlanEntry, 'measureIds'>[] = [];
  for (const review of reviews as ReviewDoc[]) {
    const key = `${review.tenant}|${review._id}`;
    const status = review.status === 'withdrawn' ? 'withdrawn' : 'completed';
    const closedOn =
      status === 'withdrawn'
        ? review.withdrawal === null
          ? null
          : berlinDate(new Date(review.withdrawal.at))
        : review.completedOn;
    const retentionMonths = months.get(`${review.tenant}|${review.programmeId}`);
    if (closedOn === null || retentionMonths === undefined) continue;
    const state = purges.get(key);
    const purge = state === 'started' || state === 'held' ? state : 'none';
    if (state === 'purged') continue;
    plan.push({
      tenant: review.tenant,
      reviewId: review._id,
      teamId: review.teamId,
      month: review.month,
      status,
      closedOn,
      retentionMonths,
      purge,
      verdict: retentionVerdict(
        { reviewId: review._id, status, closedOn, retentionMonths, underLegalHold: holds.has(key), purge },
        today,
      ),
    });
  }
  // Only the reviews that go today need their measures (purged with them).
  const dueIds = plan.filter((entry) => entry.verdict.due).map((entry) => entry.reviewId);
  const measures = (
    dueIds.length === 0 ? [] : await documents.find(MEASURES, { reviewId: { $in: dueIds } })
  ) as MeasureDoc[];
  const measuresOf = new Map<string, string[]>();
  for (const doc of measures) {
    const key = `${doc.tenant}|${doc.reviewId ?? ''}`;
    measuresOf.set(key, [...(measuresOf.get(key) ?? []), doc._id]);
  }
  return plan
    .map((entry) => ({ ...entry, measureIds: (measuresOf.get(`${entry.tenant}|${entry.reviewId}`) ?? []).sort() }))
    .sort((a, b) => a.closedOn.localeCompare(b.closedOn) || a.reviewId.localeCompare(b.reviewId));
}

/** A population whose every drawn review is purged: its pseudonyms and case references go now. */
export interface PopulationPurgePlanEntry {
  readonly tenant: string;
  readonly populationId: string;
  readonly programmeId: string;
  readonly month: string;
  readonly sampleIds: readonly string[];
  readonly reviewsPurged: number;
}

/**
 * Populations to purge (issue 5: "a sampling population's pseudonyms are deleted with the last review
 * drawn from it"): every review of every sample drawn from it has a finished purge record, and no
 * population purge was started yet. Reviews are purged first, so this runs one purge run later.
 */
export async function planPopulationPurges(documents: DocumentStore): Promise<PopulationPurgePlanEntry[]> {
  const [samples, retention] = await Promise.all([documents.find(SAMPLES, {}), documents.find(RETENTION, {})]);
  const purgedReviews = new Set<string>();
  const populationPurges = new Set<string>();
  for (const doc of retention as RetentionDoc[]) {
    if (doc.kind === 'purge' && doc.state === 'purged') purgedReviews.add(`${doc.tenant}|${doc.reviewId}`);
    if (doc.kind === 'population-purge') populationPurges.add(`${doc.tenant}|${doc.populationId}`);
  }
  const byPopulation = new Map<string, SampleDoc[]>();
  for (const sample of samples as SampleDoc[]) {
    const key = `${sample.tenant}|${sample.populationId}`;
    byPopulation.set(key, [...(byPopulation.get(key) ?? []), sample]);
  }
  const plan: PopulationPurgePlanEntry[] = [];
  for (const [key, drawn] of byPopulation) {
    if (populationPurges.has(key)) continue;
    const first = drawn[0]!;
    const reviewIds = drawn.flatMap((sample) => sample.cases.map((drawnCase) => drawnCase.reviewId));
    if (reviewIds.length === 0 || !reviewIds.every((reviewId) => purgedReviews.has(`${first.tenant}|${reviewId}`)))
      continue;
    plan.push({
      tenant: first.tenant,
      populationId: first.populationId,
      programmeId: first.programmeId,
      month: first.month,
      sampleIds: drawn.map((sample) => sample._id).sort(),
      reviewsPurged: reviewIds.length,
    });
  }
  return plan.sort((a, b) => a.month.localeCompare(b.month) || a.populationId.localeCompare(b.populationId));
}

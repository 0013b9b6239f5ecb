import { DomainError, firstDayOfMonth, lastDayOfMonth, monthSpan, type TrendRules } from '@pruefpfad/domain';
import {
  type Granularity,
  ORGANISATION_UNITS,
  type OrganisationUnitDoc,
  periodsOf,
  TREND_CONTEXT,
  TREND_MEASURES,
  TREND_REVIEWS,
  type TrendContextDoc,
  trendFigures,
  type TrendFigures,
  type TrendFilter,
  type TrendMeasureDoc,
  type TrendProgrammeDoc,
  type TrendReportDoc,
  type TrendReviewDoc,
  trendReviewId,
  type TrendRoutineDoc,
} from '@pruefpfad/projections';
import type { DocumentStore, Filter } from '@pruefpfad/read-store';
import { teamInfo } from '../reports/team-figures.queries.js';

export type TrendScope =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'area'; readonly areaId: string }
  | { readonly kind: 'team'; readonly teamId: string };

export interface TrendRequest {
  readonly tenant: string;
  readonly scope: TrendScope;
  /** Teams of the scope (resolved and authorised by the caller). */
  readonly teams: readonly OrganisationUnitDoc[];
  readonly from: string;
  readonly to: string;
  readonly granularity: Granularity;
  readonly filter: TrendFilter;
  readonly rules: TrendRules;
  readonly today: string;
}

/**
 * Loads what one trend query needs from the trends read models (one find per collection, filtered by
 * tenant, range and scope) and hands it to the pure `trendFigures`. No Nest here, so the benchmark
 * times exactly what the endpoint runs.
 */
export class TrendReader {
  constructor(private readonly documents: DocumentStore) {}

  async units(tenant: string, filter: Filter = {}): Promise<OrganisationUnitDoc[]> {
    return (await this.documents.find(
      ORGANISATION_UNITS,
      { tenant, ...filter },
      { sort: { unitId: 1 } },
    )) as OrganisationUnitDoc[];
  }

  async read(request: TrendRequest): Promise<TrendFigures & { readonly from: string; readonly to: string }> {
    const { tenant, filter } = request;
    const periods = periodsOf(request.from, request.to, request.granularity);
    const firstMonth = periods[0]?.months[0] ?? request.from;
    const lastMonth = periods.at(-1)?.months.at(-1) ?? request.to;
    const wholeTenant = request.scope.kind === 'tenant';
    const teamIds = request.teams.map((team) => team.unitId);
    const inScope: Filter = wholeTenant ? {} : { teamId: { $in: teamIds } };

    const reviewFilter: Filter = { tenant, month: { $gte: firstMonth, $lte: lastMonth }, ...inScope };
    if (filter.programmeId !== undefined) reviewFilter['programmeId'] = filter.programmeId;
    if (filter.questionnaireId !== undefined) reviewFilter['questionnaireId'] = filter.questionnaireId;
    if (filter.questionnaireVersion !== undefined) reviewFilter['questionnaireVersion'] = filter.questionnaireVersion;
    const rangeStart = firstDayOfMonth(firstMonth);
    const rangeEnd = lastDayOfMonth(lastMonth);
    const [reviews, measures, context] = await Promise.all([
      this.documents.find(TREND_REVIEWS, reviewFilter) as Promise<TrendReviewDoc[]>,
      // Measures that were agreed by the range's end and not closed before it began.
      this.documents.find(TREND_MEASURES, {
        tenant,
        ...inScope,
        agreedOn: { $lte: rangeEnd },
        $or: [{ closedOn: null }, { closedOn: { $gte: rangeStart } }],
      }) as Promise<TrendMeasureDoc[]>,
      this.documents.find(TREND_CONTEXT, { tenant }) as Promise<TrendContextDoc[]>,
    ]);

    // Under a programme or questionnaire filter a measure counts when the review it follows matches; that
    // review may have been sampled before the range (its cells fall outside every period, so it counts
    // nowhere else).
    const linked = [filter.programmeId, filter.questionnaireId, filter.questionnaireVersion].some(
      (v) => v !== undefined,
    );
    const loaded = new Set(reviews.map((review) => review._id));
    const missing = linked
      ? [
          ...new Set(
            measures
              .filter((measure) => measure.reviewId !== null)
              .map((measure) => trendReviewId(tenant, measure.reviewId!))
              .filter((id) => !loaded.has(id)),
          ),
        ]
      : [];
    // Point reads: a `$in` over many ids would be evaluated against every review document.
    const earlier = (await Promise.all(missing.map((id) => this.documents.get(TREND_REVIEWS, id)))).filter(
      (doc): doc is TrendReviewDoc => doc !== null,
    );

    const figures = trendFigures({
      teams: request.teams.map(teamInfo),
      wholeTenant,
      periods,
      programmes: context.filter((doc): doc is TrendProgrammeDoc => doc.kind === 'programme'),
      reviews: [...reviews, ...earlier],
      measures,
      reports: context.filter((doc): doc is TrendReportDoc => doc.kind === 'report'),
      routines: context.filter((doc): doc is TrendRoutineDoc => doc.kind === 'routine'),
      filter,
      rules: request.rules,
      today: request.today,
      reviewDocId: (reviewId) => trendReviewId(tenant, reviewId),
    });
    return { ...figures, from: firstMonth, to: lastMonth };
  }
}

/** A trend query's month range: `to` not before `from`, at most `maxMonths` months (400 otherwise). */
export function assertTrendRange(from: string, to: string, maxMonths: number): void {
  const span = monthSpan(from, to);
  const problem =
    span < 1
      ? 'must not lie before from / darf nicht vor from liegen'
      : span > maxMonths
        ? `at most ${maxMonths} months / höchstens ${maxMonths} Monate`
        : null;
  if (problem !== null)
    throw new DomainError('VALIDATION_FAILED', 'Ungültige Anfrage / Invalid request', { fields: { to: problem } });
}

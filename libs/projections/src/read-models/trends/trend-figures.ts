import { DEFAULT_RULES } from '@pruefpfad/application';
import {
  addMonths,
  type ErrorRatePolicy,
  judgeErrorRate,
  type JudgingRule,
  lastDayOfMonth,
  quarterOf,
  type Severity,
  teamReportObligation,
  type TrendRules,
  worksUnder,
} from '@pruefpfad/domain';
import {
  addCounts,
  emptyCounts,
  monthCells,
  type CellCounts,
  type ReviewFacts,
  type ReviewsWith,
} from './review-facts.js';
import type { TeamInfo } from '../dashboards/team-figures.js';
import type { Period } from './trend-periods.js';
import type { TrendMeasureDoc, TrendProgrammeDoc, TrendReportDoc, TrendRoutineDoc } from './trend.docs.js';

/**
 * Pure trend figures from the trends read models: the month cells of the reviews in scope, summed per
 * period, next to the minimum, measures, report punctuality, error rates (only where a programme
 * collects them) and management's routine decisions. "Today" enters as a parameter.
 */
export interface TrendFilter {
  readonly programmeId?: string;
  readonly questionnaireId?: string;
  readonly questionnaireVersion?: number;
  readonly category?: string;
  readonly severity?: Severity;
}

export interface TrendInput {
  /** Teams in scope; every team of the scope, also those without reviews (their minimum counts). */
  readonly teams: readonly TeamInfo[];
  /** Whole tenant: reviews of teams no longer in the organisation still count. */
  readonly wholeTenant: boolean;
  readonly periods: readonly Period[];
  readonly programmes: readonly TrendProgrammeDoc[];
  /** Review facts of the range with `_id` (measures find the review they follow from by it). */
  readonly reviews: readonly (ReviewFacts & { readonly _id: string })[];
  readonly measures: readonly TrendMeasureDoc[];
  readonly reports: readonly TrendReportDoc[];
  readonly routines: readonly TrendRoutineDoc[];
  readonly filter: TrendFilter;
  readonly rules: TrendRules;
  readonly today: string;
  /** Document id of a review's facts (to link measures to reviews). */
  readonly reviewDocId: (reviewId: string) => string;
}

export interface ErrorRateFigure {
  readonly programmeId: string;
  readonly title: string;
  readonly tolerancePercent: number;
  readonly reviews: number;
  readonly withErrors: number;
  readonly rate: number | null;
  readonly upperBound: number | null;
  readonly belowTolerance: boolean;
  /** Name of the judging rule that produced `upperBound` and `belowTolerance` (`judgingRuleName`). */
  readonly rule: string;
}

export interface CategoryFigure {
  readonly minor: number | null;
  readonly serious: number | null;
  readonly total: number;
  readonly perReview: number | null;
}

export interface PeriodFigures {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  /** Reference day of open and overdue measures: the period's last day, or today while it runs. */
  readonly asOf: string;
  readonly reviews: {
    readonly minimum: number;
    readonly sampled: number;
    readonly done: number;
    readonly open: number;
    readonly percentOfMinimum: number | null;
  };
  readonly seriousDefects: { readonly reviews: number; readonly share: number | null };
  readonly defects: {
    readonly total: number;
    readonly perReview: number | null;
    readonly byCategory: Readonly<Record<string, CategoryFigure>>;
  };
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
  readonly measures: {
    readonly agreed: number;
    readonly completed: number;
    readonly cancelled: number;
    readonly open: number;
    readonly overdue: number;
  };
  readonly reports: {
    readonly expected: number;
    readonly onTime: number;
    readonly late: number;
    readonly missing: number;
    readonly pending: number;
  };
  /** One entry per programme that collects error rates in the period; none for the 2021 method (003:58). */
  readonly errorRates: readonly ErrorRateFigure[];
  readonly suspendedRoutines: readonly string[];
  /** Of `suspendedRoutines`, those suspended (or kept suspended) against the tolerance test. */
  readonly suspendedAgainstToleranceTest: readonly string[];
}

export interface RoutineFigure {
  readonly programmeId: string;
  readonly title: string;
  readonly collectsErrorRates: boolean;
  /** Over the whole range (months in which the programme collected); null when it collects none. */
  readonly errorRate: ErrorRateFigure | null;
  /** Meets the judging rule and is not suspended: management may decide to suspend it (001:202). */
  readonly suspensionCandidate: boolean;
  readonly status: 'active' | 'suspended';
  /** The running suspension, with the tolerance test of its latest decision and whether it overrode it. */
  readonly suspension: TrendRoutineDoc['suspension'];
  /** Suspended and the re-check date has passed (001:123: no long uncontrolled period). */
  readonly recheckOverdue: boolean;
}

export interface TrendFigures {
  readonly periods: readonly PeriodFigures[];
  readonly routines: readonly RoutineFigure[];
  readonly judging: JudgingRule;
  readonly errorCounting: TrendRules['errorCounting'];
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
/** A share to four decimals; null when there is nothing to share. */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : round(part / whole));
/** Reviews done against the minimum, in percent to one decimal; null without a minimum. */
export const percentOfMinimum = (done: number, minimum: number): number | null =>
  minimum === 0 ? null : Math.round((done / minimum) * 1000) / 10;

/** The value of a dated history on `day` (the last entry from on or before it); undefined before the first. */
function inForce<T extends { readonly from: string }>(history: readonly T[], day: string): T | undefined {
  let found: T | undefined;
  for (const entry of history)
    if (entry.from <= day && (found === undefined || entry.from >= found.from)) found = entry;
  return found;
}

/** The minimum for a month: the value on its last day (a revision during the month applies to it). */
export const minimumInForce = (programme: TrendProgrammeDoc, month: string): number =>
  inForce(programme.minimumHistory, lastDayOfMonth(month))?.minimum ?? 0;

export const errorRatePolicyOn = (programme: TrendProgrammeDoc, day: string): ErrorRatePolicy | undefined =>
  inForce(programme.errorRateHistory, day)?.policy;

function reviewsWithOf(counts: CellCounts, category: string | undefined): ReviewsWith {
  if (category === undefined) return counts.reviewsWith;
  return counts.categories[category]?.reviewsWith ?? { minor: 0, serious: 0, any: 0 };
}

/** Completed reviews that count as erroneous under the rules and the query's category and severity. */
function withErrors(counts: CellCounts, filter: TrendFilter, rules: TrendRules): number {
  const severity = filter.severity ?? (rules.errorCounting === 'serious-defect' ? 'serious' : undefined);
  const reviewsWith = reviewsWithOf(counts, filter.category);
  return severity === undefined ? reviewsWith.any : reviewsWith[severity];
}

function matchesFilter(facts: ReviewFacts, filter: TrendFilter): boolean {
  return (
    (filter.programmeId === undefined || facts.programmeId === filter.programmeId) &&
    (filter.questionnaireId === undefined || facts.questionnaireId === filter.questionnaireId) &&
    (filter.questionnaireVersion === undefined || facts.questionnaireVersion === filter.questionnaireVersion)
  );
}

function defectFigures(counts: CellCounts, filter: TrendFilter): PeriodFigures['defects'] {
  const byCategory: Record<string, CategoryFigure> = {};
  let total = 0;
  const names = filter.category === undefined ? Object.keys(counts.categories).sort() : [filter.category];
  for (const name of names) {
    const defects = counts.categories[name]?.defects ?? { minor: 0, serious: 0 };
    const minor = filter.severity === 'serious' ? null : defects.minor;
    const serious = filter.severity === 'minor' ? null : defects.serious;
    const sum = (minor ?? 0) + (serious ?? 0);
    if (sum === 0 && filter.category === undefined) continue;
    byCategory[name] = { minor, serious, total: sum, perReview: ratio(sum, counts.completed) };
    total += sum;
  }
  return { total, perReview: ratio(total, counts.completed), byCategory };
}

function measureFigures(measures: readonly TrendMeasureDoc[], period: Period, asOf: string): PeriodFigures['measures'] {
  const figures = { agreed: 0, completed: 0, cancelled: 0, open: 0, overdue: 0 };
  for (const measure of measures) {
    if (period.from <= measure.agreedOn && measure.agreedOn <= period.to) figures.agreed += 1;
    const closedOn = measure.closedOn;
    if (closedOn !== null && period.from <= closedOn && closedOn <= period.to) {
      if (measure.status === 'completed') figures.completed += 1;
      if (measure.status === 'cancelled') figures.cancelled += 1;
    }
    if (measure.agreedOn <= asOf && (closedOn === null || closedOn > asOf)) {
      figures.open += 1;
      if (measure.dueDate < asOf) figures.overdue += 1;
    }
  }
  return figures;
}

export function trendFigures(input: TrendInput): TrendFigures {
  const { filter, rules, today } = input;
  const teamIds = new Set(input.teams.map((team) => team.teamId));
  const reviews = input.reviews.filter(
    (facts) => (input.wholeTenant || teamIds.has(facts.teamId)) && matchesFilter(facts, filter),
  );
  // The scope's programmes: those its teams work under, and any its reviews were drawn for.
  const reviewed = new Set(reviews.map((facts) => facts.programmeId));
  const programmes = input.programmes.filter(
    (programme) =>
      (filter.programmeId === undefined || programme.programmeId === filter.programmeId) &&
      (input.wholeTenant ||
        reviewed.has(programme.programmeId) ||
        input.teams.some((team) => worksUnder(team, programme))),
  );

  // Month × programme counts, summed from the month cells.
  const byMonth = new Map<string, Map<string, CellCounts>>();
  for (const cell of monthCells(reviews).values()) {
    let month = byMonth.get(cell.month);
    if (month === undefined) byMonth.set(cell.month, (month = new Map<string, CellCounts>()));
    let counts = month.get(cell.programmeId);
    if (counts === undefined) month.set(cell.programmeId, (counts = emptyCounts()));
    addCounts(counts, cell);
  }

  // Teams per programme (the minimum is per team lead and month, 003:45).
  const teamsUnder = new Map<string, TeamInfo[]>();
  for (const programme of programmes)
    teamsUnder.set(
      programme.programmeId,
      input.teams.filter((team) => worksUnder(team, programme)),
    );

  // Measures in scope; under a programme or questionnaire filter only those following a matching review.
  const byDocId = new Map(input.reviews.map((facts) => [facts._id, facts]));
  const linked =
    filter.programmeId !== undefined ||
    filter.questionnaireId !== undefined ||
    filter.questionnaireVersion !== undefined;
  const measures = input.measures.filter((measure) => {
    if (!input.wholeTenant && !teamIds.has(measure.teamId)) return false;
    if (!linked) return true;
    const facts = measure.reviewId === null ? undefined : byDocId.get(input.reviewDocId(measure.reviewId));
    return facts !== undefined && matchesFilter(facts, filter);
  });

  const reportsByKey = new Map(
    input.reports.map((report) => [`${report.teamId}|${report.year}|${report.quarter}`, report]),
  );
  const reportingTeams = input.teams.filter((team) => programmes.some((programme) => worksUnder(team, programme)));

  type Stretch = TrendRoutineDoc['suspendedPeriods'][number];
  /** Programme ids of the scope's routines suspended during `period` (in a stretch that `which` picks). */
  const suspendedIn = (period: Period, which: (stretch: Stretch) => boolean = () => true): string[] =>
    input.routines
      .filter((routine) => programmes.some((programme) => programme.programmeId === routine.programmeId))
      .filter((routine) =>
        routine.suspendedPeriods.some(
          (stretch) => stretch.from <= period.to && (stretch.to ?? '9999') >= period.from && which(stretch),
        ),
      )
      .map((routine) => routine.programmeId)
      .sort();

  const collectedFor = new Map<string, { reviews: number; withErrors: number }>();
  const periods = input.periods.map((period): PeriodFigures => {
    const asOf = today < period.to ? today : period.to;
    const total = emptyCounts();
    const perProgramme = new Map<string, CellCounts>();
    let minimum = 0;
    for (const month of period.months) {
      for (const [programmeId, counts] of byMonth.get(month) ?? []) {
        addCounts(total, counts);
        addCounts(
          perProgramme.get(programmeId) ?? perProgramme.set(programmeId, emptyCounts()).get(programmeId)!,
          counts,
        );
      }
      for (const programme of programmes)
        minimum += minimumInForce(programme, month) * (teamsUnder.get(programme.programmeId)?.length ?? 0);
    }

    const errorRates: ErrorRateFigure[] = [];
    for (const programme of programmes) {
      const policy = errorRatePolicyOn(programme, period.to);
      if (policy?.kind !== 'collect') continue;
      const counts = perProgramme.get(programme.programmeId) ?? emptyCounts();
      const sample = { reviews: counts.completed, withErrors: withErrors(counts, filter, rules) };
      const tolerancePercent = policy.tolerancePercent > 0 ? policy.tolerancePercent : rules.defaultTolerancePercent;
      errorRates.push(errorRateFigure(programme, sample, tolerancePercent, rules.judging));
      const sum = collectedFor.get(programme.programmeId) ?? { reviews: 0, withErrors: 0 };
      collectedFor.set(programme.programmeId, {
        reviews: sum.reviews + sample.reviews,
        withErrors: sum.withErrors + sample.withErrors,
      });
    }

    const reports = { expected: 0, onTime: 0, late: 0, missing: 0, pending: 0 };
    for (const month of period.months) {
      const previous = addMonths(month, -1);
      if (!['03', '06', '09', '12'].includes(previous.slice(5))) continue;
      const { year, quarter } = quarterOf(previous);
      for (const team of reportingTeams) {
        // The same rule as the report status: owed only when one of the team's programmes was in force.
        const obligation = teamReportObligation(team, programmes, year, quarter, DEFAULT_RULES.programme.reportDueDay);
        if (!obligation.owed) continue;
        reports.expected += 1;
        const report = reportsByKey.get(`${team.teamId}|${year}|${quarter}`);
        const dueDate = report?.dueDate ?? obligation.dueDate;
        if (report !== undefined && report.submittedOn <= report.dueDate) reports.onTime += 1;
        else if (report !== undefined) reports.late += 1;
        else if (dueDate < today) reports.missing += 1;
        else reports.pending += 1;
      }
    }

    return {
      period: period.label,
      from: period.from,
      to: period.to,
      asOf,
      reviews: {
        minimum,
        sampled: total.sampled,
        done: total.completed,
        open: total.sampled - total.completed,
        percentOfMinimum: percentOfMinimum(total.completed, minimum),
      },
      seriousDefects: (() => {
        const serious = reviewsWithOf(total, filter.category).serious;
        return { reviews: serious, share: ratio(serious, total.completed) };
      })(),
      defects: defectFigures(total, filter),
      talksHeld: total.talks,
      teamDiscussionsHeld: total.teamDiscussions,
      measures: measureFigures(measures, period, asOf),
      reports,
      errorRates,
      suspendedRoutines: suspendedIn(period),
      suspendedAgainstToleranceTest: suspendedIn(period, (stretch) => stretch.againstToleranceTest === true),
    };
  });

  const routines = programmes.map((programme): RoutineFigure => {
    const routine = input.routines.find((known) => known.programmeId === programme.programmeId);
    const policy = errorRatePolicyOn(programme, today);
    const collects = policy?.kind === 'collect';
    const sample = collectedFor.get(programme.programmeId);
    const tolerancePercent =
      policy?.kind === 'collect' && policy.tolerancePercent > 0
        ? policy.tolerancePercent
        : rules.defaultTolerancePercent;
    const errorRate =
      collects && sample !== undefined ? errorRateFigure(programme, sample, tolerancePercent, rules.judging) : null;
    const status = routine?.status ?? 'active';
    const suspension = routine?.suspension ?? null;
    return {
      programmeId: programme.programmeId,
      title: programme.title,
      collectsErrorRates: collects,
      errorRate,
      suspensionCandidate: status === 'active' && errorRate !== null && errorRate.belowTolerance,
      status,
      suspension: status === 'suspended' ? suspension : null,
      recheckOverdue: status === 'suspended' && suspension !== null && suspension.recheckOn < today,
    };
  });

  return { periods, routines, judging: rules.judging, errorCounting: rules.errorCounting };
}

function errorRateFigure(
  programme: TrendProgrammeDoc,
  sample: { readonly reviews: number; readonly withErrors: number },
  tolerancePercent: number,
  rule: JudgingRule,
): ErrorRateFigure {
  const judgement = judgeErrorRate(sample, tolerancePercent, rule);
  return {
    programmeId: programme.programmeId,
    title: programme.title,
    tolerancePercent,
    reviews: judgement.reviews,
    withErrors: judgement.withErrors,
    rate: judgement.rate === null ? null : round(judgement.rate),
    // Six decimals: at four, a bound just below a tolerance (1 error in 93 reviews: 0.049994) would show it.
    upperBound: judgement.upperBound === null ? null : Math.round(judgement.upperBound * 1e6) / 1e6,
    belowTolerance: judgement.belowTolerance,
    rule: judgement.rule,
  };
}

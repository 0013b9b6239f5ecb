import {
  addDays,
  addMonths,
  firstDayOfMonth,
  lastDayOfMonth,
  monthOf,
  quarterOf,
  type Quarter,
} from '../calendar/local-date.js';
import {
  legalReportObligation,
  type ReportingProgramme,
  type ReportingTeam,
  teamReportObligation,
} from '../report/report-obligation.js';
import { LEGAL_UNIT_ID } from '../report/report.events.js';
import type { Deadline } from './deadline.js';

/**
 * The calendar rules behind each kind of deadline, pure (Europe/Berlin local dates in, deadlines out).
 * The API's deadline sources read the read models and hand their facts to these functions.
 */

/** Our design (the seeds set no date): the talk about a completed review is due this many days after it. */
export const TALK_DAYS_AFTER_COMPLETION = 14;

export interface TeamRef {
  readonly tenant: string;
  readonly teamId: string;
  readonly areaId: string;
}

const teamResource = (team: TeamRef) => ({ tenant: team.tenant, unit: team.teamId, parentUnits: [team.areaId] });

/** The monthly sample is due at the start of the month (000:71): its first day. */
export const drawDueDate = (month: string): string => firstDayOfMonth(month);

/**
 * The quarter whose report is currently owed: the one that ended last (a quarter's report is due in the
 * month after it, so from its first day on the previous quarter's report is the one waited for).
 */
export function reportQuarter(today: string): { readonly year: number; readonly quarter: Quarter } {
  const { year, quarter } = quarterOf(addMonths(monthOf(today), -3));
  return { year, quarter };
}

export interface DrawFacts extends TeamRef {
  readonly programmeId: string;
  /** First local date the programme is in force. */
  readonly inForceFrom: string;
  /** A (non-voided) sample for the programme, team and month exists. */
  readonly drawn: boolean;
}

/** This month's draw for a team under a programme in force in it, while no sample has been drawn. */
export function drawDeadline(facts: DrawFacts, month: string): Deadline | null {
  if (facts.drawn || facts.inForceFrom > lastDayOfMonth(month)) return null;
  return {
    kind: 'draw',
    ref: `${facts.programmeId}/${facts.teamId}/${month}`,
    dueDate: drawDueDate(month),
    action: 'sampling.draw',
    resource: teamResource(facts),
    path: `/api/v1/programmes/${facts.programmeId}/samples`,
  };
}

export interface ReviewFacts extends TeamRef {
  readonly reviewId: string;
  readonly status: 'open' | 'completed' | 'withdrawn';
  /** The review deadline of its sample month. */
  readonly deadline: string;
  readonly completedOn: string | null;
  /** One-on-one talks and anonymised team discussions held about it. */
  readonly talks: number;
  readonly discussions: number;
}

/** An open review is due on its deadline. */
export function openReviewDeadline(facts: ReviewFacts): Deadline | null {
  if (facts.status !== 'open') return null;
  return {
    kind: 'review',
    ref: facts.reviewId,
    dueDate: facts.deadline,
    action: 'review.act',
    resource: teamResource(facts),
    path: `/api/v1/reviews/${facts.reviewId}`,
  };
}

/**
 * A completed review is discussed with the employee or anonymised in the team (003:62, 000:90): due
 * `TALK_DAYS_AFTER_COMPLETION` days after completion while neither has been held.
 */
export function talkDeadline(facts: ReviewFacts, daysAfter = TALK_DAYS_AFTER_COMPLETION): Deadline | null {
  if (facts.status !== 'completed' || facts.completedOn === null) return null;
  if (facts.talks > 0 || facts.discussions > 0) return null;
  return {
    kind: 'talk',
    ref: facts.reviewId,
    dueDate: addDays(facts.completedOn, daysAfter),
    action: 'review.act',
    resource: teamResource(facts),
    path: `/api/v1/reviews/${facts.reviewId}`,
  };
}

export interface MeasureFacts extends TeamRef {
  readonly measureId: string;
  readonly status: 'open' | 'completed' | 'cancelled';
  readonly dueDate: string;
}

/** An open measure is due on its due date (followed up by the team's leadership, 000:90). */
export function measureDeadline(facts: MeasureFacts): Deadline | null {
  if (facts.status !== 'open') return null;
  return {
    kind: 'measure',
    ref: facts.measureId,
    dueDate: facts.dueDate,
    action: 'measure.follow-up',
    resource: teamResource(facts),
    path: `/api/v1/measures/${facts.measureId}`,
  };
}

/** The team's quarterly report (000:91), owed and not submitted: due on the report day after the quarter. */
export function teamReportDeadline(
  team: TeamRef & ReportingTeam,
  programmes: readonly ReportingProgramme[],
  year: number,
  quarter: Quarter,
  defaultDueDay: number,
  submitted: boolean,
): Deadline | null {
  const obligation = teamReportObligation(team, programmes, year, quarter, defaultDueDay);
  if (submitted || !obligation.owed) return null;
  return {
    kind: 'team-report',
    ref: `${team.teamId}/${year}-Q${quarter}`,
    dueDate: obligation.dueDate,
    action: 'report.submit',
    resource: teamResource(team),
    path: `/api/v1/teams/${team.teamId}/reports/${year}/Q${quarter}/draft`,
  };
}

/** The legal department's quarterly report or nil report (000:103), owed and not submitted. */
export function legalReportDeadline(
  tenant: string,
  programmes: readonly ReportingProgramme[],
  year: number,
  quarter: Quarter,
  dueDay: number,
  submitted: boolean,
): Deadline | null {
  const obligation = legalReportObligation(programmes, year, quarter, dueDay);
  if (submitted || !obligation.owed) return null;
  return {
    kind: 'legal-report',
    ref: `${LEGAL_UNIT_ID}/${year}-Q${quarter}`,
    dueDate: obligation.dueDate,
    action: 'report.legal.submit',
    resource: { tenant },
    path: `/api/v1/legal/reports/${year}/Q${quarter}`,
  };
}

export interface RoutineFacts {
  readonly tenant: string;
  readonly programmeId: string;
  readonly status: 'active' | 'suspended';
  readonly recheckOn: string | null;
}

/** A suspended routine must not run uncontrolled (001:107–125): its re-check date is a deadline. */
export function routineRecheckDeadline(facts: RoutineFacts): Deadline | null {
  if (facts.status !== 'suspended' || facts.recheckOn === null) return null;
  return {
    kind: 'routine-recheck',
    ref: facts.programmeId,
    dueDate: facts.recheckOn,
    action: 'routine.decide',
    resource: { tenant: facts.tenant },
    path: `/api/v1/routines/${facts.programmeId}`,
  };
}

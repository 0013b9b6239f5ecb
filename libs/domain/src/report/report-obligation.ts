import { lastDayOfMonth, monthsOfQuarter, reportDueDate, type Quarter } from '../calendar/local-date.js';

/**
 * Which quarterly reports are owed (000:91 team leads, 000:103 the legal department "analog"): the one rule
 * behind report status, dashboards, the area summary and trends, so they cannot disagree.
 *
 * A unit owes a report only for a quarter in which one of its programmes was in force. A programme is in
 * force from its definition (Europe/Berlin date) on; programmes are revised, never withdrawn, so it stays in
 * force. The quarter in which it was defined is owed (the review cycle starts that month), earlier ones not.
 * The legal department has no programme of its own: its report on appeals and lawsuits is part of the
 * Jobcenter's supervision, so it owes one from the quarter in which the tenant's first programme came into
 * force (our design; loading the organisation alone puts no supervision in place).
 */

/** What the rule needs of a programme; the `team-figures` and trends read models both carry it. */
export interface ReportingProgramme {
  readonly areaId: string;
  readonly customerProcess: string;
  readonly reportDueDay: number;
  /** The minimum since each local date: the earliest entry is the programme's definition. */
  readonly minimumHistory: readonly { readonly from: string }[];
}

export interface ReportingTeam {
  readonly areaId: string;
  /** The team's customer process; null: every programme of its area applies. */
  readonly process: string | null;
}

export interface ReportObligation {
  /** One of the unit's programmes was in force in the quarter. */
  readonly owed: boolean;
  /**
   * Owed: the earliest report day of the programmes in force. Not owed: the date it would fall due on the
   * default day (a report submitted anyway is judged against it).
   */
  readonly dueDate: string;
}

export type ReportStatus = 'submitted' | 'not-owed' | 'due' | 'overdue';

/** Programmes a team works under: its area's, for the team's customer process (all when it has none). */
export const worksUnder = (team: ReportingTeam, programme: ReportingProgramme): boolean =>
  programme.areaId === team.areaId && (team.process === null || programme.customerProcess === team.process);

/** The local date from which the programme is in force (its definition); undefined without any entry. */
export function inForceFrom(programme: ReportingProgramme): string | undefined {
  let first: string | undefined;
  for (const entry of programme.minimumHistory) if (first === undefined || entry.from < first) first = entry.from;
  return first;
}

/** In force on some day of the quarter: defined on or before its last day. */
export function inForceIn(programme: ReportingProgramme, year: number, quarter: Quarter): boolean {
  const from = inForceFrom(programme);
  return from !== undefined && from <= lastDayOfMonth(monthsOfQuarter(year, quarter)[2]!);
}

/** A team's report for the quarter: owed when a programme it works under was in force. */
export function teamReportObligation(
  team: ReportingTeam,
  programmes: readonly ReportingProgramme[],
  year: number,
  quarter: Quarter,
  defaultDueDay: number,
): ReportObligation {
  const own = programmes.filter((programme) => worksUnder(team, programme) && inForceIn(programme, year, quarter));
  if (own.length === 0) return { owed: false, dueDate: reportDueDate(year, quarter, defaultDueDay) };
  return { owed: true, dueDate: reportDueDate(year, quarter, Math.min(...own.map((p) => p.reportDueDay))) };
}

/** The legal department's report: owed once any programme of the tenant was in force; due on `dueDay`. */
export function legalReportObligation(
  programmes: readonly ReportingProgramme[],
  year: number,
  quarter: Quarter,
  dueDay: number,
): ReportObligation {
  return {
    owed: programmes.some((programme) => inForceIn(programme, year, quarter)),
    dueDate: reportDueDate(year, quarter, dueDay),
  };
}

/** Submitted wins; otherwise not owed, or due until its due date and overdue after it. */
export function reportStatus(obligation: ReportObligation, submitted: boolean, today: string): ReportStatus {
  if (submitted) return 'submitted';
  if (!obligation.owed) return 'not-owed';
  return today > obligation.dueDate ? 'overdue' : 'due';
}

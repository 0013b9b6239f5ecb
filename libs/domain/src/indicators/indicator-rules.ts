import { addDays, addMonthsToDate, daysBetween } from '../calendar/local-date.js';

/**
 * The calendar rules of the monthly team indicators (Lichtenberg, 004:40–100): pure functions on
 * Europe/Berlin local dates (`yyyy-mm-dd`), team level only. Each case row is judged on its own and
 * the figures are counts of rows; nothing here knows who worked on a case (004:100: "keine Auswertung
 * nach Mitarbeiter").
 *
 * Every rule answers `excluded` (not in the indicator's population), `fulfilled` or `missed`.
 */
export type RuleOutcome = 'excluded' | 'fulfilled' | 'missed';

// ---- a. first consultation (Erstberatung) -------------------------------------------------------------

/** Why a customer is new (004:62–64): first application, re-application after a benefit-free period, new BG number. */
export type NewCustomerReason = 'first-application' | 're-application' | 'new-bg-number';
export const NEW_CUSTOMER_REASONS: readonly NewCustomerReason[] = [
  'first-application',
  're-application',
  'new-bg-number',
];

/**
 * The listed exceptions (004:66): one-off payments, Alg top-ups, pupils in full-time compulsory schooling,
 * termination reasons and special cases in ALLEGRO, rejected applications.
 */
export type FirstConsultationException =
  'one-off-payment' | 'alg-top-up' | 'compulsory-schooling' | 'termination-or-special-case' | 'application-rejected';
export const FIRST_CONSULTATION_EXCEPTIONS: readonly FirstConsultationException[] = [
  'one-off-payment',
  'alg-top-up',
  'compulsory-schooling',
  'termination-or-special-case',
  'application-rejected',
];

export interface FirstConsultationCase {
  readonly reason: NewCustomerReason;
  /** Local date of the application (or of the new BG number). */
  readonly applicationDate: string;
  readonly exception: FirstConsultationException | null;
  /** Local date of the documented first consultation, or null when none is documented. */
  readonly firstConsultationDate: string | null;
}

/**
 * Fulfilled when a first consultation is documented by the reference date (004:68: "ein dokumentiertes
 * Erstgespräch erhalten haben"); one documented after the reference date was not there when the figures
 * were taken. Excepted cases and applications after the reference date are not counted.
 */
export function firstConsultationOutcome(row: FirstConsultationCase, referenceDate: string): RuleOutcome {
  if (row.exception !== null) return 'excluded';
  if (daysBetween(row.applicationDate, referenceDate) < 0) return 'excluded';
  if (row.firstConsultationDate === null) return 'missed';
  return daysBetween(row.firstConsultationDate, referenceDate) >= 0 ? 'fulfilled' : 'missed';
}

// ---- b. counselling activity (Beratungsaktivität, §§ 14, 15 SGB II) ---------------------------------

/** Placement status (AV-Status) in VerBIS; `not-registered` for everyone not registered for placement. */
export type PlacementStatus = 'job-seeking' | 'unemployed' | 'advice-seeking' | 'unset' | 'not-registered';
export const PLACEMENT_STATUSES: readonly PlacementStatus[] = [
  'job-seeking',
  'unemployed',
  'advice-seeking',
  'unset',
  'not-registered',
];
/** Registered for placement (004:74: "arbeitssuchend, arbeitslos, ratsuchend oder nicht gesetzt"). */
export const REGISTERED_FOR_PLACEMENT: readonly PlacementStatus[] = [
  'job-seeking',
  'unemployed',
  'advice-seeking',
  'unset',
];

/** The legal frame: at least one contact every 6 months (004:42); a team may agree a shorter interval. */
export const STATUTORY_CONTACT_INTERVAL_MONTHS = 6;

export interface CounsellingCase {
  /** The status at the reference date. */
  readonly placementStatus: PlacementStatus;
  /** A valid CV entry for full-time compulsory schooling (004:40): excluded. */
  readonly compulsorySchooling: boolean;
  /** Local date of the latest documented contact on or before the reference date, or null. */
  readonly lastContactDate: string | null;
}

/**
 * The first day still inside the contact window: the reference date minus the interval in calendar
 * months (the month's last day when that month is shorter: 2025-08-31 − 6 months = 2025-02-28). A contact
 * on that day or later, up to the reference date, counts.
 */
export function contactWindowStart(referenceDate: string, intervalMonths: number): string {
  assertInterval(intervalMonths);
  return addMonthsToDate(referenceDate, -intervalMonths);
}

function assertInterval(intervalMonths: number): void {
  if (!Number.isInteger(intervalMonths) || intervalMonths < 1 || intervalMonths > STATUTORY_CONTACT_INTERVAL_MONTHS)
    throw new RangeError(
      `contact interval must be 1 to ${STATUTORY_CONTACT_INTERVAL_MONTHS} months: ${intervalMonths}`,
    );
}

export function counsellingContactOutcome(
  row: CounsellingCase,
  referenceDate: string,
  intervalMonths: number = STATUTORY_CONTACT_INTERVAL_MONTHS,
): RuleOutcome {
  const windowStart = contactWindowStart(referenceDate, intervalMonths);
  if (!REGISTERED_FOR_PLACEMENT.includes(row.placementStatus) || row.compulsorySchooling) return 'excluded';
  if (row.lastContactDate === null) return 'missed';
  return daysBetween(windowStart, row.lastContactDate) >= 0 && daysBetween(row.lastContactDate, referenceDate) >= 0
    ? 'fulfilled'
    : 'missed';
}

// ---- c. graduate management (Absolventenmanagement) ---------------------------------------------------

/** Calendar days before the end of participation a counselling still counts (004:84, 004:86). */
export const GRADUATE_DAYS_BEFORE = 91;
/** Calendar days after the end a counselling still counts in the wide sense (004:86). */
export const GRADUATE_DAYS_AFTER_WIDE = 14;

export interface GraduateCase {
  /** Local date of the end of the individual participation. */
  readonly participationEnd: string;
  /** Local dates of the counselling talks documented in VerBIS around it. */
  readonly counsellingDates: readonly string[];
}

export interface GraduateOutcome {
  /** From 91 days before up to the end of participation, both included (im engeren Sinne). */
  readonly narrow: 'fulfilled' | 'missed';
  /** From 91 days before up to 14 days after the end, both included (im weiteren Sinne). */
  readonly wide: 'fulfilled' | 'missed';
}

/** The window of a graduate case: first and last day on which a counselling counts. */
export function graduateWindow(participationEnd: string, sense: 'narrow' | 'wide'): { from: string; to: string } {
  return {
    from: addDays(participationEnd, -GRADUATE_DAYS_BEFORE),
    to: sense === 'narrow' ? participationEnd : addDays(participationEnd, GRADUATE_DAYS_AFTER_WIDE),
  };
}

export function graduateOutcome(row: GraduateCase): GraduateOutcome {
  const offsets = row.counsellingDates.map((date) => daysBetween(row.participationEnd, date));
  const within = (after: number): boolean =>
    offsets.some((offset) => offset >= -GRADUATE_DAYS_BEFORE && offset <= after);
  return {
    narrow: within(0) ? 'fulfilled' : 'missed',
    wide: within(GRADUATE_DAYS_AFTER_WIDE) ? 'fulfilled' : 'missed',
  };
}

/**
 * Whether the wide-sense outcome of a participation can still change at the reference date: its 14 days
 * after the end reach past it (a talk may yet be documented). Such cases are counted as they stand and
 * reported as `pending`, so the team sees why the figure may still rise.
 */
export const graduateStillOpen = (participationEnd: string, referenceDate: string): boolean =>
  daysBetween(referenceDate, addDays(participationEnd, GRADUATE_DAYS_AFTER_WIDE)) > 0;

// ---- d. counselling capacity (Nutzung der Beratungskapazität) -----------------------------------------

/** Standard: 60 % of working time is counselling time (004:46). */
export const STANDARD_COUNSELLING_SHARE_PERCENT = 60;

/**
 * Possible counselling slots of the team in the month from its working hours: the counselling share of
 * the working time divided by the slot length, rounded down (a started slot is no slot). The seed refers
 * the method to "Festlegung 03/2022", which is not in the sources; a Jobcenter that counts its slots
 * otherwise imports the possible slots as a ready figure.
 */
export function possibleSlots(workingHours: number, sharePercent: number, slotMinutes: number): number {
  if (!(workingHours >= 0) || !(sharePercent > 0 && sharePercent <= 100) || !(slotMinutes > 0))
    throw new RangeError('working hours ≥ 0, share 1–100 %, slot minutes > 0');
  // Whole minutes first, so 0.6 × 60 does not become 35.99999 by floating point.
  return Math.floor(Math.round(workingHours * 60 * sharePercent) / 100 / slotMinutes);
}

/** Used share of the possible slots in per cent (one decimal), null when no slot was possible. */
export function capacityUsePercent(usedSlots: number, possible: number): number | null {
  if (possible <= 0) return null;
  return Math.round((usedSlots / possible) * 1000) / 10;
}

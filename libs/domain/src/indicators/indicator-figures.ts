import {
  capacityUsePercent,
  counsellingContactOutcome,
  type CounsellingCase,
  type FirstConsultationCase,
  firstConsultationOutcome,
  type GraduateCase,
  graduateOutcome,
  graduateStillOpen,
  possibleSlots,
} from './indicator-rules.js';

/** The four indicators of 004:56–92, in the order the seed lists them. */
export type IndicatorKind =
  'first-consultation' | 'counselling-contact' | 'graduate-management' | 'counselling-capacity';
export const INDICATOR_KINDS: readonly IndicatorKind[] = [
  'first-consultation',
  'counselling-contact',
  'graduate-management',
  'counselling-capacity',
];

/** A team's own settings for the indicators (a "Teamvereinbarung", 004:42), recorded with every import. */
export interface IndicatorSettings {
  /** Agreed contact interval, 1 to 6 months (6 = the legal frame). */
  readonly contactIntervalMonths: number;
  /** Share of working time that is counselling time, per cent (standard 60, 004:46). */
  readonly counsellingSharePercent: number;
  /** Length of one counselling slot in minutes, for possible slots computed from working hours. */
  readonly slotMinutes: number;
}

export const DEFAULT_INDICATOR_SETTINGS: IndicatorSettings = {
  contactIntervalMonths: 6,
  counsellingSharePercent: 60,
  slotMinutes: 60,
};

/** A share indicator: how many cases count, how many fulfil it. */
export interface ShareFigure {
  readonly eligible: number;
  readonly fulfilled: number;
  /** Cases of the import not counted (the listed exceptions); null for ready counts. */
  readonly excluded: number | null;
}

export interface GraduateFigure {
  readonly eligible: number;
  readonly fulfilledNarrow: number;
  readonly fulfilledWide: number;
  /** Participations whose 14 days after the end reach past the reference date (the wide figure may rise). */
  readonly pending: number | null;
}

export interface CapacityFigure {
  readonly usedSlots: number;
  readonly possibleSlots: number;
  /** Working hours the possible slots were computed from; null when imported as a ready figure. */
  readonly workingHours: number | null;
}

/** A month's figures of one team: counts only, never a case and never an employee. Null: not supplied. */
export interface IndicatorFigures {
  readonly firstConsultation: ShareFigure | null;
  readonly counsellingContact: ShareFigure | null;
  readonly graduateManagement: GraduateFigure | null;
  readonly counsellingCapacity: CapacityFigure | null;
}

export interface CapacityInput {
  readonly usedSlots: number;
  /** Either ready possible slots, or working hours to compute them from with the team's share and slot length. */
  readonly possibleSlots: number | null;
  readonly workingHours: number | null;
}

/** The case rows of one import, by indicator (a kind left empty and not supplied is null). */
export interface IndicatorCases {
  readonly firstConsultation: readonly FirstConsultationCase[] | null;
  readonly counsellingContact: readonly CounsellingCase[] | null;
  readonly graduateManagement: readonly GraduateCase[] | null;
  readonly counsellingCapacity: CapacityInput | null;
}

function share<Row>(rows: readonly Row[], outcome: (row: Row) => 'excluded' | 'fulfilled' | 'missed'): ShareFigure {
  let eligible = 0;
  let fulfilled = 0;
  let excluded = 0;
  for (const row of rows) {
    const result = outcome(row);
    if (result === 'excluded') excluded += 1;
    else {
      eligible += 1;
      if (result === 'fulfilled') fulfilled += 1;
    }
  }
  return { eligible, fulfilled, excluded };
}

export function capacityFigure(input: CapacityInput, settings: IndicatorSettings): CapacityFigure {
  return {
    usedSlots: input.usedSlots,
    possibleSlots:
      input.possibleSlots ??
      possibleSlots(input.workingHours ?? 0, settings.counsellingSharePercent, settings.slotMinutes),
    workingHours: input.possibleSlots === null ? input.workingHours : null,
  };
}

/** Computes a month's figures from its case rows with the calendar rules at the reference date. */
export function computeIndicatorFigures(
  cases: IndicatorCases,
  referenceDate: string,
  settings: IndicatorSettings,
): IndicatorFigures {
  const graduates = cases.graduateManagement;
  return {
    firstConsultation:
      cases.firstConsultation && share(cases.firstConsultation, (row) => firstConsultationOutcome(row, referenceDate)),
    counsellingContact:
      cases.counsellingContact &&
      share(cases.counsellingContact, (row) =>
        counsellingContactOutcome(row, referenceDate, settings.contactIntervalMonths),
      ),
    graduateManagement: graduates && {
      eligible: graduates.length,
      fulfilledNarrow: graduates.filter((row) => graduateOutcome(row).narrow === 'fulfilled').length,
      fulfilledWide: graduates.filter((row) => graduateOutcome(row).wide === 'fulfilled').length,
      pending: graduates.filter((row) => graduateStillOpen(row.participationEnd, referenceDate)).length,
    },
    counsellingCapacity: cases.counsellingCapacity && capacityFigure(cases.counsellingCapacity, settings),
  };
}

/** Share of a figure in per cent (one decimal); null without eligible cases. */
export function sharePercent(fulfilled: number, eligible: number): number | null {
  return eligible <= 0 ? null : Math.round((fulfilled / eligible) * 1000) / 10;
}

/** The percentage each indicator shows (graduate management: the narrow sense; capacity: slots used). */
export function indicatorPercent(figures: IndicatorFigures, kind: IndicatorKind): number | null {
  switch (kind) {
    case 'first-consultation':
      return (
        figures.firstConsultation &&
        sharePercent(figures.firstConsultation.fulfilled, figures.firstConsultation.eligible)
      );
    case 'counselling-contact':
      return (
        figures.counsellingContact &&
        sharePercent(figures.counsellingContact.fulfilled, figures.counsellingContact.eligible)
      );
    case 'graduate-management':
      return (
        figures.graduateManagement &&
        sharePercent(figures.graduateManagement.fulfilledNarrow, figures.graduateManagement.eligible)
      );
    case 'counselling-capacity':
      return (
        figures.counsellingCapacity &&
        capacityUsePercent(figures.counsellingCapacity.usedSlots, figures.counsellingCapacity.possibleSlots)
      );
    default: {
      const unknown: never = kind;
      throw new Error(`unknown indicator ${String(unknown)}`);
    }
  }
}

/** Whether the figures supply an indicator at all (only supplied indicators can be rated). */
export function hasIndicator(figures: IndicatorFigures, kind: IndicatorKind): boolean {
  switch (kind) {
    case 'first-consultation':
      return figures.firstConsultation !== null;
    case 'counselling-contact':
      return figures.counsellingContact !== null;
    case 'graduate-management':
      return figures.graduateManagement !== null;
    case 'counselling-capacity':
      return figures.counsellingCapacity !== null;
    default: {
      const unknown: never = kind;
      throw new Error(`unknown indicator ${String(unknown)}`);
    }
  }
}

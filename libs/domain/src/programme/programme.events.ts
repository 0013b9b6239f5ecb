import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * Programme (Prüfplan): what an area reviews, how many cases, who draws, how errors are judged. Each
 * revision carries its reason; together they are the change history (Änderungshistorie, 000:113).
 */
export type ErrorRatePolicy =
  /** The 2021 federal method collects no error rates (003:58). */
  | { readonly kind: 'none' }
  /** Krefeld Leistung: collect, judged against a tolerance (the BA standard, alternatively 10 %, 001:202). */
  | { readonly kind: 'collect'; readonly tolerancePercent: number };

export interface ProgrammeSettings {
  readonly title: string;
  readonly areaId: string;
  readonly customerProcess: string;
  readonly questionnaireId: string | null;
  /** A minimum, not a cap (003:45 "mindestens 10"). */
  readonly minimumCasesPerTeamLead: number;
  readonly drawnBy: 'management' | 'area_head';
  readonly errorRatePolicy: ErrorRatePolicy;
  /** Reviews are due this many days after the sample month ends (0: its last day). */
  readonly reviewDeadlineDaysAfterMonth: number;
  readonly retentionMonths: number;
  /** Day of the month after the quarter on which the quarterly report is due. */
  readonly reportDueDay: number;
  readonly deputiesReview: boolean;
  /** Cases drawn for this programme within the last N months are skipped (default 6). */
  readonly excludeDrawnWithinMonths: number;
  /** With more customer groups than n, which groups get a guaranteed case (the draw records it). */
  readonly coverageRule: 'least-recently-covered';
  /** The Trägerversammlung's dated consent to review § 16a SGB II cases (003:53); null: excluded. */
  readonly section16aConsent: { readonly date: string; readonly decision: string } | null;
}

/** Settings whose change alters the sampling procedure: the staff council takes part first (003:68). */
export const SAMPLING_SETTINGS = [
  'minimumCasesPerTeamLead',
  'drawnBy',
  'customerProcess',
  'excludeDrawnWithinMonths',
  'coverageRule',
  'section16aConsent',
] as const satisfies readonly (keyof ProgrammeSettings)[];

export interface StaffCouncilParticipation {
  /** Local date (Europe/Berlin) of the staff council's (Personalrat) participation. */
  readonly date: string;
  readonly outcome: 'agreed' | 'consulted';
}

export type ProgrammeDefined = DomainEvent<
  'ProgrammeDefined',
  {
    readonly programmeId: string;
    readonly settings: ProgrammeSettings;
    readonly reason: string;
    /** Free-text note: may name people, so it is sealed. */
    readonly note: Sealed | null;
    readonly definedAt: string;
  }
>;

export type ProgrammeRevised = DomainEvent<
  'ProgrammeRevised',
  {
    readonly programmeId: string;
    /** 1 for the first revision after the definition. */
    readonly revision: number;
    readonly changes: Partial<ProgrammeSettings>;
    readonly reason: string;
    readonly staffCouncil: StaffCouncilParticipation | null;
    readonly note: Sealed | null;
    readonly revisedAt: string;
  }
>;

export type ProgrammeEvent = ProgrammeDefined | ProgrammeRevised;

/** Current schema version of each event type (the pipeline stamps it; older ones are upcast on read). */
export const PROGRAMME_EVENT_SCHEMAS = {
  ProgrammeDefined: 1,
  ProgrammeRevised: 1,
} as const satisfies Record<ProgrammeEvent['type'], number>;

export const programmeStreamId = (programmeId: string): string => `programme-${programmeId}`;

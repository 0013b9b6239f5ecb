import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * Quarterly reports (000:91, 000:103): the team lead's anonymised report to the area head, generated from
 * projections plus the team lead's assessment; the legal department's report or its mandatory nil report
 * (Fehlanzeige). Stream: `report-<tenant>-<unitId>-<yyyy>-Q<n>`, sealed under `report:<tenant>-<unitId>-<yyyy>-Q<n>`.
 */
export interface ReportFigures {
  /** Cases sampled for the team in the quarter (withdrawn, i.e. replaced, cases not counted). */
  readonly reviewsSampled: number;
  readonly reviewsDone: number;
  /** Minimum per team lead per month × months of the quarter (per programme, summed). */
  readonly reviewsRequired: number;
  readonly goalDirected: number;
  readonly notGoalDirected: number;
  /** Defects by category and severity: `{ category: { minor, serious } }` (withdrawn ones removed). */
  readonly defects: Readonly<Record<string, { readonly minor: number; readonly serious: number }>>;
  readonly seriousDefects: number;
  /** Defects marked for the procedure for established financial losses (VfV, 001:242). */
  readonly financialLossDefects: number;
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
  /** Measures agreed, completed and cancelled within the quarter. */
  readonly measuresAgreed: number;
  readonly measuresCompleted: number;
  readonly measuresCancelled: number;
  /** Measures open, and open past their due date, on `asOf`. */
  readonly measuresOpen: number;
  readonly measuresOverdue: number;
  /** Reference date for open and overdue measures: the quarter's last day, or the day of a draft before it. */
  readonly asOf: string;
  readonly programmes: readonly {
    readonly programmeId: string;
    readonly title: string;
    readonly reviewsRequired: number;
    readonly reviewsDone: number;
  }[];
}

/** The legal department reports as one unit of the Jobcenter (000:99–103, Sachgebiet Recht / SGG). */
export const LEGAL_UNIT_ID = 'legal';

export type ReportSubmitted = DomainEvent<
  'ReportSubmitted',
  {
    readonly reportId: string;
    readonly kind: 'team';
    readonly unitId: string;
    readonly areaId: string;
    readonly year: number;
    readonly quarter: 1 | 2 | 3 | 4;
    readonly figures: ReportFigures;
    /** Serious defects described without personal data (still free text, so sealed). */
    readonly seriousDefects: readonly {
      readonly category: string;
      readonly legalNorm: string | null;
      readonly description: Sealed;
    }[];
    readonly assessment: Sealed;
    readonly submittedAt: string;
    /** Local date the report was due (the programme's report due day after the quarter). */
    readonly dueDate: string;
  }
>;

export type LegalReportSubmitted = DomainEvent<
  'LegalReportSubmitted',
  {
    readonly reportId: string;
    readonly kind: 'legal';
    readonly unitId: string;
    readonly year: number;
    readonly quarter: 1 | 2 | 3 | 4;
    /** A nil report (Fehlanzeige) is explicit: findings empty and `nil: true`. */
    readonly nil: boolean;
    readonly findings: readonly {
      readonly legalNorm: string;
      readonly reason: string;
      readonly teamId: string | null;
      readonly upheldAppeals: number;
      readonly avoidable: number;
      readonly note: Sealed | null;
    }[];
    readonly assessment: Sealed | null;
    readonly submittedAt: string;
    readonly dueDate: string;
  }
>;

export type ReportEvent = ReportSubmitted | LegalReportSubmitted;

export const REPORT_EVENT_SCHEMAS = {
  ReportSubmitted: 1,
  LegalReportSubmitted: 1,
} as const satisfies Record<ReportEvent['type'], number>;

export const reportId = (tenant: string, unitId: string, year: number, quarter: number): string =>
  `${tenant}-${unitId}-${year}-Q${quarter}`;
export const reportStreamId = (id: string): string => `report-${id}`;
export const reportKeyId = (id: string): string => `report:${id}`;

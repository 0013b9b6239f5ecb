import type { DomainEvent } from '../shared/decider.js';
import type { Sealed } from '../shared/sealed.js';

/**
 * Quarterly reports (000:91, 000:103): the team lead's anonymised report to the area head, generated from
 * projections plus the team lead's assessment; the legal department's report or its mandatory nil report
 * (Fehlanzeige). Stream: `report-<tenant>-<unitId>-<yyyy>-Q<n>`, sealed under `report:<tenant>-<unitId>-<yyyy>-Q<n>`.
 */
export interface ReportFigures {
  readonly reviewsDone: number;
  /** Minimum per team lead per month × months of the quarter (per programme, summed). */
  readonly reviewsRequired: number;
  readonly goalDirected: number;
  readonly notGoalDirected: number;
  /** Defects by category and severity: `{ category: { minor, serious } }`. */
  readonly defects: Readonly<Record<string, { readonly minor: number; readonly serious: number }>>;
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
  readonly measuresAgreed: number;
  readonly measuresCompleted: number;
  readonly measuresOpen: number;
  readonly measuresOverdue: number;
}

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
    readonly seriousDefects: readonly { readonly category: string; readonly legalNorm: string | null; readonly description: Sealed }[];
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

import type { LegalReportSubmitted, ReportFigures, ReportSubmitted, Sealed } from '@pruefpfad/domain';

/**
 * Read model `reports`: one document per submitted quarterly report (team or legal), `_id` = reportId
 * (`<tenant>-<unitId>-<yyyy>-Q<n>`). Free text stays sealed; query services open it after authorisation.
 */
export const REPORTS = 'reports';

export interface ReportDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly kind: 'team' | 'legal';
  readonly unitId: string;
  /** The team's area; null for the legal department's report. */
  readonly areaId: string | null;
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
  readonly figures: ReportFigures | null;
  readonly seriousDefects: ReportSubmitted['data']['seriousDefects'];
  readonly assessment: Sealed | null;
  readonly nil: boolean | null;
  readonly findings: LegalReportSubmitted['data']['findings'] | null;
  readonly submittedAt: string;
  /** Local date (Europe/Berlin) of the submission. */
  readonly submittedOn: string;
  readonly dueDate: string;
  /** Submitted after the due date. */
  readonly late: boolean;
  readonly submittedByRole: string;
  readonly streamRevision: number;
}

import type { RecordedEvent } from '@pruefpfad/event-store';
import { recordedEvent } from './fold-in-memory.js';

/**
 * Shared by the read models' unit tests that fold review histories (team-figures, trends, retention
 * summaries): event builders with the fields those events carry, positions counted from 1 in the order
 * the builders are called. Personal fields get a placeholder envelope: these tests are about figures.
 */
export const SEALED = { $sealed: 1, kid: 'k', iv: 'i', ct: 'c', tag: 't' } as const;

export function streamOf(type: string, data: Record<string, unknown>): string {
  if (type.startsWith('Programme')) return `programme-${String(data['programmeId'])}`;
  if (type.startsWith('Routine')) return `routine-${String(data['programmeId'])}`;
  if (type.startsWith('Measure')) return `measure-${String(data['measureId'])}`;
  if (type === 'ReportSubmitted') return `report-${String(data['reportId'])}`;
  return `review-${String(data['reviewId'])}`;
}

export interface HistoryDefaults {
  readonly programmeId: string;
  readonly areaId: string;
  readonly questionnaireId: string;
  readonly legalNorm: string;
  /** `occurredAt` of events that name none. */
  readonly occurredAt?: string;
}

export class ReviewHistory {
  private position = 0;

  constructor(private readonly defaults: HistoryDefaults) {}

  at(type: string, data: Record<string, unknown>, occurredAt = this.defaults.occurredAt ?? '2026-01-05T09:00:00.000Z') {
    this.position += 1;
    return recordedEvent({
      type,
      data,
      streamId: streamOf(type, data),
      position: this.position,
      metadata: { occurredAt },
    });
  }

  sampled(reviewId: string, teamId: string, month: string, questionnaireVersion = 1): RecordedEvent {
    return this.at('CaseSampled', {
      reviewId,
      sampleId: 's',
      programmeId: this.defaults.programmeId,
      areaId: this.defaults.areaId,
      teamId,
      month,
      casePseudonym: `ps-${reviewId}`,
      caseRef: SEALED,
      customerGroup: 'u25',
      questionnaireId: this.defaults.questionnaireId,
      questionnaireVersion,
      deadline: `${month}-28`,
      origin: { kind: 'draw', replaces: null },
    });
  }

  defect(reviewId: string, defectId: string, category: string, severity: string, financialLoss = false): RecordedEvent {
    return this.at('DefectRecorded', {
      reviewId,
      defectId,
      questionId: 'q1',
      category,
      severity,
      legalNorm: this.defaults.legalNorm,
      description: SEALED,
      financialLoss,
      asDeputy: false,
    });
  }

  completed(reviewId: string, outcome: string, completedAt = '2026-01-20T10:00:00.000Z'): RecordedEvent {
    return this.at('ReviewCompleted', { reviewId, outcome, summary: SEALED, completedAt, asDeputy: false });
  }

  measure(
    measureId: string,
    reviewId: string | null,
    options: {
      readonly teamId?: string;
      readonly kind?: string;
      readonly agreedOn?: string;
      readonly dueDate?: string;
    } = {},
  ): RecordedEvent {
    return this.at('MeasureAgreed', {
      measureId,
      tenant: 'jc-a',
      areaId: this.defaults.areaId,
      teamId: options.teamId ?? 't1',
      reviewId,
      kind: options.kind ?? 'feedback',
      scope: reviewId === null ? 'team' : 'individual',
      owner: SEALED,
      description: SEALED,
      dueDate: options.dueDate ?? '2026-02-15',
      agreedOn: options.agreedOn ?? '2026-01-22',
      decidedByRole: 'team_lead',
    });
  }
}

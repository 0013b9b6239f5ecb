import { berlinDate } from '@pruefpfad/application';
import type { ReportEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { REPORTS, type ReportDoc } from './report.doc.js';

const asEvent = (recorded: RecordedEvent): ReportEvent => ({ type: recorded.type, data: recorded.data }) as ReportEvent;

export const reportsProjection: ProjectionDefinition<ReportDoc> = {
  name: REPORTS,
  version: 1,
  eventTypes: ['ReportSubmitted', 'LegalReportSubmitted'] satisfies ReportEvent['type'][],
  documentIds: (recorded) => [asEvent(recorded).data.reportId],
  evolve: (_doc, recorded, id) => {
    const event = asEvent(recorded);
    const submittedOn = berlinDate(new Date(event.data.submittedAt));
    const common = {
      _id: id,
      tenant: recorded.metadata.tenant,
      unitId: event.data.unitId,
      year: event.data.year,
      quarter: event.data.quarter,
      submittedAt: event.data.submittedAt,
      submittedOn,
      dueDate: event.data.dueDate,
      late: submittedOn > event.data.dueDate,
      submittedByRole: recorded.metadata.actor.role,
      streamRevision: recorded.revision,
    };
    switch (event.type) {
      case 'ReportSubmitted':
        return {
          ...common,
          kind: 'team',
          areaId: event.data.areaId,
          figures: event.data.figures,
          seriousDefects: event.data.seriousDefects,
          assessment: event.data.assessment,
          nil: null,
          findings: null,
        };
      case 'LegalReportSubmitted':
        return {
          ...common,
          kind: 'legal',
          areaId: null,
          figures: null,
          seriousDefects: [],
          assessment: event.data.assessment,
          nil: event.data.nil,
          findings: event.data.findings,
        };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

import type { AreaRiskAnalysisEvent, RecordedRiskAssessment, RiskEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { AREA_RISK_ANALYSES, type AreaRiskAnalysisDoc, RISKS, type RiskDoc } from './risk.doc.js';

type RiskRecorded = RecordedEvent & RiskEvent;

const assessmentOf = (data: RecordedRiskAssessment): RecordedRiskAssessment => ({
  impact: data.impact,
  likelihood: data.likelihood,
  score: data.score,
  aboveAppetite: data.aboveAppetite,
  damagePotential: data.damagePotential,
  matrixRevision: data.matrixRevision,
  assessedOn: data.assessedOn,
  reassessBy: data.reassessBy,
  reason: data.reason,
});

/** One document per risk with its assessment and treatment history. */
export const risksProjection: ProjectionDefinition<RiskDoc> = {
  name: RISKS,
  version: 1,
  // The register filtered by status and area; open risks per tenant (deadlines).
  indexes: [{ fields: { tenant: 1, status: 1, areaId: 1 } }],
  eventTypes: [
    'RiskIdentified',
    'RiskAssessed',
    'RiskReassessed',
    'RiskTreatmentDecided',
    'RiskClosed',
  ] satisfies RiskEvent['type'][],
  documentIds: (event) => [(event.data as RiskEvent['data']).riskId],
  evolve: (doc, recorded) => {
    const event = recorded as RiskRecorded;
    if (event.type === 'RiskIdentified') {
      const d = event.data;
      return {
        _id: d.riskId,
        tenant: d.tenant,
        title: d.title,
        description: d.description,
        source: d.source,
        areaId: d.areaId,
        process: d.process,
        links: d.links,
        identifiedOn: d.identifiedOn,
        identificationReason: d.reason,
        status: 'open',
        assessment: null,
        assessments: [],
        treatment: null,
        treatments: [],
        closedOn: null,
        closingReason: null,
        streamRevision: recorded.revision,
      };
    }
    if (doc === null) return null;
    switch (event.type) {
      case 'RiskAssessed':
      case 'RiskReassessed': {
        const assessment = assessmentOf(event.data);
        const kind = event.type === 'RiskAssessed' ? ('assessed' as const) : ('reassessed' as const);
        return {
          ...doc,
          assessment,
          assessments: [...doc.assessments, { ...assessment, kind }],
          streamRevision: recorded.revision,
        };
      }
      case 'RiskTreatmentDecided': {
        const { riskId: _riskId, ...treatment } = event.data;
        return { ...doc, treatment, treatments: [...doc.treatments, treatment], streamRevision: recorded.revision };
      }
      case 'RiskClosed':
        return {
          ...doc,
          status: 'closed',
          closedOn: event.data.closedOn,
          closingReason: event.data.reason,
          streamRevision: recorded.revision,
        };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

/** The latest consolidation per area and quarter. */
export const areaRiskAnalysesProjection: ProjectionDefinition<AreaRiskAnalysisDoc> = {
  name: AREA_RISK_ANALYSES,
  version: 1,
  // A tenant's analyses of a quarter.
  indexes: [{ fields: { tenant: 1, year: 1, quarter: 1 } }],
  eventTypes: ['AreaRiskAnalysisConsolidated'] satisfies AreaRiskAnalysisEvent['type'][],
  documentIds: (event) => {
    const d = event.data as AreaRiskAnalysisEvent['data'];
    return [`${d.tenant}:${d.areaId}-${d.year}-Q${d.quarter}`];
  },
  evolve: (doc, recorded, documentId) => {
    const d = (recorded as RecordedEvent & AreaRiskAnalysisEvent).data;
    return {
      _id: documentId,
      tenant: d.tenant,
      areaId: d.areaId,
      year: d.year,
      quarter: d.quarter,
      teamReports: d.teamReports,
      riskIds: d.riskIds,
      summary: d.summary,
      consolidatedOn: d.consolidatedOn,
      reason: d.reason,
      versions: (doc?.versions ?? 0) + 1,
    };
  },
};

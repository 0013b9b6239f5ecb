import type { PopulationPurged, SamplingEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { SAMPLES, type SampleCaseDoc, type SampleDoc } from './sample.doc.js';

type SamplingRecorded = RecordedEvent & SamplingEvent;

const countActive = (cases: readonly SampleCaseDoc[]): number => cases.filter((c) => c.status === 'active').length;

export const samplesProjection: ProjectionDefinition<SampleDoc> = {
  name: SAMPLES,
  // 2: draw tokens instead of pseudonyms; back-dated and voided draws.
  version: 2,
  // A programme's samples newest month first; a team's earlier months (coverage rule); a tenant's month
  // (inbox, audit).
  indexes: [
    { fields: { tenant: 1, programmeId: 1, month: -1, teamId: 1 } },
    { fields: { tenant: 1, programmeId: 1, teamId: 1, month: 1 } },
    { fields: { tenant: 1, month: 1 } },
  ],
  eventTypes: ['SampleDrawn', 'SupplementaryCasesDrawn', 'CaseReplaced', 'SampleVoided', 'PopulationPurged'] satisfies (
    SamplingEvent | PopulationPurged
  )['type'][],
  documentIds: (event) =>
    event.type === 'PopulationPurged'
      ? (event.data as PopulationPurged['data']).sampleIds
      : [(event.data as SamplingEvent['data']).sampleId],
  evolve: (doc, recorded) => {
    // Retention: the sample goes with the population it was drawn from.
    if (recorded.type === 'PopulationPurged') return null;
    const event = recorded as SamplingRecorded;
    switch (event.type) {
      case 'SampleDrawn': {
        const data = event.data;
        const cases = data.cases.map((c): SampleCaseDoc => ({
          ...c,
          origin: 'draw',
          replaces: null,
          status: 'active',
          replacedBy: null,
        }));
        return {
          _id: data.sampleId,
          tenant: event.metadata.tenant,
          programmeId: data.programmeId,
          month: data.month,
          teamId: data.teamId,
          areaId: data.areaId,
          populationId: data.populationId,
          populationFingerprint: data.populationFingerprint,
          seed: data.seed,
          algorithm: data.algorithm,
          n: data.n,
          eligible: data.eligible,
          excluded: data.excluded,
          section16aIncluded: data.inputs.section16aIncluded,
          coverage: data.coverage,
          questionnaireId: data.questionnaireId,
          questionnaireVersion: data.questionnaireVersion,
          deadline: data.deadline,
          drawnAt: event.metadata.occurredAt,
          drawnByRole: data.drawnByRole,
          cases,
          activeCases: countActive(cases),
          followUps: [],
          backdated: data.backdated,
          voided: null,
          streamRevision: event.revision,
        };
      }
      case 'SupplementaryCasesDrawn': {
        if (doc === null) return null;
        const cases = [
          ...doc.cases,
          ...event.data.cases.map((c): SampleCaseDoc => ({
            ...c,
            origin: 'supplementary',
            replaces: null,
            status: 'active',
            replacedBy: null,
          })),
        ];
        return {
          ...doc,
          cases,
          activeCases: countActive(cases),
          followUps: [
            ...doc.followUps,
            {
              kind: 'supplementary',
              at: event.metadata.occurredAt,
              byRole: event.metadata.actor.role,
              reason: event.data.reason,
              reviewIds: event.data.cases.map((c) => c.reviewId),
            },
          ],
          streamRevision: event.revision,
        };
      }
      case 'CaseReplaced': {
        if (doc === null) return null;
        const { replacedReviewId, replacement } = event.data;
        const cases = [
          ...doc.cases.map((c) =>
            c.reviewId === replacedReviewId
              ? { ...c, status: 'replaced' as const, replacedBy: replacement.reviewId }
              : c,
          ),
          {
            ...replacement,
            origin: 'replacement' as const,
            replaces: replacedReviewId,
            status: 'active' as const,
            replacedBy: null,
          },
        ];
        return {
          ...doc,
          cases,
          activeCases: countActive(cases),
          followUps: [
            ...doc.followUps,
            {
              kind: 'replacement',
              at: event.metadata.occurredAt,
              byRole: event.metadata.actor.role,
              reason: event.data.reason,
              reviewIds: [replacement.reviewId],
            },
          ],
          streamRevision: event.revision,
        };
      }
      case 'SampleVoided': {
        if (doc === null) return null;
        return {
          ...doc,
          voided: { at: event.metadata.occurredAt, byRole: event.metadata.actor.role, reason: event.data.reason },
          activeCases: 0,
          streamRevision: event.revision,
        };
      }
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

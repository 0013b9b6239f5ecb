import type { PopulationEvent, PopulationPurged } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { POPULATIONS, type PopulationDoc } from './sample.doc.js';

type PopulationRecorded = RecordedEvent & PopulationEvent;

/** Adds one to the count of each value; entries sorted by value, so a replay gives the same document. */
function addCounts(counts: readonly (readonly [string, number])[], values: readonly string[]): [string, number][] {
  const map = new Map(counts);
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A summary per population: counts per team and customer group, never a case reference, pseudonym or token.
 * A population still being imported (bounded appends without their completion marker) has a document with
 * `complete: false`, so its counts grow batch by batch; readers skip it.
 */
export const populationsProjection: ProjectionDefinition<PopulationDoc> = {
  name: POPULATIONS,
  // 2: the destruction of the clear references at the end of their window.
  // 3: `complete` (imports written in bounded appends count only once their completion marker is stored),
  //    `importKey`.
  version: 3,
  // A month's (or a programme's) complete populations, the latest first; the retention planner's
  // populations whose references are not destroyed yet.
  indexes: [
    { fields: { tenant: 1, programmeId: 1, month: 1, completedPosition: -1, importedAt: -1 } },
    { fields: { tenant: 1, programmeId: 1, completedPosition: -1, importedAt: -1 } },
    { fields: { referencesDestroyed: 1 } },
  ],
  eventTypes: [
    'PopulationImported',
    'PopulationRowsAdded',
    'PopulationImportCompleted',
    'PopulationReferencesDestroyed',
    'PopulationPurged',
  ] satisfies (PopulationEvent | PopulationPurged)['type'][],
  documentIds: (event) => [(event.data as PopulationEvent['data'] | PopulationPurged['data']).populationId],
  evolve: (doc, recorded) => {
    // Retention: the population went with the last review drawn from it.
    if (recorded.type === 'PopulationPurged') return null;
    const event = recorded as PopulationRecorded;
    switch (event.type) {
      case 'PopulationImported': {
        // Without `completion` (version 1, or an import small enough for one append) this event's own
        // append holds every row: complete as imported.
        const complete = event.data.completion !== 'marker';
        return {
          _id: event.data.populationId,
          tenant: event.metadata.tenant,
          programmeId: event.data.programmeId,
          month: event.data.month,
          rowCount: event.data.rowCount,
          rowsReceived: 0,
          fingerprint: event.data.fingerprint,
          importKey: event.data.importKey ?? null,
          source: event.data.source,
          importedAt: event.metadata.occurredAt,
          importedByRole: event.metadata.actor.role,
          teams: [],
          customerGroups: [],
          section16a: 0,
          referencesDestroyed: null,
          complete,
          completedAt: complete ? event.metadata.occurredAt : null,
          completedPosition: complete ? event.position : null,
        };
      }
      case 'PopulationRowsAdded': {
        if (doc === null) return null;
        const { rows } = event.data;
        return {
          ...doc,
          rowsReceived: doc.rowsReceived + rows.length,
          teams: addCounts(
            doc.teams.map((entry) => [entry.teamId, entry.rows] as const),
            rows.map((row) => row.teamId),
          ).map(([teamId, count]) => ({ teamId, rows: count })),
          customerGroups: addCounts(
            doc.customerGroups.map((entry) => [entry.customerGroup, entry.rows] as const),
            rows.map((row) => row.customerGroup),
          ).map(([customerGroup, count]) => ({ customerGroup, rows: count })),
          section16a: doc.section16a + rows.filter((row) => row.needs16a).length,
        };
      }
      case 'PopulationImportCompleted':
        if (doc === null) return null;
        return { ...doc, complete: true, completedAt: event.metadata.occurredAt, completedPosition: event.position };
      case 'PopulationReferencesDestroyed':
        if (doc === null) return null;
        return { ...doc, referencesDestroyed: { keptUntil: event.data.keptUntil, at: event.metadata.occurredAt } };
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  },
};

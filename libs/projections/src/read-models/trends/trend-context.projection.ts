import { berlinDate } from '@pruefpfad/application';
import type { ProgrammeEvent, ReportSubmitted, RoutineEvent, ToleranceTestRecord } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import {
  TREND_CONTEXT,
  trendProgrammeId,
  trendReportId,
  trendRoutineId,
  type TrendContextDoc,
  type TrendProgrammeDoc,
  type TrendReportDoc,
  type TrendRoutineDoc,
} from './trend.docs.js';

type Folded = ProgrammeEvent | ReportSubmitted | RoutineEvent;

const asEvent = (recorded: RecordedEvent): Folded => ({ type: recorded.type, data: recorded.data }) as Folded;

const unreachable = (event: never): never => {
  throw new Error(`unhandled event ${JSON.stringify(event)}`);
};

/** Adds a dated entry, replacing one of the same day (two revisions on one day: the later wins). */
function since<T extends { readonly from: string }>(history: readonly T[], entry: T): T[] {
  return [...history.filter((known) => known.from !== entry.from), entry].sort((a, b) => a.from.localeCompare(b.from));
}

function programme(doc: TrendProgrammeDoc | null, event: ProgrammeEvent, id: string, tenant: string) {
  switch (event.type) {
    case 'ProgrammeDefined': {
      if (doc !== null) return doc;
      const { settings, definedAt } = event.data;
      const from = berlinDate(new Date(definedAt));
      return {
        _id: id,
        kind: 'programme',
        tenant,
        programmeId: event.data.programmeId,
        title: settings.title,
        areaId: settings.areaId,
        customerProcess: settings.customerProcess,
        reportDueDay: settings.reportDueDay,
        minimumHistory: [{ from, minimum: settings.minimumCasesPerTeamLead }],
        errorRateHistory: [{ from, policy: settings.errorRatePolicy }],
      } satisfies TrendProgrammeDoc;
    }
    case 'ProgrammeRevised': {
      if (doc === null) return null;
      const { changes, revisedAt } = event.data;
      const from = berlinDate(new Date(revisedAt));
      return {
        ...doc,
        title: changes.title ?? doc.title,
        areaId: changes.areaId ?? doc.areaId,
        customerProcess: changes.customerProcess ?? doc.customerProcess,
        reportDueDay: changes.reportDueDay ?? doc.reportDueDay,
        minimumHistory:
          changes.minimumCasesPerTeamLead === undefined
            ? doc.minimumHistory
            : since(doc.minimumHistory, { from, minimum: changes.minimumCasesPerTeamLead }),
        errorRateHistory:
          changes.errorRatePolicy === undefined
            ? doc.errorRateHistory
            : since(doc.errorRateHistory, { from, policy: changes.errorRatePolicy }),
      } satisfies TrendProgrammeDoc;
    }
    default:
      return unreachable(event);
  }
}

function report(doc: TrendReportDoc | null, event: ReportSubmitted, id: string, tenant: string): TrendReportDoc {
  // A resubmission changes the content, not when the report first reached the area head.
  if (doc !== null) return doc;
  const data = event.data;
  return {
    _id: id,
    kind: 'report',
    tenant,
    teamId: data.unitId,
    areaId: data.areaId,
    year: data.year,
    quarter: data.quarter,
    dueDate: data.dueDate,
    submittedOn: berlinDate(new Date(data.submittedAt)),
  };
}

/** A decision's tolerance test; both null for decisions recorded before the test was (schema version 1). */
const testOf = (data: ToleranceTestRecord) => ({
  toleranceTest: data.toleranceTest ?? null,
  againstToleranceTest: data.againstToleranceTest ?? null,
});

function routine(
  doc: TrendRoutineDoc | null,
  event: RoutineEvent,
  id: string,
  recorded: RecordedEvent,
): TrendRoutineDoc {
  const current: TrendRoutineDoc = {
    ...(doc ?? {
      _id: id,
      kind: 'routine',
      tenant: recorded.metadata.tenant,
      programmeId: event.data.programmeId,
      status: 'active',
      suspension: null,
      suspendedPeriods: [],
    }),
    revision: recorded.revision,
  };
  switch (event.type) {
    case 'RoutineSuspended': {
      const { decidedOn, recheckOn, reason } = event.data;
      const test = testOf(event.data);
      return {
        ...current,
        status: 'suspended',
        suspension: { since: decidedOn, recheckOn, reason, decidedOn, ...test },
        suspendedPeriods: [
          ...current.suspendedPeriods,
          { from: decidedOn, to: null, againstToleranceTest: test.againstToleranceTest },
        ],
      };
    }
    case 'RoutineSuspensionRenewed': {
      if (current.suspension === null) return current;
      const { decidedOn, recheckOn, reason } = event.data;
      const test = testOf(event.data);
      return {
        ...current,
        suspension: { ...current.suspension, recheckOn, reason, decidedOn, ...test },
        // Kept suspended against the test: the running stretch counts as against it from then on.
        suspendedPeriods: current.suspendedPeriods.map((period) =>
          period.to === null && test.againstToleranceTest === true ? { ...period, againstToleranceTest: true } : period,
        ),
      };
    }
    case 'RoutineResumed':
      return {
        ...current,
        status: 'active',
        suspendedPeriods: current.suspendedPeriods.map((period) =>
          period.to === null ? { ...period, to: event.data.decidedOn } : period,
        ),
      };
    default:
      return unreachable(event);
  }
}

/**
 * Read model `trend-context`: what the trend figures are measured against. Programmes (minimum and
 * error-rate policy over time), team reports (due and first submitted), and routine suspensions with
 * their tolerance tests (version 2).
 */
export const trendContextProjection: ProjectionDefinition<TrendContextDoc> = {
  name: TREND_CONTEXT,
  version: 2,
  // A tenant's context; its suspended routines (inbox).
  indexes: [{ fields: { tenant: 1, kind: 1, status: 1 } }],
  eventTypes: [
    'ProgrammeDefined',
    'ProgrammeRevised',
    'ReportSubmitted',
    'RoutineSuspended',
    'RoutineSuspensionRenewed',
    'RoutineResumed',
  ],
  documentIds: (recorded) => {
    const event = asEvent(recorded);
    const tenant = recorded.metadata.tenant;
    switch (event.type) {
      case 'ProgrammeDefined':
      case 'ProgrammeRevised':
        return [trendProgrammeId(tenant, event.data.programmeId)];
      case 'ReportSubmitted':
        return [trendReportId(tenant, event.data.reportId)];
      case 'RoutineSuspended':
      case 'RoutineSuspensionRenewed':
      case 'RoutineResumed':
        return [trendRoutineId(tenant, event.data.programmeId)];
      default:
        return unreachable(event);
    }
  },
  evolve: (doc, recorded, id) => {
    const event = asEvent(recorded);
    const tenant = recorded.metadata.tenant;
    switch (event.type) {
      case 'ProgrammeDefined':
      case 'ProgrammeRevised':
        return programme(doc?.kind === 'programme' ? doc : null, event, id, tenant);
      case 'ReportSubmitted':
        return report(doc?.kind === 'report' ? doc : null, event, id, tenant);
      case 'RoutineSuspended':
      case 'RoutineSuspensionRenewed':
      case 'RoutineResumed':
        return routine(doc?.kind === 'routine' ? doc : null, event, id, recorded);
      default:
        return unreachable(event);
    }
  },
};

import {
  berlinDate,
  countedSeverity,
  type DashboardRules,
  DEFAULT_READ_MODEL_RULES,
  ruleDrivenVersion,
  type SeriousDefectRule,
} from '@pruefpfad/application';
import type { MeasureEvent, ProgrammeEvent, RetentionSummaryRecorded, ReviewEvent } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import type { ProjectionDefinition } from '../../projection.js';
import { correctDefects, withDefect, withdrawDefect } from '../defect-list.js';
import {
  measureFactFromSummary,
  RETENTION_SUMMARY_TYPE,
  reviewFactFromSummary,
} from '../retention/summary-documents.js';
import {
  TEAM_FIGURES,
  measureFactId,
  programmeFactId,
  reviewFactId,
  type DefectFact,
  type MeasureFactDoc,
  type ProgrammeFactDoc,
  type ReviewFactDoc,
  type TeamFigureDoc,
} from './team-figures.doc.js';

type Handled = ReviewEvent | MeasureEvent | ProgrammeEvent;

const REVIEW_TYPES = [
  'CaseSampled',
  'DefectRecorded',
  'DefectWithdrawn',
  'ReviewCompleted',
  'ReviewCorrected',
  'TalkHeld',
  'TeamDiscussionHeld',
  'ReviewWithdrawn',
] as const satisfies readonly ReviewEvent['type'][];
const MEASURE_TYPES = [
  'MeasureAgreed',
  'MeasureCompleted',
  'MeasureCancelled',
] as const satisfies readonly MeasureEvent['type'][];
const PROGRAMME_TYPES = ['ProgrammeDefined', 'ProgrammeRevised'] as const satisfies readonly ProgrammeEvent['type'][];

/** Answers, look-back extensions and follow-ups change no figure, so they are not subscribed. */
type Folded = Extract<
  Handled,
  { type: (typeof REVIEW_TYPES)[number] | (typeof MEASURE_TYPES)[number] | (typeof PROGRAMME_TYPES)[number] }
>;

type ReviewFolded = Extract<Folded, { type: (typeof REVIEW_TYPES)[number] }>;
type MeasureFolded = Extract<Folded, { type: (typeof MEASURE_TYPES)[number] }>;
type ProgrammeFolded = Extract<Folded, { type: (typeof PROGRAMME_TYPES)[number] }>;

const unreachable = (event: never): never => {
  throw new Error(`unhandled event ${JSON.stringify(event)}`);
};

const asEvent = (recorded: RecordedEvent): Folded => ({ type: recorded.type, data: recorded.data }) as Folded;

function review(doc: TeamFigureDoc | null): ReviewFactDoc | null {
  return doc !== null && doc.kind === 'review' ? doc : null;
}

function evolveReview(
  doc: ReviewFactDoc | null,
  event: ReviewFolded,
  id: string,
  tenant: string,
  rule: SeriousDefectRule,
): ReviewFactDoc | null {
  if (event.type === 'CaseSampled') {
    const data = event.data;
    // A replayed or duplicated CaseSampled must not reset the figures of a review already under way.
    if (doc !== null) return doc;
    return {
      _id: id,
      kind: 'review',
      tenant,
      areaId: data.areaId,
      teamId: data.teamId,
      programmeId: data.programmeId,
      month: data.month,
      deadline: data.deadline,
      status: 'open',
      outcome: null,
      completedOn: null,
      defects: [],
      talks: 0,
      teamDiscussions: 0,
    };
  }
  if (doc === null) return null;
  switch (event.type) {
    case 'DefectRecorded': {
      const data = event.data;
      return {
        ...doc,
        defects: withDefect(doc.defects, {
          defectId: data.defectId,
          category: data.category,
          severity: data.severity,
          legalNorm: data.legalNorm,
          financialLoss: data.financialLoss,
          withdrawn: false,
          counted: countedSeverity(rule, data),
        }),
      };
    }
    case 'DefectWithdrawn':
      return { ...doc, defects: withdrawDefect(doc.defects, event.data.defectId) };
    case 'ReviewCompleted':
      return {
        ...doc,
        status: 'completed',
        outcome: event.data.outcome,
        completedOn: event.data.completedOn ?? berlinDate(new Date(event.data.completedAt)),
      };
    case 'ReviewCorrected': {
      // A correction names category and severity; legal norm and financial loss stay as recorded.
      const defects = correctDefects<DefectFact>(doc.defects, event.data.defects, (change, known) => {
        const legalNorm = known?.legalNorm ?? null;
        const financialLoss = known?.financialLoss ?? false;
        return {
          defectId: change.defectId,
          category: change.category,
          severity: change.severity,
          legalNorm,
          financialLoss,
          withdrawn: change.withdrawn,
          counted: countedSeverity(rule, { severity: change.severity, legalNorm, financialLoss }),
        };
      });
      return { ...doc, outcome: event.data.outcome ?? doc.outcome, defects };
    }
    case 'TalkHeld':
      // Counted, never attributed: the employee stays sealed in the review's own stream.
      return { ...doc, talks: doc.talks + 1 };
    case 'TeamDiscussionHeld':
      return { ...doc, teamDiscussions: doc.teamDiscussions + 1 };
    case 'ReviewWithdrawn':
      return { ...doc, status: 'withdrawn' };
    default:
      return unreachable(event);
  }
}

function evolveMeasure(
  doc: MeasureFactDoc | null,
  event: MeasureFolded,
  recorded: RecordedEvent,
  id: string,
): MeasureFactDoc | null {
  switch (event.type) {
    case 'MeasureAgreed': {
      if (doc !== null) return doc;
      const data = event.data;
      return {
        _id: id,
        kind: 'measure',
        tenant: recorded.metadata.tenant,
        areaId: data.areaId,
        teamId: data.teamId,
        measureKind: data.kind,
        scope: data.scope,
        status: 'open',
        dueDate: data.dueDate,
        agreedOn: data.agreedOn,
        closedOn: null,
      };
    }
    case 'MeasureCompleted':
      return doc === null ? null : { ...doc, status: 'completed', closedOn: event.data.date };
    case 'MeasureCancelled':
      return doc === null ? null : { ...doc, status: 'cancelled', closedOn: event.data.date };
    default:
      return unreachable(event);
  }
}

function evolveProgramme(
  doc: ProgrammeFactDoc | null,
  event: ProgrammeFolded,
  recorded: RecordedEvent,
  id: string,
): ProgrammeFactDoc | null {
  switch (event.type) {
    case 'ProgrammeDefined': {
      const { settings, definedAt } = event.data;
      return {
        _id: id,
        kind: 'programme',
        tenant: recorded.metadata.tenant,
        programmeId: event.data.programmeId,
        areaId: settings.areaId,
        customerProcess: settings.customerProcess,
        title: settings.title,
        reportDueDay: settings.reportDueDay,
        minimumHistory: [{ from: berlinDate(new Date(definedAt)), minimum: settings.minimumCasesPerTeamLead }],
      };
    }
    case 'ProgrammeRevised': {
      if (doc === null) return null;
      const { changes, revisedAt } = event.data;
      const from = berlinDate(new Date(revisedAt));
      const minimumHistory =
        changes.minimumCasesPerTeamLead === undefined
          ? doc.minimumHistory
          : [
              ...doc.minimumHistory.filter((entry) => entry.from !== from),
              { from, minimum: changes.minimumCasesPerTeamLead },
            ];
      return {
        ...doc,
        areaId: changes.areaId ?? doc.areaId,
        customerProcess: changes.customerProcess ?? doc.customerProcess,
        title: changes.title ?? doc.title,
        reportDueDay: changes.reportDueDay ?? doc.reportDueDay,
        minimumHistory,
      };
    }
    default:
      return unreachable(event);
  }
}

/**
 * Bumped when `evolve` changes (2: defects carry `counted`). The version the runner sees also carries a
 * fingerprint of the dashboard rules (`ruleDrivenVersion`), so a rule change builds a new version.
 */
export const TEAM_FIGURES_CODE_VERSION = 3;

/**
 * A purged review's anonymous summary replaces its facts and its measures' facts under the same ids
 * (3: retention summaries), so dashboards and quarterly figures do not move when a review is purged.
 */
function evolveSummary(recorded: RecordedEvent, id: string, rule: SeriousDefectRule): TeamFigureDoc | null {
  const summary = (recorded as unknown as RetentionSummaryRecorded).data;
  if (id === reviewFactId(summary.tenant, summary.reviewId))
    return reviewFactFromSummary(summary, (defect) => countedSeverity(rule, defect));
  const measure = summary.measures.find((candidate) => id === measureFactId(summary.tenant, candidate.measureId));
  return measure === undefined ? null : measureFactFromSummary(summary, measure);
}

/**
 * `team-figures` under the versioned dashboard rules (operations: libs/application/src/rules-config.ts):
 * which defects count as serious is decided when a defect is folded, so a rule change plus rebuild gives
 * the new figures for the whole history still held. The composition root builds it from the configured
 * rules (libs/composition/src/projections.ts); `teamFiguresProjection` is the one under the defaults.
 */
export function teamFiguresProjectionFor(rules: DashboardRules): ProjectionDefinition<TeamFigureDoc> {
  const rule = rules.seriousDefect;
  return {
    name: TEAM_FIGURES,
    version: ruleDrivenVersion(TEAM_FIGURES_CODE_VERSION, rules),
    // A tenant's review cells of teams and months, its measure facts of teams, its programmes.
    indexes: [
      { fields: { tenant: 1, kind: 1, teamId: 1, month: 1 } },
      { fields: { tenant: 1, kind: 1, programmeId: 1 } },
    ],
    eventTypes: [...REVIEW_TYPES, ...MEASURE_TYPES, ...PROGRAMME_TYPES, RETENTION_SUMMARY_TYPE],
    documentIds: (recorded) => {
      if (recorded.type === RETENTION_SUMMARY_TYPE) {
        const summary = (recorded as unknown as RetentionSummaryRecorded).data;
        return [
          reviewFactId(summary.tenant, summary.reviewId),
          ...summary.measures.map((measure) => measureFactId(summary.tenant, measure.measureId)),
        ];
      }
      const event = asEvent(recorded);
      const tenant = recorded.metadata.tenant;
      switch (event.type) {
        case 'ProgrammeDefined':
        case 'ProgrammeRevised':
          return [programmeFactId(tenant, event.data.programmeId)];
        case 'MeasureAgreed':
        case 'MeasureCompleted':
        case 'MeasureCancelled':
          return [measureFactId(tenant, event.data.measureId)];
        case 'CaseSampled':
        case 'DefectRecorded':
        case 'DefectWithdrawn':
        case 'ReviewCompleted':
        case 'ReviewCorrected':
        case 'TalkHeld':
        case 'TeamDiscussionHeld':
        case 'ReviewWithdrawn':
          return [reviewFactId(tenant, event.data.reviewId)];
        default:
          return unreachable(event);
      }
    },
    evolve: (doc, recorded, id) => {
      if (recorded.type === RETENTION_SUMMARY_TYPE) return evolveSummary(recorded, id, rule);
      const event = asEvent(recorded);
      switch (event.type) {
        case 'ProgrammeDefined':
        case 'ProgrammeRevised':
          return evolveProgramme(doc?.kind === 'programme' ? doc : null, event, recorded, id);
        case 'MeasureAgreed':
        case 'MeasureCompleted':
        case 'MeasureCancelled':
          return evolveMeasure(doc?.kind === 'measure' ? doc : null, event, recorded, id);
        case 'CaseSampled':
        case 'DefectRecorded':
        case 'DefectWithdrawn':
        case 'ReviewCompleted':
        case 'ReviewCorrected':
        case 'TalkHeld':
        case 'TeamDiscussionHeld':
        case 'ReviewWithdrawn':
          return evolveReview(review(doc), event, id, recorded.metadata.tenant, rule);
        default:
          return unreachable(event);
      }
    },
  };
}

export const teamFiguresProjection = teamFiguresProjectionFor(DEFAULT_READ_MODEL_RULES.dashboard);

import { Inject, Injectable } from '@nestjs/common';
import { berlinDate, type Clock, NotFoundError, type StreamReader } from '@pruefpfad/application';
import {
  type AsOfCut,
  decide,
  DEFAULT_RISK_MATRIX,
  foldAsOf,
  type HistoryLine,
  type Principal,
  renderHistoryLine,
  riskDecider,
  type RiskEvent,
  type RiskMatrix,
  riskMatrixCells,
  riskStreamId,
  type StreamEntry,
} from '@pruefpfad/domain';
import type { EventStore } from '@pruefpfad/event-store';
import { AREA_RISK_ANALYSES, type AreaRiskAnalysisDoc, type RiskDoc, RISKS } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { AuditPrivacy, type AuditDisclosure } from '../audit/audit-privacy.js';
import { readTenantStream } from '../audit/review-history.service.js';
import { CLOCK, DOCUMENT_STORE, EVENT_STORE, STREAM_STATES } from '../runtime/tokens.js';
import { riskMatrixAggregate } from './risk.aggregate.js';

/** The matrix in force: management's, or the default (revision -1). */
export interface MatrixInForce {
  readonly matrix: RiskMatrix;
  readonly revision: number;
  readonly decidedOn: string | null;
}

export interface RiskView extends RiskDoc {
  /** Open, assessed, and the quarterly reassessment is past due (today, Europe/Berlin). */
  readonly reassessmentOverdue: boolean;
  /** Open, accepted, and the re-check date has passed. */
  readonly recheckOverdue: boolean;
}

export interface HeatMapCell {
  readonly impact: number;
  readonly likelihood: number;
  readonly score: number;
  readonly impactLabel: { readonly de: string; readonly en: string };
  readonly likelihoodLabel: { readonly de: string; readonly en: string };
  readonly aboveAppetite: boolean;
  readonly damagePotential: boolean;
  readonly count: number;
}

/** Counts per matrix cell of the open risks' current assessment: data for a chart and the same as a table. */
export interface HeatMap {
  readonly asOf: string;
  readonly matrix: MatrixInForce;
  readonly cells: readonly HeatMapCell[];
  readonly open: number;
  readonly unassessed: number;
  /** Assessed on a matrix of another size than the one in force: reassessment needed, not placed. */
  readonly offMatrix: number;
  readonly aboveAppetite: number;
}

@Injectable()
export class RisksQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(STREAM_STATES) private readonly streams: StreamReader,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly privacy: AuditPrivacy,
  ) {}

  today(): string {
    return berlinDate(this.clock.now());
  }

  async matrix(tenant: string): Promise<MatrixInForce> {
    const loaded = await this.streams.read(riskMatrixAggregate, tenant);
    if (loaded === null || loaded.tenant !== tenant || loaded.state.matrix === null)
      return { matrix: DEFAULT_RISK_MATRIX, revision: -1, decidedOn: null };
    return { matrix: loaded.state.matrix, revision: loaded.revision, decidedOn: loaded.state.decidedOn };
  }

  private view(doc: RiskDoc, today: string): RiskView {
    const open = doc.status === 'open';
    return {
      ...doc,
      reassessmentOverdue: open && doc.assessment !== null && doc.assessment.reassessBy < today,
      recheckOverdue: open && doc.treatment?.recheckOn != null && doc.treatment.recheckOn < today,
    };
  }

  /** The register (management's list): filters by status, area and above appetite; highest score first. */
  async list(
    principal: Principal,
    filter: { readonly status?: 'open' | 'closed'; readonly areaId?: string; readonly aboveAppetite?: boolean },
  ): Promise<RiskView[]> {
    const query: Record<string, unknown> = { tenant: principal.tenant };
    if (filter.status !== undefined) query['status'] = filter.status;
    if (filter.areaId !== undefined) query['areaId'] = filter.areaId;
    const docs = (await this.documents.find(RISKS, query, { sort: { _id: 1 } })) as RiskDoc[];
    const today = this.today();
    return docs
      .filter(
        (doc) =>
          filter.aboveAppetite === undefined || (doc.assessment?.aboveAppetite ?? false) === filter.aboveAppetite,
      )
      .map((doc) => this.view(doc, today))
      .sort((a, b) => (b.assessment?.score ?? 0) - (a.assessment?.score ?? 0) || a._id.localeCompare(b._id));
  }

  async get(principal: Principal, riskId: string): Promise<RiskView> {
    const doc = (await this.documents.get(RISKS, riskId)) as RiskDoc | null;
    if (doc === null || doc.tenant !== principal.tenant) throw new NotFoundError(`risk ${riskId}`);
    return this.view(doc, this.today());
  }

  async heatMap(principal: Principal): Promise<HeatMap> {
    const matrix = await this.matrix(principal.tenant);
    const open = (await this.documents.find(RISKS, { tenant: principal.tenant, status: 'open' })) as RiskDoc[];
    const counts = new Map<string, number>();
    let unassessed = 0;
    let offMatrix = 0;
    for (const risk of open) {
      const a = risk.assessment;
      if (a === null) unassessed += 1;
      else if (a.impact > matrix.matrix.impact.length || a.likelihood > matrix.matrix.likelihood.length) offMatrix += 1;
      else counts.set(`${a.impact}x${a.likelihood}`, (counts.get(`${a.impact}x${a.likelihood}`) ?? 0) + 1);
    }
    const cells = riskMatrixCells(matrix.matrix).map((cell) => ({
      impact: cell.impact,
      likelihood: cell.likelihood,
      score: cell.score,
      impactLabel: { de: cell.impactLabel.de, en: cell.impactLabel.en },
      likelihoodLabel: { de: cell.likelihoodLabel.de, en: cell.likelihoodLabel.en },
      aboveAppetite: cell.aboveAppetite,
      damagePotential: cell.damagePotential,
      count: counts.get(`${cell.impact}x${cell.likelihood}`) ?? 0,
    }));
    return {
      asOf: this.today(),
      matrix,
      cells,
      open: open.length,
      unassessed,
      offMatrix,
      aboveAppetite: cells.filter((cell) => cell.aboveAppetite).reduce((sum, cell) => sum + cell.count, 0),
    };
  }

  async analyses(principal: Principal, year: number, quarter: number): Promise<AreaRiskAnalysisDoc[]> {
    const docs = (await this.documents.find(
      AREA_RISK_ANALYSES,
      { tenant: principal.tenant, year, quarter },
      { sort: { _id: 1 } },
    )) as AreaRiskAnalysisDoc[];
    // An area head reads the own area's analyses only (they consolidate its team reports); see risk.rules.ts.
    return docs.filter(
      (doc) => decide(principal, 'risk.analysis.read', { tenant: principal.tenant, unit: doc.areaId }).allowed,
    );
  }

  /**
   * The risk's own events with the auditor's line. Risks carry no personal data, but who acted does: as in
   * a review's history, management (the register's owner) sees the acting subjects, everyone else who may
   * read the history (auditors, area heads) a keyed pseudonym per person (`AuditPrivacy.actorNamer`), so
   * the same person acting twice stays visible without naming them.
   */
  async history(principal: Principal, riskId: string) {
    const events = await readTenantStream(this.eventStore, riskStreamId(riskId), principal.tenant);
    if (events.length === 0) throw new NotFoundError(`risk ${riskId}`);
    const disclosure: AuditDisclosure = principal.roles.includes('management') ? 'full' : 'pseudonymised';
    const actorOf = await this.privacy.actorNamer(principal.tenant, disclosure);
    return {
      riskId,
      streamId: riskStreamId(riskId),
      disclosure,
      revision: events[events.length - 1]!.revision,
      events: events.map((event) => ({
        position: event.position,
        revision: event.revision,
        eventId: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.recordedAt,
        actor: { user: actorOf(event.metadata.actor.userId), role: event.metadata.actor.role },
        rulesVersion: event.metadata.rulesVersion,
        chain: event.chain,
        line: renderHistoryLine(event) satisfies HistoryLine,
        data: event.data,
      })),
    };
  }

  /** Time travel: the risk as its decider folds it as of a revision or an instant. */
  async asOf(principal: Principal, riskId: string, cut: AsOfCut) {
    const events = await readTenantStream(this.eventStore, riskStreamId(riskId), principal.tenant);
    if (events.length === 0) throw new NotFoundError(`risk ${riskId}`);
    const entries: StreamEntry<RiskEvent>[] = events.map((event) => ({
      revision: event.revision,
      occurredAt: event.metadata.occurredAt,
      event: { type: event.type, data: event.data } as RiskEvent,
    }));
    const result = foldAsOf(riskDecider, entries, cut);
    return {
      aggregate: 'risk' as const,
      id: riskId,
      asOf: cut.kind === 'revision' ? { revision: cut.revision } : { at: cut.at },
      revision: result.revision,
      currentRevision: result.currentRevision,
      eventsApplied: result.eventsApplied,
      lastOccurredAt: result.lastOccurredAt,
      state: result.state,
    };
  }
}

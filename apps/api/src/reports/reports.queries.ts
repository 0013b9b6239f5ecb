import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_RULES, NotFoundError } from '@pruefpfad/application';
import {
  type AccessPurpose,
  decide,
  LEGAL_UNIT_ID,
  legalReportObligation,
  type LegalReportSubmitted,
  monthsOfQuarter,
  type Principal,
  type Quarter,
  reportDueDate,
  type ReportFigures,
  reportId,
  type ReportingProgramme,
  type ReportObligation,
  reportStatus,
  type ReportStatus,
  type Sealed,
  visibility,
} from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { type OrganisationUnitDoc, type ReportDoc, REPORTS, seriousDefectsOf } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { AccessLog } from '../access-log/access-log.service.js';
import { LegalQuotaQueries, type QuotaPeriodView } from '../legal-quota/legal-quota.queries.js';
import { DOCUMENT_STORE, ENVELOPE } from '../runtime/tokens.js';
import { reportFiguresOf, sumReportFigures } from './report-figures.js';
import { TeamFiguresQueries, teamInfo } from './team-figures.queries.js';

export type { ReportStatus };

/** The due date a status row shows: none when the unit owes no report for the quarter. */
export const shownDueDate = (obligation: ReportObligation): string | null =>
  obligation.owed ? obligation.dueDate : null;

export interface ReportDraft {
  readonly reportId: string;
  readonly teamId: string;
  readonly areaId: string;
  readonly year: number;
  readonly quarter: Quarter;
  /** When no report is owed (status `not-owed`): the date it would fall due, against which one submitted anyway is judged. */
  readonly dueDate: string;
  readonly status: ReportStatus;
  readonly figures: ReportFigures;
  /** Category and legal norm only: the team lead describes each one, anonymised, on submission. */
  readonly seriousDefects: readonly {
    readonly category: string;
    readonly legalNorm: string | null;
    readonly financialLoss: boolean;
    readonly month: string;
  }[];
}

export interface TeamReportView {
  readonly reportId: string;
  readonly kind: 'team';
  readonly teamId: string;
  readonly areaId: string;
  readonly year: number;
  readonly quarter: number;
  readonly figures: ReportFigures;
  readonly seriousDefects: readonly {
    readonly category: string;
    readonly legalNorm: string | null;
    readonly description: string | null;
  }[];
  readonly assessment: string | null;
  readonly submittedAt: string;
  readonly submittedOn: string;
  readonly dueDate: string;
  readonly late: boolean;
  readonly revision: number;
}

export interface LegalReportView {
  readonly reportId: string;
  readonly kind: 'legal';
  readonly year: number;
  readonly quarter: number;
  readonly nil: boolean;
  readonly findings: readonly (Omit<LegalReportSubmitted['data']['findings'][number], 'note'> & {
    readonly note: string | null;
  })[];
  readonly assessment: string | null;
  readonly submittedAt: string;
  readonly submittedOn: string;
  readonly dueDate: string;
  readonly late: boolean;
  readonly revision: number;
  /**
   * The avoidable-appeal quota of the quarter's months (001:252–280), from the monthly figures as they
   * stand now (corrections included); team cells under the small-cell rule, since the report leaves the
   * legal department.
   */
  readonly quota: QuotaPeriodView;
}

export interface UnitStatus {
  readonly unitId: string;
  readonly kind: 'team' | 'legal';
  readonly name: string;
  readonly areaId: string | null;
  /** Null when the unit owes no report for the quarter (status `not-owed`). */
  readonly dueDate: string | null;
  readonly status: ReportStatus;
  readonly submittedOn: string | null;
  readonly late: boolean | null;
}

/** Reads reports and their figures from projections; free text is opened only after authorisation. */
@Injectable()
export class ReportsQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    private readonly figures: TeamFiguresQueries,
    private readonly accessLog: AccessLog,
    private readonly quota: LegalQuotaQueries,
  ) {}

  async submitted(tenant: string, unitId: string, year: number, quarter: number): Promise<ReportDoc | null> {
    const doc = (await this.documents.get(REPORTS, reportId(tenant, unitId, year, quarter))) as ReportDoc | null;
    return doc !== null && doc.tenant === tenant ? doc : null;
  }

  /** The report generated from the projections, as the team lead sees it before adding the assessment. */
  async draft(team: OrganisationUnitDoc, year: number, quarter: Quarter): Promise<ReportDraft> {
    const info = teamInfo(team);
    const months = monthsOfQuarter(year, quarter);
    const asOf = this.figures.asOfQuarter(year, quarter);
    const [figures, reviews, submitted] = await Promise.all([
      this.figures.figures(team.tenant, [info], months, asOf),
      this.figures.reviewFacts(team.tenant, info.teamId, months),
      this.submitted(team.tenant, info.teamId, year, quarter),
    ]);
    const obligation = this.figures.obligation(info, figures.programmes, year, quarter);
    return {
      reportId: reportId(team.tenant, info.teamId, year, quarter),
      teamId: info.teamId,
      areaId: info.areaId,
      year,
      quarter,
      dueDate: obligation.dueDate,
      status: reportStatus(obligation, submitted !== null, this.figures.today()),
      figures: reportFiguresOf(figures.cells, figures.measures, figures.programmes, asOf),
      seriousDefects: seriousDefectsOf(reviews),
    };
  }

  async teamReport(
    tenant: string,
    teamId: string,
    year: number,
    quarter: number,
    purpose: AccessPurpose = 'team-report',
  ): Promise<TeamReportView | null> {
    const doc = await this.submitted(tenant, teamId, year, quarter);
    if (doc === null || doc.kind !== 'team' || doc.figures === null) return null;
    const opener = this.opener();
    const open = opener.open;
    const view: TeamReportView = {
      reportId: doc._id,
      kind: 'team',
      teamId: doc.unitId,
      areaId: doc.areaId ?? doc.unitId,
      year: doc.year,
      quarter: doc.quarter,
      figures: doc.figures,
      seriousDefects: await Promise.all(
        doc.seriousDefects.map(async (defect) => ({
          category: defect.category,
          legalNorm: defect.legalNorm,
          description: await open(defect.description, 'seriousDefects.description'),
        })),
      ),
      assessment: await open(doc.assessment, 'assessment'),
      submittedAt: doc.submittedAt,
      submittedOn: doc.submittedOn,
      dueDate: doc.dueDate,
      late: doc.late,
      revision: doc.streamRevision,
    };
    opener.record(purpose, doc._id);
    return view;
  }

  async legalReport(
    tenant: string,
    year: number,
    quarter: number,
    purpose: AccessPurpose = 'legal-report',
  ): Promise<LegalReportView | null> {
    const doc = await this.submitted(tenant, LEGAL_UNIT_ID, year, quarter);
    if (doc === null || doc.kind !== 'legal') return null;
    const opener = this.opener();
    const open = opener.open;
    const view: LegalReportView = {
      reportId: doc._id,
      kind: 'legal',
      year: doc.year,
      quarter: doc.quarter,
      nil: doc.nil ?? false,
      findings: await Promise.all(
        (doc.findings ?? []).map(async (finding) => ({ ...finding, note: await open(finding.note, 'findings.note') })),
      ),
      assessment: await open(doc.assessment, 'assessment'),
      submittedAt: doc.submittedAt,
      submittedOn: doc.submittedOn,
      dueDate: doc.dueDate,
      late: doc.late,
      revision: doc.streamRevision,
      quota: await this.quota.period(tenant, monthsOfQuarter(doc.year, doc.quarter), 'outside'),
    };
    opener.record(purpose, doc._id);
    return view;
  }

  /** The legal department's report follows the team leads' deadline (000:103 "analog …"). */
  legalDueDate(year: number, quarter: Quarter): string {
    return reportDueDate(year, quarter, DEFAULT_RULES.programme.reportDueDay);
  }

  /** Owed from the quarter in which the tenant's first programme came into force (report-obligation.ts). */
  legalObligation(programmes: readonly ReportingProgramme[], year: number, quarter: Quarter): ReportObligation {
    return legalReportObligation(programmes, year, quarter, DEFAULT_RULES.programme.reportDueDay);
  }

  /** Submitted / not owed / due / overdue per unit the caller may see (teams by scope, legal for its readers). */
  async status(principal: Principal, year: number, quarter: Quarter): Promise<UnitStatus[]> {
    const scope = visibility(principal, 'report.status');
    const teams =
      scope.kind === 'tenant'
        ? await this.figures.teams(principal.tenant)
        : scope.kind === 'units'
          ? await this.figures.teams(principal.tenant, {
              $or: [
                { unitId: { $in: [...scope.units] } },
                ...(scope.includeParents ? [{ parentId: { $in: [...scope.units] } }] : []),
              ],
            })
          : [];
    const today = this.figures.today();
    const programmes = await this.figures.programmes(principal.tenant);
    const rows: UnitStatus[] = [];
    for (const team of teams) {
      const obligation = this.figures.obligation(teamInfo(team), programmes, year, quarter);
      const doc = await this.submitted(principal.tenant, team.unitId, year, quarter);
      rows.push({
        unitId: team.unitId,
        kind: 'team',
        name: team.name,
        areaId: team.parentId,
        dueDate: shownDueDate(obligation),
        status: reportStatus(obligation, doc !== null, today),
        submittedOn: doc?.submittedOn ?? null,
        late: doc?.late ?? null,
      });
    }
    if (decide(principal, 'report.legal.read', { tenant: principal.tenant }).allowed) {
      const obligation = this.legalObligation(programmes, year, quarter);
      const doc = await this.submitted(principal.tenant, LEGAL_UNIT_ID, year, quarter);
      rows.push({
        unitId: LEGAL_UNIT_ID,
        kind: 'legal',
        name: 'Sachgebiet Recht / legal department',
        areaId: null,
        dueDate: shownDueDate(obligation),
        status: reportStatus(obligation, doc !== null, today),
        submittedOn: doc?.submittedOn ?? null,
        late: doc?.late ?? null,
      });
    }
    return rows;
  }

  /**
   * The area's consolidated summary for the Geschäftsleitung (000:105–113): each team's submitted
   * report, or its live figures while it is missing, the totals, and the legal department's report.
   */
  async areaSummary(area: OrganisationUnitDoc, year: number, quarter: Quarter) {
    const [teams, programmes] = await Promise.all([
      this.figures.teams(area.tenant, { parentId: area.unitId }),
      this.figures.programmes(area.tenant),
    ]);
    const today = this.figures.today();
    const rows = [];
    for (const team of teams) {
      const [report, draft] = await Promise.all([
        this.teamReport(area.tenant, team.unitId, year, quarter, 'area-summary'),
        this.draft(team, year, quarter),
      ]);
      const obligation = this.figures.obligation(teamInfo(team), programmes, year, quarter);
      rows.push({
        teamId: team.unitId,
        name: team.name,
        status: report === null ? reportStatus(obligation, false, today) : ('submitted' as const),
        dueDate: report?.dueDate ?? shownDueDate(obligation),
        submittedOn: report?.submittedOn ?? null,
        late: report?.late ?? null,
        source: report === null ? ('live' as const) : ('submitted' as const),
        figures: report?.figures ?? draft.figures,
        assessment: report?.assessment ?? null,
        seriousDefects:
          report?.seriousDefects ??
          draft.seriousDefects.map((defect) => ({
            category: defect.category,
            legalNorm: defect.legalNorm,
            description: null,
          })),
      });
    }
    const legal = await this.legalReport(area.tenant, year, quarter, 'area-summary');
    const areaTeams = new Set(teams.map((team) => team.unitId));
    return {
      areaId: area.unitId,
      name: area.name,
      year,
      quarter,
      teams: rows,
      totals: sumReportFigures(rows.map((row) => row.figures)),
      reports: {
        submitted: rows.filter((row) => row.status === 'submitted').length,
        due: rows.filter((row) => row.status === 'due').length,
        overdue: rows.filter((row) => row.status === 'overdue').length,
      },
      legal:
        legal === null
          ? {
              status: reportStatus(this.legalObligation(programmes, year, quarter), false, today),
              nil: null,
              findings: [],
            }
          : {
              status: 'submitted' as const,
              nil: legal.nil,
              // Findings of the area's teams and those without a team (hot spots across teams).
              findings: legal.findings.filter((finding) => finding.teamId === null || areaTeams.has(finding.teamId)),
            },
    };
  }

  async ensureSubmittedTeamReport(
    tenant: string,
    teamId: string,
    year: number,
    quarter: number,
  ): Promise<TeamReportView> {
    const report = await this.teamReport(tenant, teamId, year, quarter);
    if (report === null) throw new NotFoundError(`report ${teamId} ${year}/Q${quarter}`);
    return report;
  }

  /**
   * Opens a report's sealed texts and remembers which fields it opened; `record` notes the read in the
   * access log (report id and field names only) if anything was opened.
   */
  private opener() {
    const fields = new Set<string>();
    return {
      open: async (sealed: Sealed | null, field: string): Promise<string | null> => {
        if (sealed === null) return null;
        fields.add(field);
        const value = await this.envelope.openOrNull(sealed);
        return typeof value === 'string' ? value : null;
      },
      record: (purpose: AccessPurpose, reportDocId: string): void => {
        if (fields.size > 0)
          this.accessLog.note({
            purpose,
            resources: [{ kind: 'report', id: reportDocId, reviewId: null }],
            fields: [...fields],
          });
      },
    };
  }
}

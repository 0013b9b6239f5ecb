import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, loadRulesConfig, NotFoundError, type ReadModelRules } from '@pruefpfad/application';
import {
  addLegalQuotaTotals,
  AVOIDABLE_REASONS,
  type AvoidableReason,
  emptyLegalQuotaTotals,
  legalQuota,
  type LegalQuota,
  legalQuotaId,
  legalQuotaRowTotals,
  type LegalQuotaRow,
  type LegalQuotaTargets,
  type LegalQuotaTotals,
  suppressSmallCellsOfEach,
} from '@pruefpfad/domain';
import { LEGAL_QUOTA, type LegalQuotaDoc, ORGANISATION_UNITS, type OrganisationUnitDoc } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { APP_CONFIG, DOCUMENT_STORE } from '../runtime/tokens.js';

/** The targets in force, from the operators' rules (`legalQuota`), and the rules' version label. */
export const LEGAL_QUOTA_RULES = Symbol('LEGAL_QUOTA_RULES');

export interface LegalQuotaRulesInForce {
  readonly rulesVersion: string;
  readonly targets: LegalQuotaTargets;
}

export function legalQuotaRulesFrom(rules: ReadModelRules): LegalQuotaRulesInForce {
  return {
    rulesVersion: rules.version,
    targets: {
      avoidableAmongUpheldBasisPoints: Math.round(rules.legalQuota.avoidableAmongUpheld.targetPercent * 100),
      avoidableAmongSettledBasisPoints: Math.round(rules.legalQuota.avoidableAmongSettled.targetPercent * 100),
    },
  };
}

export const legalQuotaRulesProvider = {
  provide: LEGAL_QUOTA_RULES,
  useFactory: (): LegalQuotaRulesInForce => legalQuotaRulesFrom(loadRulesConfig()),
};

/** Figures and both shares of one cell (a month, a year, a legal norm, a team …). */
export interface QuotaFigures {
  readonly totals: LegalQuotaTotals;
  readonly quota: LegalQuota;
}

/** A team's cell as it leaves the legal department: hidden whole when the small-cell rule says so. */
export type TeamCell =
  | ({ readonly teamId: string | null; readonly suppressed: false } & QuotaFigures)
  | { readonly teamId: string | null; readonly suppressed: true; readonly totals: null; readonly quota: null };

/**
 * Who reads: the legal department sees its own rows (legal norm × team); everybody else gets team
 * figures under the small-cell rule (PRUEFPFAD_MIN_CELL_COUNT on settled appeals, with the secondary
 * suppression of `suppressSmallCells`) and no legal norm × team rows, which would undo it.
 */
export type QuotaAudience = 'legal' | 'outside';

export interface Breakdown {
  readonly byReason: Readonly<Record<AvoidableReason, number>>;
  readonly byLegalNorm: readonly ({ readonly legalNorm: string } & QuotaFigures)[];
  readonly byTeam: readonly TeamCell[];
  /** Legal norm × team rows: only for the legal department (null for other readers). */
  readonly rows: readonly LegalQuotaRow[] | null;
  /** Teams hidden by the small-cell rule (0 for the legal department). */
  readonly suppressedTeams: number;
}

export interface QuotaMonthView extends QuotaFigures, Breakdown {
  readonly month: string;
  readonly recordedAt: string;
  readonly changedAt: string;
  readonly corrections: number;
  readonly revision: number;
  readonly rulesVersion: string;
  readonly minCellCount: number;
}

export interface QuotaTrendView extends QuotaFigures {
  readonly from: string;
  readonly to: string;
  readonly rulesVersion: string;
  readonly targets: { readonly avoidableAmongUpheldPercent: number; readonly avoidableAmongSettledPercent: number };
  /** Every month of the range; `recorded: false` where the legal department has entered nothing yet. */
  readonly months: readonly ({ readonly month: string; readonly recorded: boolean } & QuotaFigures)[];
  /** Calendar years touched by the range (only the months within it). */
  readonly years: readonly ({ readonly year: number; readonly months: number } & QuotaFigures)[];
}

/** A quarter (or any run of months) for the legal department's report: per month, in total, broken down. */
export interface QuotaPeriodView extends QuotaFigures, Breakdown {
  readonly months: readonly ({ readonly month: string; readonly recorded: boolean } & QuotaFigures)[];
  readonly rulesVersion: string;
  readonly minCellCount: number;
}

export const MAX_TREND_MONTHS = 120;

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > to) return months;
    months.push(current);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
}

/** Reads the legal-quota read model; shares judged at query time against the targets in force. */
@Injectable()
export class LegalQuotaQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(LEGAL_QUOTA_RULES) private readonly rules: LegalQuotaRulesInForce,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  figures(totals: LegalQuotaTotals): QuotaFigures {
    return { totals, quota: legalQuota(totals, this.rules.targets) };
  }

  async teamIds(tenant: string): Promise<ReadonlySet<string>> {
    const teams = (await this.documents.find(ORGANISATION_UNITS, { tenant, kind: 'team' })) as OrganisationUnitDoc[];
    return new Set(teams.map((team) => team.unitId));
  }

  async doc(tenant: string, month: string): Promise<LegalQuotaDoc | null> {
    const doc = (await this.documents.get(LEGAL_QUOTA, legalQuotaId(tenant, month))) as LegalQuotaDoc | null;
    return doc !== null && doc.tenant === tenant ? doc : null;
  }

  async docs(tenant: string, months: readonly string[]): Promise<Map<string, LegalQuotaDoc>> {
    const found = (await this.documents.find(LEGAL_QUOTA, {
      tenant,
      month: { $gte: months[0], $lte: months[months.length - 1] },
    })) as LegalQuotaDoc[];
    return new Map(found.map((doc) => [doc.month, doc]));
  }

  async month(tenant: string, month: string, audience: QuotaAudience): Promise<QuotaMonthView> {
    const doc = await this.doc(tenant, month);
    if (doc === null) throw new NotFoundError(`legal quota ${month}`);
    return {
      month,
      ...this.figures(doc.totals),
      ...this.breakdown(doc.rows, audience),
      recordedAt: doc.recordedAt,
      changedAt: doc.changedAt,
      corrections: doc.corrections,
      revision: doc.streamRevision,
      rulesVersion: this.rules.rulesVersion,
      minCellCount: this.config.minCellCount,
    };
  }

  /** Month by month and per calendar year; tenant totals only (no team figures). */
  async trend(tenant: string, from: string, to: string): Promise<QuotaTrendView> {
    const months = monthsBetween(from, to);
    const docs = await this.docs(tenant, months);
    const monthRows = months.map((month) => {
      const doc = docs.get(month);
      return { month, recorded: doc !== undefined, ...this.figures(doc?.totals ?? emptyLegalQuotaTotals()) };
    });
    const years = new Map<number, { months: number; totals: LegalQuotaTotals }>();
    for (const row of monthRows) {
      const year = Number(row.month.slice(0, 4));
      const entry = years.get(year) ?? { months: 0, totals: emptyLegalQuotaTotals() };
      years.set(year, {
        months: entry.months + (row.recorded ? 1 : 0),
        totals: addLegalQuotaTotals(entry.totals, row.totals),
      });
    }
    return {
      from,
      to,
      rulesVersion: this.rules.rulesVersion,
      targets: {
        avoidableAmongUpheldPercent: this.rules.targets.avoidableAmongUpheldBasisPoints / 100,
        avoidableAmongSettledPercent: this.rules.targets.avoidableAmongSettledBasisPoints / 100,
      },
      ...this.figures(monthRows.map((row) => row.totals).reduce(addLegalQuotaTotals, emptyLegalQuotaTotals())),
      months: monthRows,
      years: [...years.entries()].map(([year, entry]) => ({
        year,
        months: entry.months,
        ...this.figures(entry.totals),
      })),
    };
  }

  /** The months of a report period with the breakdown over all of them (for the quarterly legal report). */
  async period(tenant: string, months: readonly string[], audience: QuotaAudience): Promise<QuotaPeriodView> {
    const docs = await this.docs(tenant, months);
    const rows = months.flatMap((month) => docs.get(month)?.rows ?? []);
    return {
      months: months.map((month) => {
        const doc = docs.get(month);
        return { month, recorded: doc !== undefined, ...this.figures(doc?.totals ?? emptyLegalQuotaTotals()) };
      }),
      ...this.figures(rows.map(legalQuotaRowTotals).reduce(addLegalQuotaTotals, emptyLegalQuotaTotals())),
      ...this.breakdown(rows, audience),
      rulesVersion: this.rules.rulesVersion,
      minCellCount: this.config.minCellCount,
    };
  }

  private breakdown(rows: readonly LegalQuotaRow[], audience: QuotaAudience): Breakdown {
    const sumBy = (key: (row: LegalQuotaRow) => string | null) => {
      const cells = new Map<string | null, LegalQuotaTotals>();
      for (const row of rows)
        cells.set(
          key(row),
          addLegalQuotaTotals(cells.get(key(row)) ?? emptyLegalQuotaTotals(), legalQuotaRowTotals(row)),
        );
      return [...cells.entries()].sort(([a], [b]) => (a ?? '\uffff').localeCompare(b ?? '\uffff', 'de'));
    };
    const total = rows.map(legalQuotaRowTotals).reduce(addLegalQuotaTotals, emptyLegalQuotaTotals());
    const byReason = Object.fromEntries(
      AVOIDABLE_REASONS.map((reason) => [reason, total.avoidableByReason[reason]]),
    ) as Record<AvoidableReason, number>;
    const teams = sumBy((row) => row.teamId);
    // Settled appeals back a team's every figure; a cell is hidden whole (secondary suppression included).
    const hidden =
      audience === 'legal'
        ? teams.map(() => false)
        : suppressSmallCellsOfEach(
            teams.map(([, totals]) => [totals.settled]),
            this.config.minCellCount,
          ).cells;
    return {
      byReason,
      byLegalNorm: sumBy((row) => row.legalNorm).map(([legalNorm, totals]) => ({
        legalNorm: legalNorm ?? '',
        ...this.figures(totals),
      })),
      byTeam: teams.map(([teamId, totals], index): TeamCell =>
        hidden[index] === true
          ? { teamId, suppressed: true, totals: null, quota: null }
          : { teamId, suppressed: false, ...this.figures(totals) },
      ),
      rows: audience === 'legal' ? rows : null,
      suppressedTeams: hidden.filter(Boolean).length,
    };
  }
}

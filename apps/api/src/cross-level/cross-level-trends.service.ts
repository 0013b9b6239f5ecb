import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, berlinDate, type Clock } from '@pruefpfad/application';
import type { Principal, TrendRules } from '@pruefpfad/domain';
import { type PeriodFigures, periodsOf, type TrendFilter } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { APP_CONFIG, CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';
import { assertTrendRange, TrendReader } from '../trends/trend-reader.js';
import { TREND_RULES } from '../trends/trend-rules.provider.js';
import { catalogueCategories } from './catalogue-values.js';
import { crossLevelFigures, crossLevelPeriod, type CrossLevelPeriod } from './cross-level-figures.js';
import { CrossLevelScope } from './cross-level-scope.js';
import type { CrossLevelTrendQueryDto } from './cross-level.dto.js';

/**
 * Trend figures of a region or of the nation, one cell per Jobcenter and one total per period, read
 * with the same `TrendReader` and pure `trendFigures` as a Jobcenter's own trends, then reduced to what
 * a cross-level view may show and small-cell suppressed (`crossLevelPeriod`).
 */
@Injectable()
export class CrossLevelTrendsService {
  private readonly reader: TrendReader;

  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TREND_RULES) private readonly rules: TrendRules,
    private readonly scope: CrossLevelScope,
  ) {
    this.reader = new TrendReader(documents);
  }

  async trends(principal: Principal, query: CrossLevelTrendQueryDto) {
    assertTrendRange(query.from, query.to, this.rules.maxRangeMonths);
    const reach = this.scope.reach(principal, query.region);
    const tenants = await this.scope.tenants(reach);
    const filter: TrendFilter = {
      ...(query.questionnaire === undefined ? {} : { questionnaireId: query.questionnaire }),
      ...(query.questionnaireVersion === undefined ? {} : { questionnaireVersion: query.questionnaireVersion }),
      ...(query.category === undefined ? {} : { category: query.category }),
      ...(query.severity === undefined ? {} : { severity: query.severity }),
    };
    const today = berlinDate(this.clock.now());
    const granularity = query.granularity ?? 'month';
    const perTenant: {
      tenant: string;
      region: string;
      catalogue: ReadonlySet<string>;
      periods: readonly PeriodFigures[];
    }[] = [];
    for (const entry of tenants) {
      const teams = await this.reader.units(entry.tenant, { kind: 'team' });
      const figures = await this.reader.read({
        tenant: entry.tenant,
        scope: { kind: 'tenant' },
        teams,
        from: query.from,
        to: query.to,
        granularity,
        filter,
        rules: this.rules,
        today,
      });
      perTenant.push({
        tenant: entry.tenant,
        region: entry.region,
        catalogue: await catalogueCategories(this.documents, entry.tenant),
        periods: figures.periods,
      });
    }
    const ranges = periodsOf(query.from, query.to, granularity);
    const periods: CrossLevelPeriod[] = ranges.map((period, index) =>
      crossLevelPeriod(
        { period: period.label, from: period.from, to: period.to },
        perTenant.map((entry) => ({
          tenant: entry.tenant,
          region: entry.region,
          figures: crossLevelFigures(entry.periods[index]!, entry.catalogue),
        })),
        this.config.minCellCount,
      ),
    );
    return {
      level: reach.level,
      region: reach.level === 'region' ? reach.region : null,
      granularity,
      from: ranges[0]?.months[0] ?? query.from,
      to: ranges.at(-1)?.months.at(-1) ?? query.to,
      filter,
      today,
      minCellCount: this.config.minCellCount,
      suppression:
        `Zellen mit weniger als ${this.config.minCellCount} Prüfungen und die zu ihrem Schutz nötigen Zellen ` +
        `sind unterdrückt; keine Aufschlüsselung nach Team, Bereich oder Person. / Cells of fewer than ` +
        `${this.config.minCellCount} reviews, and those needed to protect them, are suppressed; no breakdown ` +
        `by team, area or person.`,
      tenants: tenants.map((entry) => ({ tenant: entry.tenant, region: entry.region })),
      periods,
    };
  }
}

export type CrossLevelTrendView = Awaited<ReturnType<CrossLevelTrendsService['trends']>>;

import { Inject, Injectable } from '@nestjs/common';
import { berlinDate, type Clock, NotFoundError } from '@pruefpfad/application';
import {
  addMonths,
  assertCanAccess,
  DomainError,
  type ErrorRatePolicy,
  judgeErrorRate,
  judgingRuleName,
  type Principal,
  type ToleranceTest,
  type TrendRules,
} from '@pruefpfad/domain';
import {
  type ProgrammeDoc,
  programmesProjection,
  TREND_CONTEXT,
  TREND_REVIEWS,
  type TrendContextDoc,
  type TrendFilter,
  type TrendRoutineDoc,
  trendRoutineId,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import { CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';
import type { TrendQueryDto } from './trend-query.dto.js';
import { assertTrendRange, TrendReader, type TrendScope } from './trend-reader.js';
import { TREND_RULES } from './trend-rules.provider.js';

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', 'Ungültige Anfrage / Invalid request', { fields: { [field]: message } });
}

/** Resolves and authorises a trend query's scope, then reads the figures. */
@Injectable()
export class TrendsQueries {
  private readonly reader: TrendReader;

  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TREND_RULES) private readonly rules: TrendRules,
    private readonly freshness: ReadModelFreshness,
  ) {
    this.reader = new TrendReader(documents);
  }

  today(): string {
    return berlinDate(this.clock.now());
  }

  trendRules(): TrendRules {
    return this.rules;
  }

  async trends(principal: Principal, query: TrendQueryDto) {
    assertTrendRange(query.from, query.to, this.rules.maxRangeMonths);
    const scope = parseScope(query.scope ?? 'tenant');
    const teams = await this.authorisedTeams(principal, scope);
    const filter: TrendFilter = {
      ...(query.programme === undefined ? {} : { programmeId: query.programme }),
      ...(query.questionnaire === undefined ? {} : { questionnaireId: query.questionnaire }),
      ...(query.questionnaireVersion === undefined ? {} : { questionnaireVersion: query.questionnaireVersion }),
      ...(query.category === undefined ? {} : { category: query.category }),
      ...(query.severity === undefined ? {} : { severity: query.severity }),
    };
    const today = this.today();
    const granularity = query.granularity ?? 'month';
    const figures = await this.reader.read({
      tenant: principal.tenant,
      scope,
      teams,
      from: query.from,
      to: query.to,
      granularity,
      filter,
      rules: this.rules,
      today,
    });
    const collected = figures.routines.some((routine) => routine.collectsErrorRates);
    return {
      tenant: principal.tenant,
      scope: query.scope ?? 'tenant',
      granularity,
      from: figures.from,
      to: figures.to,
      filter,
      today,
      rules: {
        rulesVersion: this.rules.rulesVersion,
        judging: this.rules.judging,
        judgingRule: judgingRuleName(this.rules.judging),
        errorCounting: this.rules.errorCounting,
        defaultTolerancePercent: this.rules.defaultTolerancePercent,
      },
      errorRatesCollected: collected,
      ...(collected
        ? {}
        : {
            errorRatesNote:
              'Für diese Prüfpläne werden keine Fehlerquoten erhoben (Methode 2021, 003:58). / ' +
              'No error rates are collected for these programmes (2021 method, 003:58).',
          }),
      periods: figures.periods,
      routines: figures.routines,
    };
  }

  /**
   * A routine (programme) of the caller's tenant, with management's decisions so far (each with the
   * tolerance test it was taken on) and the tolerance test a decision now would record; 404 otherwise.
   */
  async routine(principal: Principal, programmeId: string) {
    const programme = await this.programme(principal, programmeId);
    assertCanAccess(principal, 'routine.read', { tenant: programme.tenant, unit: programme.areaId });
    const collects = programme.settings.errorRatePolicy.kind === 'collect';
    const doc = (await this.documents.get(
      TREND_CONTEXT,
      trendRoutineId(principal.tenant, programmeId),
    )) as TrendRoutineDoc | null;
    const today = this.today();
    const status = doc?.status ?? 'active';
    const suspension = doc?.suspension ?? null;
    return {
      programmeId,
      title: programme.settings.title,
      areaId: programme.areaId,
      collectsErrorRates: collects,
      status,
      suspension: status === 'suspended' ? suspension : null,
      recheckOverdue: status === 'suspended' && suspension !== null && suspension.recheckOn < today,
      suspendedPeriods: doc?.suspendedPeriods ?? [],
      /** What a suspension or renewal decided now would record (over the default months). */
      toleranceTest: collects
        ? await this.toleranceTest({
            tenant: programme.tenant,
            programmeId,
            errorRatePolicy: programme.settings.errorRatePolicy,
          })
        : null,
      revision: doc?.revision ?? null,
    };
  }

  /**
   * The tolerance test of a routine now: its error rate over the months `from`–`to` (default: the
   * configured `toleranceTestMonths` up to the current month) judged by the rules in force, exactly as
   * the trend figures judge it, with the rule and the rules' label. A decision records it (issue 9,
   * item 6), so for a decision (`forDecision`) the figures must hold every review stored so far: it
   * waits until the trend read models have caught up with the store.
   */
  async toleranceTest(
    routine: { readonly tenant: string; readonly programmeId: string; readonly errorRatePolicy: ErrorRatePolicy },
    range: { readonly from?: string | undefined; readonly to?: string | undefined } = {},
    forDecision = false,
  ): Promise<ToleranceTest> {
    if (forDecision) await this.freshness.awaitCurrent([TREND_REVIEWS, TREND_CONTEXT]);
    const today = this.today();
    const to = range.to ?? today.slice(0, 7);
    const from = range.from ?? addMonths(to, 1 - this.rules.toleranceTestMonths);
    assertTrendRange(from, to, this.rules.maxRangeMonths);
    const { tenant, programmeId } = routine;
    const figures = await this.reader.read({
      tenant,
      scope: { kind: 'tenant' },
      teams: await this.reader.units(tenant, { kind: 'team' }),
      from,
      to,
      granularity: 'month',
      filter: { programmeId },
      rules: this.rules,
      today,
    });
    const policy = routine.errorRatePolicy;
    const tolerancePercent =
      policy.kind === 'collect' && policy.tolerancePercent > 0
        ? policy.tolerancePercent
        : this.rules.defaultTolerancePercent;
    // Null when the programme collected in none of these months: then nothing was judged.
    const figure = figures.routines.find((known) => known.programmeId === programmeId)?.errorRate ?? {
      ...judgeErrorRate({ reviews: 0, withErrors: 0 }, tolerancePercent, this.rules.judging),
      tolerancePercent,
    };
    return {
      from,
      to,
      reviews: figure.reviews,
      withErrors: figure.withErrors,
      rate: figure.rate,
      upperBound: figure.upperBound,
      tolerancePercent: figure.tolerancePercent,
      belowTolerance: figure.belowTolerance,
      judging: this.rules.judging,
      rule: figure.rule,
      rulesVersion: this.rules.rulesVersion,
      errorCounting: this.rules.errorCounting,
    };
  }

  /**
   * The tenant's suspended routines for the management dashboard: re-check date, and whether the latest
   * decision followed the tolerance test or was taken against it, with the test as it stood then.
   */
  async suspendedRoutines(tenant: string) {
    const docs = (await this.documents.find(TREND_CONTEXT, { tenant })) as TrendContextDoc[];
    const titles = new Map(
      docs.flatMap((doc) => (doc.kind === 'programme' ? [[doc.programmeId, doc.title] as const] : [])),
    );
    const today = this.today();
    return docs
      .flatMap((doc) =>
        doc.kind === 'routine' && doc.status === 'suspended' && doc.suspension !== null
          ? [{ programmeId: doc.programmeId, suspension: doc.suspension }]
          : [],
      )
      .map(({ programmeId, suspension }) => ({
        programmeId,
        title: titles.get(programmeId) ?? programmeId,
        since: suspension.since,
        recheckOn: suspension.recheckOn,
        recheckOverdue: suspension.recheckOn < today,
        decidedOn: suspension.decidedOn,
        againstToleranceTest: suspension.againstToleranceTest,
        toleranceTest: suspension.toleranceTest,
      }))
      .sort((a, b) => (a.programmeId < b.programmeId ? -1 : a.programmeId > b.programmeId ? 1 : 0));
  }

  /** The programme a routine decision is about, from the programmes read model; another tenant's is 404. */
  async programme(principal: Principal, programmeId: string): Promise<ProgrammeDoc> {
    const doc = (await this.documents.get(programmesProjection.name, programmeId)) as ProgrammeDoc | null;
    if (doc === null || doc.tenant !== principal.tenant) throw new NotFoundError(`programme ${programmeId}`);
    return doc;
  }

  private async authorisedTeams(principal: Principal, scope: TrendScope) {
    // Regional and central levels read the cross-level views instead (apps/api/src/cross-level).
    const tenant = principal.tenant;
    switch (scope.kind) {
      case 'tenant':
        assertCanAccess(principal, 'trends.read', { tenant });
        return this.reader.units(tenant, { kind: 'team' });
      case 'area': {
        const [area] = await this.reader.units(tenant, { kind: 'area', unitId: scope.areaId });
        if (area === undefined) throw new NotFoundError(`area ${scope.areaId}`);
        assertCanAccess(principal, 'trends.read', { tenant, unit: area.unitId });
        return this.reader.units(tenant, { kind: 'team', parentId: area.unitId });
      }
      case 'team': {
        const [team] = await this.reader.units(tenant, { kind: 'team', unitId: scope.teamId });
        if (team === undefined) throw new NotFoundError(`team ${scope.teamId}`);
        assertCanAccess(principal, 'trends.read', {
          tenant,
          unit: team.unitId,
          ...(team.parentId === null ? {} : { parentUnits: [team.parentId] }),
        });
        return [team];
      }
    }
  }
}

function parseScope(text: string): TrendScope {
  if (text === 'tenant') return { kind: 'tenant' };
  const [kind, id] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if (kind === 'area') return { kind: 'area', areaId: id };
  if (kind === 'team') return { kind: 'team', teamId: id };
  throw invalid('scope', 'tenant, area:<id> oder / or team:<id>');
}

export type TrendView = Awaited<ReturnType<TrendsQueries['trends']>>;

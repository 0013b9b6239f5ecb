import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays, DEFAULT_TREND_RULES, lastDayOfMonth, type Quarter, reportDueDate } from '@pruefpfad/domain';
import type { RecordedEvent } from '@pruefpfad/event-store';
import {
  foldBatch,
  monthsBetween,
  type OrganisationUnitDoc,
  physicalCollection,
  type ProjectionDefinition,
  TRENDS_READ_MODELS,
} from '@pruefpfad/projections';
import { type Doc, type DocumentStore, EmbeddedReadStore } from '@pruefpfad/read-store';
import { TrendReader, type TrendRequest } from '../../apps/api/src/trends/trend-reader.js';
import { figure, formatCount, formatMs, formatRate, heading, line, Progress } from './bench-report.js';

/**
 * Trend query latency on five years of a large Jobcenter (domain.md: 50 teams, at least 10 reviews per
 * team lead per month): the trend events are generated, folded through the real trend projections
 * (`foldBatch`, as the runner does) into an EmbeddedReadStore file, and the endpoint's reader is timed.
 */
const TENANT = 'jc-bench';
const TEAMS = 50;
const AREAS = 5;
const REVIEWS_PER_TEAM_MONTH = 12;
const FIRST_MONTH = '2021-01';
const LAST_MONTH = '2025-12';
const TODAY = '2026-01-10';
const RUNS = 30;
const TARGET_MS = 200;
const CATEGORIES = ['Dokumentation', 'Leistungsberechnung', 'Eingliederung', 'Fristen', 'Beratung'];

/** A small deterministic generator (mulberry32): the same data on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const teamId = (index: number): string => `team-${String(index).padStart(2, '0')}`;
const areaOf = (team: number): string => `area-${team % AREAS}`;
const programmeOf = (team: number): string => `p-${team % AREAS}`;

function* trendEvents(): Generator<{ type: string; streamId: string; data: Record<string, unknown>; at: string }> {
  const next = random(20_260_110);
  for (let area = 0; area < AREAS; area += 1)
    yield {
      type: 'ProgrammeDefined',
      streamId: `programme-p-${area}`,
      at: '2020-12-01T09:00:00.000Z',
      data: {
        programmeId: `p-${area}`,
        settings: {
          title: `Prüfplan ${area}`,
          areaId: `area-${area}`,
          customerProcess: `process-${area}`,
          questionnaireId: `q-${area}`,
          minimumCasesPerTeamLead: 10,
          drawnBy: 'area_head',
          // Two areas collect error rates (Leistung in Krefeld, 001:202), three follow the 2021 method.
          errorRatePolicy: area < 2 ? { kind: 'collect', tolerancePercent: 10 } : { kind: 'none' },
          reviewDeadlineDaysAfterMonth: 0,
          retentionMonths: 12,
          reportDueDay: 15,
          deputiesReview: true,
          excludeDrawnWithinMonths: 6,
          coverageRule: 'least-recently-covered',
          section16aConsent: null,
        },
        reason: 'Einführung',
        note: null,
        definedAt: '2020-12-01T09:00:00.000Z',
      },
    };
  let review = 0;
  let measure = 0;
  for (const month of monthsBetween(FIRST_MONTH, LAST_MONTH)) {
    const end = lastDayOfMonth(month);
    const at = `${end}T08:00:00.000Z`;
    for (let team = 0; team < TEAMS; team += 1) {
      for (let i = 0; i < REVIEWS_PER_TEAM_MONTH; i += 1) {
        review += 1;
        const reviewId = `r-${review}`;
        const streamId = `review-${reviewId}`;
        yield {
          type: 'CaseSampled',
          streamId,
          at,
          data: {
            reviewId,
            programmeId: programmeOf(team),
            areaId: areaOf(team),
            teamId: teamId(team),
            month,
            questionnaireId: `q-${team % AREAS}`,
            questionnaireVersion: month < '2023-07' ? 1 : 2,
            deadline: end,
          },
        };
        const defects = next() < 0.35 ? 1 + Math.floor(next() * 3) : 0;
        for (let d = 0; d < defects; d += 1)
          yield {
            type: 'DefectRecorded',
            streamId,
            at,
            data: {
              reviewId,
              defectId: `${reviewId}-d${d}`,
              category: CATEGORIES[Math.floor(next() * CATEGORIES.length)]!,
              severity: next() < 0.2 ? 'serious' : 'minor',
            },
          };
        if (month === LAST_MONTH && i >= REVIEWS_PER_TEAM_MONTH - 2) continue;
        yield {
          type: 'ReviewCompleted',
          streamId,
          at,
          data: { reviewId, outcome: defects > 0 ? 'not-goal-directed' : 'goal-directed', completedAt: at },
        };
        if (next() < 0.5) yield { type: 'TalkHeld', streamId, at, data: { reviewId, date: end } };
        if (defects > 0 && next() < 0.6) {
          measure += 1;
          const measureId = `m-${measure}`;
          const dueDate = addDays(end, 30);
          yield {
            type: 'MeasureAgreed',
            streamId: `measure-${measureId}`,
            at,
            data: {
              measureId,
              areaId: areaOf(team),
              teamId: teamId(team),
              reviewId,
              kind: 'feedback',
              scope: 'individual',
              dueDate,
              agreedOn: end,
            },
          };
          if (next() < 0.85)
            yield {
              type: 'MeasureCompleted',
              streamId: `measure-${measureId}`,
              at,
              data: { measureId, date: addDays(dueDate, Math.floor(next() * 20) - 10) },
            };
        }
      }
    }
    if (['03', '06', '09', '12'].includes(month.slice(5)) && month < LAST_MONTH) {
      const year = Number(month.slice(0, 4));
      const quarter = (Number(month.slice(5)) / 3) as Quarter;
      const dueDate = reportDueDate(year, quarter, 15);
      for (let team = 0; team < TEAMS; team += 1) {
        if (next() < 0.05) continue;
        const reportId = `${TENANT}-${teamId(team)}-${year}-Q${quarter}`;
        const submittedOn = addDays(dueDate, Math.floor(next() * 12) - 8);
        yield {
          type: 'ReportSubmitted',
          streamId: `report-${reportId}`,
          at: `${submittedOn}T08:00:00.000Z`,
          data: {
            reportId,
            kind: 'team',
            unitId: teamId(team),
            areaId: areaOf(team),
            year,
            quarter,
            submittedAt: `${submittedOn}T08:00:00.000Z`,
            dueDate,
          },
        };
      }
    }
  }
}

function recorded(
  position: number,
  event: { type: string; streamId: string; data: unknown; at: string },
): RecordedEvent {
  return {
    id: `e-${position}`,
    type: event.type,
    schemaVersion: 1,
    data: event.data,
    metadata: {
      occurredAt: event.at,
      actor: { userId: 'bench', role: 'team_lead' },
      tenant: TENANT,
      correlationId: 'bench',
      causationId: null,
      rulesVersion: 'bench',
    },
    streamId: event.streamId,
    revision: 0,
    position,
    recordedAt: event.at,
    chain: '',
  };
}

/** Folds the events through one projection in batches, committing each with its checkpoint as the runner does. */
async function project(
  documents: DocumentStore,
  definition: ProjectionDefinition,
  events: readonly RecordedEvent[],
): Promise<number> {
  const physical = physicalCollection(definition);
  const held = new Map<string, Doc>();
  const load = (ids: readonly string[]) => Promise.resolve(new Map(ids.map((id) => [id, held.get(id) ?? null])));
  const handled = new Set(definition.eventTypes);
  const mine = events.filter((event) => handled.has(event.type));
  for (let start = 0; start < mine.length; start += 5000) {
    const batch = mine.slice(start, start + 5000);
    const folded = await foldBatch(definition, physical, batch, batch.at(-1)!.position, load);
    if (folded.poison !== null) throw new Error(`poison event in ${definition.name}: ${folded.poison.error}`);
    for (const write of folded.writes) if (write.op === 'put') held.set(write.doc._id, write.doc);
    await documents.commit(folded.writes, { name: physical, position: folded.checkpoint });
  }
  await documents.switchAlias(definition.name, physical);
  return held.size;
}

const unit = (unitId: string, kind: 'area' | 'team', parentId: string | null): OrganisationUnitDoc => ({
  _id: `${TENANT}:${unitId}`,
  tenant: TENANT,
  unitId,
  kind,
  parentId,
  name: unitId,
  process: null,
  teamLead: null,
  deputy: null,
  absences: [],
  delegations: [],
});

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export interface TrendBenchResult {
  readonly p50: number;
  readonly p95: number;
  readonly met: boolean;
}

export async function runTrendsBench(directory: string): Promise<TrendBenchResult> {
  heading(
    `Trend queries: ${TEAMS} teams × ${REVIEWS_PER_TEAM_MONTH} reviews per month, ${FIRST_MONTH} … ${LAST_MONTH}`,
  );
  mkdirSync(directory, { recursive: true });
  const progress = new Progress('generating trend events');
  const events: RecordedEvent[] = [];
  for (const event of trendEvents()) {
    events.push(recorded(events.length + 1, event));
    if (events.length % 50_000 === 0) progress.update(events.length, 700_000);
  }
  progress.done();
  const readStore = EmbeddedReadStore.open({ file: path.join(directory, 'read-models.sqlite') });
  try {
    const documents = readStore.documents;
    const folding = performance.now();
    const counts: string[] = [];
    for (const definition of TRENDS_READ_MODELS)
      counts.push(`${definition.name} ${formatCount(await project(documents, definition, events))}`);
    const foldMs = performance.now() - folding;
    figure(
      'events folded through the trend projections into an EmbeddedReadStore file',
      formatCount(events.length),
      `${formatRate(events.length / (foldMs / 1000))} over all three (${formatMs(foldMs)}); documents: ${counts.join(', ')}`,
    );

    const areas = Array.from({ length: AREAS }, (_, area) => unit(`area-${area}`, 'area', null));
    const teams = Array.from({ length: TEAMS }, (_, team) => unit(teamId(team), 'team', areaOf(team)));
    await documents.commit(
      [...areas, ...teams].map((doc) => ({ op: 'put', collection: 'organisation-units', doc })),
      { name: 'bench-organisation', position: 1 },
    );
    const reader = new TrendReader(documents);
    const base = { tenant: TENANT, rules: DEFAULT_TREND_RULES, today: TODAY, filter: {} };
    const queries: { readonly label: string; readonly request: TrendRequest }[] = [
      {
        label: 'whole Jobcenter, 5 years by month',
        request: { ...base, scope: { kind: 'tenant' }, teams, from: FIRST_MONTH, to: LAST_MONTH, granularity: 'month' },
      },
      {
        label: 'whole Jobcenter, 5 years by quarter',
        request: {
          ...base,
          scope: { kind: 'tenant' },
          teams,
          from: FIRST_MONTH,
          to: LAST_MONTH,
          granularity: 'quarter',
        },
      },
      {
        label: 'one area, 2 years by month, one programme (collects error rates)',
        request: {
          ...base,
          scope: { kind: 'area', areaId: 'area-0' },
          teams: teams.filter((team) => team.parentId === 'area-0'),
          from: '2024-01',
          to: LAST_MONTH,
          granularity: 'month',
          filter: { programmeId: 'p-0' },
        },
      },
      {
        label: 'one team, 5 years by month, one category',
        request: {
          ...base,
          scope: { kind: 'team', teamId: 'team-07' },
          teams: teams.filter((team) => team.unitId === 'team-07'),
          from: FIRST_MONTH,
          to: LAST_MONTH,
          granularity: 'month',
          filter: { category: 'Dokumentation' },
        },
      },
      {
        label: 'whole Jobcenter, 1 year by month, serious defects, questionnaire version 2',
        request: {
          ...base,
          scope: { kind: 'tenant' },
          teams,
          from: '2025-01',
          to: LAST_MONTH,
          granularity: 'month',
          filter: { severity: 'serious', questionnaireVersion: 2 },
        },
      },
    ];
    const cold = performance.now();
    const first = await reader.read(queries[0]!.request);
    figure(
      'first query after opening (loads the collections into the read cache)',
      formatMs(performance.now() - cold),
      `${first.periods.length} periods; ${formatCount(first.periods.reduce((sum, p) => sum + p.reviews.sampled, 0))} reviews counted`,
    );
    const all: number[] = [];
    for (const query of queries) {
      for (let warm = 0; warm < 3; warm += 1) await reader.read(query.request);
      const samples: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const started = performance.now();
        await reader.read(query.request);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      all.push(...samples);
      figure(
        `  ${query.label}`,
        formatMs(percentile(samples, 0.95)),
        `p50 ${formatMs(percentile(samples, 0.5))}, p95 ${formatMs(percentile(samples, 0.95))}, max ${formatMs(samples.at(-1)!)} (${RUNS} runs)`,
      );
    }
    all.sort((a, b) => a - b);
    const p50 = percentile(all, 0.5);
    const p95 = percentile(all, 0.95);
    const met = p95 <= TARGET_MS;
    figure(
      `trend queries, all of the above: p95 ≤ ${TARGET_MS} ms`,
      met ? 'met' : 'NOT MET',
      `p50 ${formatMs(p50)}, p95 ${formatMs(p95)} over ${all.length} queries`,
    );
    line('  (reader = what GET /api/v1/trends runs after authorisation: one find per trend collection, pure sums)');
    return { p50, p95, met };
  } finally {
    await readStore.close();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_RULES } from '@pruefpfad/application';
import {
  CORE_DEADLINE_LABELS,
  type Deadline,
  drawDeadline,
  LEGAL_UNIT_ID,
  legalReportDeadline,
  measureDeadline,
  monthOf,
  openReviewDeadline,
  reportId,
  reportQuarter,
  routineRecheckDeadline,
  talkDeadline,
  teamReportDeadline,
} from '@pruefpfad/domain';
import {
  type MeasureDoc,
  MEASURES,
  ORGANISATION_UNITS,
  type OrganisationUnitDoc,
  type ProgrammeFactDoc,
  REPORTS,
  type ReviewDoc,
  REVIEWS,
  type SampleDoc,
  SAMPLES,
  TEAM_FIGURES,
  TREND_CONTEXT,
  type TrendRoutineDoc,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DOCUMENT_STORE } from '../runtime/tokens.js';
import { DeadlineSourceProvider, type DeadlineSource } from './deadline-source.js';

/**
 * The deadline sources of the existing features (issue 12, item 4). Each reads one or two read models of
 * the tenant and hands the facts to the pure rules in `libs/domain/src/deadlines/deadline-rules.ts`.
 */

const present = <T>(value: T | null): value is T => value !== null;
const label = (kind: string) => CORE_DEADLINE_LABELS[kind]!;

async function teams(documents: DocumentStore, tenant: string): Promise<OrganisationUnitDoc[]> {
  return (await documents.find(ORGANISATION_UNITS, { tenant, kind: 'team' })) as OrganisationUnitDoc[];
}

async function programmes(documents: DocumentStore, tenant: string): Promise<ProgrammeFactDoc[]> {
  return (await documents.find(TEAM_FIGURES, { tenant, kind: 'programme' })) as ProgrammeFactDoc[];
}

const inForceFrom = (programme: ProgrammeFactDoc): string | null =>
  programme.minimumHistory.reduce<string | null>(
    (first, entry) => (first === null || entry.from < first ? entry.from : first),
    null,
  );

@Injectable()
@DeadlineSourceProvider()
export class DrawDeadlines implements DeadlineSource {
  readonly kind = 'draw';
  readonly label = label('draw');
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string, today: string): Promise<Deadline[]> {
    const month = monthOf(today);
    const [units, all, samples] = await Promise.all([
      teams(this.documents, tenant),
      programmes(this.documents, tenant),
      this.documents.find(SAMPLES, { tenant, month }) as Promise<SampleDoc[]>,
    ]);
    const drawn = new Set(samples.filter((s) => s.voided === null).map((s) => `${s.programmeId}/${s.teamId}`));
    const deadlines: (Deadline | null)[] = [];
    for (const programme of all) {
      const from = inForceFrom(programme);
      if (from === null) continue;
      for (const team of units) {
        if (team.parentId !== programme.areaId) continue;
        if (team.process !== null && team.process !== programme.customerProcess) continue;
        deadlines.push(
          drawDeadline(
            {
              tenant,
              teamId: team.unitId,
              areaId: programme.areaId,
              programmeId: programme.programmeId,
              inForceFrom: from,
              drawn: drawn.has(`${programme.programmeId}/${team.unitId}`),
            },
            month,
          ),
        );
      }
    }
    return deadlines.filter(present);
  }
}

const reviewFacts = (doc: ReviewDoc) => ({
  tenant: doc.tenant,
  teamId: doc.teamId,
  areaId: doc.areaId,
  reviewId: doc._id,
  status: doc.status,
  deadline: doc.deadline,
  completedOn: doc.completedOn,
  talks: doc.talks.length,
  discussions: doc.teamDiscussions.length,
});

@Injectable()
@DeadlineSourceProvider()
export class ReviewDeadlines implements DeadlineSource {
  readonly kind = 'review';
  readonly label = label('review');
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string): Promise<Deadline[]> {
    const open = (await this.documents.find(REVIEWS, { tenant, status: 'open' })) as ReviewDoc[];
    return open.map((doc) => openReviewDeadline(reviewFacts(doc))).filter(present);
  }
}

@Injectable()
@DeadlineSourceProvider()
export class TalkDeadlines implements DeadlineSource {
  readonly kind = 'talk';
  readonly label = label('talk');
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string): Promise<Deadline[]> {
    const completed = (await this.documents.find(REVIEWS, { tenant, status: 'completed' })) as ReviewDoc[];
    return completed.map((doc) => talkDeadline(reviewFacts(doc))).filter(present);
  }
}

@Injectable()
@DeadlineSourceProvider()
export class MeasureDeadlines implements DeadlineSource {
  readonly kind = 'measure';
  readonly label = label('measure');
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string): Promise<Deadline[]> {
    const open = (await this.documents.find(MEASURES, { tenant, status: 'open' })) as MeasureDoc[];
    return open
      .map((doc) =>
        measureDeadline({
          tenant,
          teamId: doc.teamId,
          areaId: doc.areaId,
          measureId: doc._id,
          status: doc.status,
          dueDate: doc.dueDate,
        }),
      )
      .filter(present);
  }
}

@Injectable()
@DeadlineSourceProvider()
export class TeamReportDeadlines implements DeadlineSource {
  readonly kind = 'team-report';
  readonly label = label('team-report');
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string, today: string): Promise<Deadline[]> {
    const { year, quarter } = reportQuarter(today);
    const [units, all] = await Promise.all([teams(this.documents, tenant), programmes(this.documents, tenant)]);
    const deadlines: (Deadline | null)[] = [];
    for (const team of units) {
      const submitted = (await this.documents.get(REPORTS, reportId(tenant, team.unitId, year, quarter))) !== null;
      deadlines.push(
        teamReportDeadline(
          { tenant, teamId: team.unitId, areaId: team.parentId ?? team.unitId, process: team.process },
          all,
          year,
          quarter,
          DEFAULT_RULES.programme.reportDueDay,
          submitted,
        ),
      );
    }
    return deadlines.filter(present);
  }
}

@Injectable()
@DeadlineSourceProvider()
export class LegalReportDeadlines implements DeadlineSource {
  readonly kind = 'legal-report';
  readonly label = label('legal-report');
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string, today: string): Promise<Deadline[]> {
    const { year, quarter } = reportQuarter(today);
    const all = await programmes(this.documents, tenant);
    const submitted = (await this.documents.get(REPORTS, reportId(tenant, LEGAL_UNIT_ID, year, quarter))) !== null;
    const deadline = legalReportDeadline(tenant, all, year, quarter, DEFAULT_RULES.programme.reportDueDay, submitted);
    return deadline === null ? [] : [deadline];
  }
}

@Injectable()
@DeadlineSourceProvider()
export class RoutineRecheckDeadlines implements DeadlineSource {
  readonly kind = 'routine-recheck';
  readonly label = label('routine-recheck');
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string): Promise<Deadline[]> {
    const routines = (await this.documents.find(TREND_CONTEXT, {
      tenant,
      kind: 'routine',
      status: 'suspended',
    })) as TrendRoutineDoc[];
    return routines
      .map((doc) =>
        routineRecheckDeadline({
          tenant,
          programmeId: doc.programmeId,
          status: doc.status,
          recheckOn: doc.suspension?.recheckOn ?? null,
        }),
      )
      .filter(present);
  }
}

export const CORE_DEADLINE_SOURCES = [
  DrawDeadlines,
  ReviewDeadlines,
  TalkDeadlines,
  MeasureDeadlines,
  TeamReportDeadlines,
  LegalReportDeadlines,
  RoutineRecheckDeadlines,
];

import { Inject, Injectable } from '@nestjs/common';
import { decide, DomainError, type Principal, type Sealed } from '@pruefpfad/domain';
import type { Envelope } from '@pruefpfad/privacy';
import { ORGANISATION_UNITS, type OrganisationUnitDoc } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DOCUMENT_STORE, ENVELOPE } from '../runtime/tokens.js';
import { AccessLog } from '../access-log/access-log.service.js';
import { ActingRights, type TeamContext } from './acting-rights.js';

export interface PersonView {
  readonly name: string | null;
  /** Only for callers who see the team's absences (the team, its area head, management). */
  readonly subject?: string;
}

export interface TeamView {
  readonly id: string;
  readonly name: string;
  readonly process: string | null;
  readonly areaId: string | null;
  readonly teamLead: (PersonView & { readonly since: string }) | null;
  readonly deputy: PersonView | null;
  /** Present only for the team itself, its area head and management, never for every employee. */
  readonly absences?: OrganisationUnitDoc['absences'];
  readonly delegations?: OrganisationUnitDoc['delegations'];
}

export interface ActingRightsView extends TeamContext {
  readonly mayAct: boolean;
  /** Why not (German / English), when `mayAct` is false. */
  readonly reason: string | null;
}

export interface AreaView {
  readonly id: string;
  readonly name: string;
  readonly teams: readonly TeamView[];
}

/**
 * Reads the organisation from `organisation-units`. Who supervises (names of team leads and deputies) is
 * for every employee (000:77); absences, delegations and identity-provider subjects only for those who
 * run or oversee the team.
 */
/** Roles that never see team leads' or deputies' names (test/role-privacy.e2e.spec.ts). */
const NAMELESS_ROLES: ReadonlySet<string> = new Set(['regional', 'central', 'auditor']);

@Injectable()
export class OrganisationQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    private readonly actingRights: ActingRights,
    private readonly accessLog: AccessLog,
  ) {}

  async overview(principal: Principal): Promise<{ areas: AreaView[] }> {
    const docs = (await this.documents.find(
      ORGANISATION_UNITS,
      { tenant: principal.tenant },
      { sort: { unitId: 1 } },
    )) as OrganisationUnitDoc[];
    const teams = await Promise.all(
      docs.filter((doc) => doc.kind === 'team').map((doc) => this.teamView(principal, doc)),
    );
    const areas = docs
      .filter((doc) => doc.kind === 'area')
      .map((area) => ({
        id: area.unitId,
        name: area.name,
        teams: teams.filter((team) => team.areaId === area.unitId),
      }));
    return { areas };
  }

  /** One team of the caller's tenant, or 404. */
  async team(principal: Principal, teamId: string): Promise<TeamView> {
    await this.actingRights.assertMayRead(principal, 'organisation.read', principal.tenant, teamId);
    return this.teamView(principal, await this.actingRights.team(principal.tenant, teamId));
  }

  /**
   * Whether the caller may act for the team today (what the team's worklist will allow): a deputy only
   * inside a recorded absence or an approved delegation. A team out of reach is 404, as everywhere.
   */
  async actingRightsToday(principal: Principal, teamId: string): Promise<ActingRightsView> {
    try {
      const context = await this.actingRights.assertMayAct(
        principal,
        'organisation.act-for-team',
        principal.tenant,
        teamId,
      );
      return { ...context, mayAct: true, reason: null };
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'RULE_VIOLATION') throw error;
      const team = await this.actingRights.team(principal.tenant, teamId);
      return { teamId, areaId: team.parentId ?? teamId, asDeputy: true, mayAct: false, reason: error.message };
    }
  }

  private async teamView(principal: Principal, doc: OrganisationUnitDoc): Promise<TeamView> {
    const insider = decide(principal, 'organisation.read-absences', {
      tenant: doc.tenant,
      unit: doc.unitId,
      parentUnits: doc.parentId === null ? [] : [doc.parentId],
    }).allowed;
    // Who supervises is shown to the Jobcenter's own staff (000:77); regional and central levels and the
    // auditors read the structure without names (issue 5: no clear personal data for them).
    const seesNames = principal.roles.some((role) => !NAMELESS_ROLES.has(role));
    const person = async (subject: string, name: Sealed | null): Promise<PersonView> => {
      const opens = name !== null && seesNames;
      // Names are personal data: every read that shows them is in the access log.
      if (opens)
        this.accessLog.note({
          purpose: 'organisation',
          resources: [{ kind: 'organisation', id: doc.unitId, reviewId: null }],
          fields: ['name'],
        });
      return {
        name: opens ? ((await this.envelope.openOrNull(name)) as string | null) : null,
        ...(insider ? { subject } : {}),
      };
    };
    return {
      id: doc.unitId,
      name: doc.name,
      process: doc.process,
      areaId: doc.parentId,
      teamLead: doc.teamLead
        ? { ...(await person(doc.teamLead.subject, doc.teamLead.name)), since: doc.teamLead.since }
        : null,
      deputy: doc.deputy ? await person(doc.deputy.subject, doc.deputy.name) : null,
      ...(insider ? { absences: doc.absences, delegations: doc.delegations } : {}),
    };
  }
}

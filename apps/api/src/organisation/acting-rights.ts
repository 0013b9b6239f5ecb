import { Inject, Injectable } from '@nestjs/common';
import { berlinDate, type Clock, NotFoundError, type StreamStates } from '@pruefpfad/application';
import {
  type Action,
  assertCanAccess,
  decide,
  DomainError,
  type OrganisationState,
  type Principal,
  type Resource,
  type UnitState,
} from '@pruefpfad/domain';
import { ORGANISATION_UNITS, type OrganisationUnitDoc, organisationUnitDocId } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { CLOCK, DOCUMENT_STORE, STREAM_STATES } from '../runtime/tokens.js';
import { organisationAggregate } from './organisation.aggregate.js';

export interface TeamContext {
  readonly teamId: string;
  readonly areaId: string;
  /** The caller acts as the team lead's deputy (recorded on the events as deputy work). */
  readonly asDeputy: boolean;
}

/**
 * Who may act for a team (000:49: supervision is a leadership task and may not be delegated). The policy
 * decides role and scope; this adds what the policy cannot know: the team's area (so area-scoped roles
 * reach it), and that a deputy's rights hold only during a recorded absence of the team lead, or under
 * a delegation the area head approved. A team outside the caller's reach is "not found".
 *
 * Decided on the organisation's stream, never on the `organisation-units` read model: a team loaded,
 * an absence recorded or a delegation approved a moment ago counts for the very next request.
 */
@Injectable()
export class ActingRights {
  constructor(
    @Inject(STREAM_STATES) private readonly streams: StreamStates,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The team's read-model document, for views (names, since when); decisions use the stream. */
  async team(tenant: string, teamId: string): Promise<OrganisationUnitDoc> {
    const doc = (await this.documents.get(
      ORGANISATION_UNITS,
      organisationUnitDocId(tenant, teamId),
    )) as OrganisationUnitDoc | null;
    if (!doc || doc.kind !== 'team') throw new NotFoundError(`team ${teamId}`);
    return doc;
  }

  /** Read access to a team's resources: the policy's scope, with the team's area as parent unit. */
  async assertMayRead(principal: Principal, action: Action, tenant: string, teamId: string): Promise<TeamContext> {
    return (await this.reach(principal, action, tenant, teamId)).context;
  }

  /**
   * Acting for a team (reviewing, agreeing measures, reporting). Deputies (and delegates) act only on a
   * day inside a recorded absence or approved delegation; `deputiesAllowed` false (a programme setting,
   * 002:92 makes deputy reviews mandatory, 000:49 only where the review cannot wait) refuses them altogether.
   */
  async assertMayAct(
    principal: Principal,
    action: Action,
    tenant: string,
    teamId: string,
    options: { readonly deputiesAllowed?: boolean } = {},
  ): Promise<TeamContext> {
    const { organisation, team, context, resource } = await this.reach(principal, action, tenant, teamId);
    // Acting as lead needs a role other than `deputy` that itself grants the action on this team: a
    // deputy token that also carries, say, `employee` must not skip the absence rule.
    const otherRoles = { ...principal, roles: principal.roles.filter((role) => role !== 'deputy') };
    if (decide(otherRoles, action, resource).allowed) return context;
    const today = berlinDate(this.clock.now());
    const absent = [...organisation.absences.values()].some(
      (absence) => absence.teamId === teamId && !absence.cancelled && absence.from <= today && today <= absence.to,
    );
    const delegated = [...organisation.delegations.values()].some(
      (delegation) =>
        delegation.teamId === teamId &&
        delegation.toSubject === principal.subject &&
        delegation.from <= today &&
        today <= delegation.to,
    );
    const isDesignatedDeputy = team.deputy?.subject === principal.subject;
    if (!((absent && isDesignatedDeputy) || delegated))
      throw new DomainError(
        'RULE_VIOLATION',
        'Die Stellvertretung handelt nur während einer erfassten Abwesenheit der Teamleitung. / ' +
          'A deputy acts only during a recorded absence of the team lead.',
      );
    if (options.deputiesAllowed === false)
      throw new DomainError(
        'RULE_VIOLATION',
        'Nach dem Prüfplan prüft die Stellvertretung nicht. / Under this programme deputies do not review.',
      );
    return { ...context, asDeputy: true };
  }

  /** The team, if the policy lets the caller reach it for `action`; otherwise "not found" (404). */
  private async reach(
    principal: Principal,
    action: Action,
    tenant: string,
    teamId: string,
  ): Promise<{ organisation: OrganisationState; team: UnitState; context: TeamContext; resource: Resource }> {
    if (tenant !== principal.tenant) throw new NotFoundError(`team ${teamId}`);
    const loaded = await this.streams.read(organisationAggregate, tenant);
    const team = loaded?.tenant === tenant ? loaded.state.units.get(teamId) : undefined;
    if (!loaded || !team || team.kind !== 'team') throw new NotFoundError(`team ${teamId}`);
    const resource: Resource = { tenant, unit: teamId, parentUnits: team.parentId ? [team.parentId] : [] };
    assertCanAccess(principal, action, resource);
    return {
      organisation: loaded.state,
      team,
      context: { teamId, areaId: team.parentId ?? teamId, asDeputy: false },
      resource,
    };
  }
}

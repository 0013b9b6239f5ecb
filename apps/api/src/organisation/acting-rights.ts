import { Inject, Injectable } from '@nestjs/common';
import {
  assertCanAccess,
  decide,
  type Action,
  type Principal,
  type Resource,
} from '../../../../libs/domain/src/authorization/authorization.policy.js';
import { DomainError } from '../../../../libs/domain/src/shared/domain-error.js';
import { berlinDate } from '../../../../libs/application/src/berlin-time.js';
import type { Clock } from '../../../../libs/application/src/clock.js';
import { NotFoundError } from '../../../../libs/application/src/errors.js';
import type { DocumentStore } from '../../../../libs/read-store/src/read-store.port.js';
import {
  ORGANISATION_UNITS,
  organisationUnitDocId,
  type OrganisationUnitDoc,
} from '../../../../libs/projections/src/read-models/organisation/organisation-unit.doc.js';
import { CLOCK, DOCUMENT_STORE } from '../runtime/tokens.js';

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
 */
@Injectable()
export class ActingRights {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
    const { team, context, resource } = await this.reach(principal, action, tenant, teamId);
    // Acting as lead needs a role other than `deputy` that itself grants the action on this team: a
    // deputy token that also carries, say, `employee` must not skip the absence rule.
    const otherRoles = { ...principal, roles: principal.roles.filter((role) => role !== 'deputy') };
    if (decide(otherRoles, action, resource).allowed) return context;
    const today = berlinDate(this.clock.now());
    const absent = team.absences.some((absence) => absence.from <= today && today <= absence.to);
    const delegated = team.delegations.some(
      (delegation) => delegation.toSubject === principal.subject && delegation.from <= today && today <= delegation.to,
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
  ): Promise<{ team: OrganisationUnitDoc; context: TeamContext; resource: Resource }> {
    if (tenant !== principal.tenant) throw new NotFoundError(`team ${teamId}`);
    const team = await this.team(tenant, teamId);
    const resource: Resource = { tenant, unit: teamId, parentUnits: team.parentId ? [team.parentId] : [] };
    assertCanAccess(principal, action, resource);
    return { team, context: { teamId, areaId: team.parentId ?? teamId, asDeputy: false }, resource };
  }
}

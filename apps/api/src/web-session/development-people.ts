import { ROLES, type Principal, type Role } from '@pruefpfad/domain';
import { CROSS_LEVEL_TENANT_REGIONS, ORGANISATION_UNITS, type OrganisationUnitDoc } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';

export interface DevelopmentPerson {
  readonly tenant: string;
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly units: readonly string[];
  readonly region?: string;
  readonly label: string;
}

/** The tenant offered when no organisation has been loaded yet (the README's examples use it too). */
export const DEFAULT_DEVELOPMENT_TENANT = 'jc-demo';

/** Roles the organisation data does not hold, one person each per tenant (German labels). */
const ROLE_LABELS: readonly (readonly [Role, string])[] = [
  ['management', 'Geschäftsführung'],
  ['legal', 'Rechtsstelle'],
  ['auditor', 'Prüfung (Revision)'],
  ['operator', 'IT-Betrieb'],
  ['regional', 'Regionaldirektion'],
  ['central', 'Zentrale'],
  ['employee', 'Mitarbeiterin / Mitarbeiter'],
];

/**
 * The people of the development login, from the read models: per tenant its team leads and deputies
 * (with their team and area), a head for each area, then one person for each role the organisation
 * does not name. Labels use roles and unit names only, never people's names (those are sealed).
 */
export async function developmentPeople(documents: DocumentStore): Promise<DevelopmentPerson[]> {
  const units = (await documents.find(
    ORGANISATION_UNITS,
    {},
    { sort: { tenant: 1, unitId: 1 } },
  )) as OrganisationUnitDoc[];
  const regionDocs = await documents.find(CROSS_LEVEL_TENANT_REGIONS, {});
  const regions = new Map(
    regionDocs.flatMap((doc) =>
      typeof doc.tenant === 'string' && typeof doc.region === 'string' ? [[doc.tenant, doc.region] as const] : [],
    ),
  );
  const tenants = [...new Set(units.map((unit) => unit.tenant))];
  if (tenants.length === 0) tenants.push(DEFAULT_DEVELOPMENT_TENANT);

  const people: DevelopmentPerson[] = [];
  for (const tenant of tenants) {
    const ofTenant = units.filter((unit) => unit.tenant === tenant);
    const areas = new Map(ofTenant.filter((unit) => unit.kind === 'area').map((area) => [area.unitId, area]));
    for (const area of areas.values()) {
      people.push({
        tenant,
        subject: `bereichsleitung-${area.unitId}`,
        roles: ['area_head'],
        units: [area.unitId],
        label: `Bereichsleitung ${area.name}`,
      });
    }
    const teams = ofTenant.filter((unit) => unit.kind === 'team');
    for (const team of teams) {
      const area = team.parentId === null ? undefined : areas.get(team.parentId);
      const where = area ? `${team.name} (Bereich ${area.name})` : team.name;
      if (team.teamLead)
        people.push({
          tenant,
          subject: team.teamLead.subject,
          roles: ['team_lead'],
          units: [team.unitId],
          label: `Teamleitung ${where}`,
        });
      if (team.deputy)
        people.push({
          tenant,
          subject: team.deputy.subject,
          roles: ['deputy'],
          units: [team.unitId],
          label: `Stellvertretung ${where}`,
        });
    }
    const region = regions.get(tenant);
    const firstTeam = teams[0];
    for (const [role, label] of ROLE_LABELS) {
      people.push({
        tenant,
        subject: `${role}-${tenant}`,
        roles: [role],
        units: role === 'employee' && firstTeam ? [firstTeam.unitId] : [],
        ...((role === 'regional' || role === 'central') && region !== undefined ? { region } : {}),
        label:
          role === 'employee' && firstTeam
            ? `${label} (${firstTeam.name})`
            : role === 'regional' && region !== undefined
              ? `${label} ${region}`
              : label,
      });
    }
  }
  return people;
}

/** For the login DTO: a development principal may carry any known role. */
export function developmentPrincipal(input: {
  tenant: string;
  subject: string;
  roles: readonly string[];
  units: readonly string[];
  region?: string | undefined;
}): Principal {
  return {
    subject: input.subject,
    tenant: input.tenant,
    roles: [...new Set(input.roles.filter((role): role is Role => (ROLES as readonly string[]).includes(role)))],
    units: [...new Set(input.units)],
    ...(input.region !== undefined ? { region: input.region } : {}),
  };
}

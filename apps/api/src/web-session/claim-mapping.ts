import fs from 'node:fs';
import { isRole, type Principal, type Role } from '@pruefpfad/domain';

/**
 * Which claims of the identity provider make a Prüfpfad principal. File format (JSON, see
 * deploy/oidc-claim-mapping.example.json):
 *
 * {
 *   "subjectClaim": "sub",                 // optional, default "sub"
 *   "groupsClaim": "groups",               // claim with the groups or roles; dotted path for nested
 *                                          // claims ("realm_access.roles"); a string or a list of strings
 *   "rules": [                             // every rule whose "group" the person has applies
 *     { "group": "jc-demo-teamleitung-team-mi-1", "tenant": "jc-demo",
 *       "roles": ["team_lead"], "units": ["team-mi-1"] },
 *     { "group": "rd-nrw-fachaufsicht", "tenant": "jc-demo", "roles": ["regional"], "region": "rd-nrw" }
 *   ]
 * }
 *
 * Roles and units of all matching rules are joined. They must name one tenant and at most one region:
 * a person in groups of two Jobcenters is refused rather than given the union of both.
 */
export interface ClaimMappingRule {
  readonly group: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
  readonly units: readonly string[];
  readonly region?: string;
}

export interface ClaimMapping {
  readonly subjectClaim: string;
  readonly groupsClaim: string;
  readonly rules: readonly ClaimMappingRule[];
}

export type MappingResult =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: string };

export class ClaimMappingError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Ungültige Zuordnungsdatei / invalid claim mapping file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ClaimMappingError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Checks a parsed mapping and names every problem at once (field paths like `rules.2.roles`). */
export function parseClaimMapping(value: unknown, file = '(inline)'): ClaimMapping {
  const problems: string[] = [];
  if (!isRecord(value)) throw new ClaimMappingError(file, ['kein JSON-Objekt / not a JSON object']);
  const known = new Set(['$comment', 'subjectClaim', 'groupsClaim', 'rules']);
  for (const key of Object.keys(value)) if (!known.has(key)) problems.push(`${key}: unbekanntes Feld / unknown field`);
  const subjectClaim = value.subjectClaim ?? 'sub';
  if (!isText(subjectClaim)) problems.push('subjectClaim: Text erwartet / expected a string');
  if (!isText(value.groupsClaim)) problems.push('groupsClaim: Pflicht, Text / required string');
  const rules: ClaimMappingRule[] = [];
  if (!Array.isArray(value.rules) || value.rules.length === 0) {
    problems.push('rules: mindestens eine Regel / at least one rule');
  } else {
    value.rules.forEach((rule: unknown, index) => {
      const at = `rules.${index}`;
      if (!isRecord(rule)) {
        problems.push(`${at}: Objekt erwartet / expected an object`);
        return;
      }
      const ruleKeys = new Set(['$comment', 'group', 'tenant', 'roles', 'units', 'region']);
      for (const key of Object.keys(rule))
        if (!ruleKeys.has(key)) problems.push(`${at}.${key}: unbekanntes Feld / unknown field`);
      const { group, tenant, roles, units = [], region } = rule;
      if (!isText(group)) problems.push(`${at}.group: Pflicht, Text / required string`);
      if (!isText(tenant)) problems.push(`${at}.tenant: Pflicht, Text / required string`);
      if (!Array.isArray(roles) || roles.length === 0)
        problems.push(`${at}.roles: mindestens eine Rolle / at least one role`);
      else
        roles.forEach((role: unknown, r) => {
          if (!isRole(role)) problems.push(`${at}.roles.${r}: unbekannte Rolle / unknown role ${JSON.stringify(role)}`);
        });
      if (!Array.isArray(units) || !units.every(isText))
        problems.push(`${at}.units: Liste von Einheiten-IDs / list of unit ids`);
      if (region !== undefined && !isText(region)) problems.push(`${at}.region: Text erwartet / expected a string`);
      if (problems.length === 0)
        rules.push({
          group: group as string,
          tenant: tenant as string,
          roles: roles as Role[],
          units: units as string[],
          ...(region !== undefined ? { region: region as string } : {}),
        });
    });
  }
  if (problems.length > 0) throw new ClaimMappingError(file, problems);
  return { subjectClaim: subjectClaim as string, groupsClaim: value.groupsClaim as string, rules };
}

export function loadClaimMapping(file: string): ClaimMapping {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ClaimMappingError(file, [`nicht lesbar oder kein JSON / unreadable or not JSON: ${String(error)}`]);
  }
  return parseClaimMapping(parsed, file);
}

function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  // A claim literally named with dots (some providers use URLs as claim names) wins over a nested path.
  if (Object.prototype.hasOwnProperty.call(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const part of path.split('.')) {
    if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/** The principal the mapping grants for these claims, or why it grants none (German / English). */
export function mapClaims(mapping: ClaimMapping, claims: Readonly<Record<string, unknown>>): MappingResult {
  const subject = claimAt(claims, mapping.subjectClaim);
  if (!isText(subject))
    return {
      ok: false,
      reason: `Kennung (${mapping.subjectClaim}) fehlt / identifier (${mapping.subjectClaim}) missing`,
    };
  const raw = claimAt(claims, mapping.groupsClaim);
  const groups = new Set(typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter(isText) : []);
  const matching = mapping.rules.filter((rule) => groups.has(rule.group));
  if (matching.length === 0)
    return {
      ok: false,
      reason: 'Für Ihr Konto ist keine Rolle in Prüfpfad hinterlegt. / No Prüfpfad role is assigned to your account.',
    };
  const tenants = [...new Set(matching.map((rule) => rule.tenant))];
  if (tenants.length > 1)
    return {
      ok: false,
      reason: `Ihr Konto gehört zu mehreren Jobcentern (${tenants.join(', ')}). / Your account belongs to several Jobcenters.`,
    };
  const regions = [...new Set(matching.flatMap((rule) => (rule.region === undefined ? [] : [rule.region])))];
  if (regions.length > 1)
    return {
      ok: false,
      reason: `Ihr Konto gehört zu mehreren Regionen (${regions.join(', ')}). / Your account belongs to several regions.`,
    };
  return {
    ok: true,
    principal: {
      subject,
      tenant: tenants[0] as string,
      roles: [...new Set(matching.flatMap((rule) => rule.roles))],
      units: [...new Set(matching.flatMap((rule) => rule.units))],
      ...(regions[0] !== undefined ? { region: regions[0] } : {}),
    },
  };
}

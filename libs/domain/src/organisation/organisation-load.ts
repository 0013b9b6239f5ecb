import type { DecisionContext } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { AreaInput, PersonInput } from './organisation.commands.js';
import type { OrganisationEvent, TeamLeadAssigned, UnitKind } from './organisation.events.js';
import type { OrganisationState, PersonRef, UnitState } from './organisation.state.js';

/** Unit ids and processes are slugs: stable, readable in URLs, and never a prototype key. */
export const UNIT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MAX_NAME_LENGTH = 200;
export const MAX_SUBJECT_LENGTH = 200;

type Problems = Record<string, string>;

function checkName(problems: Problems, field: string, name: string): void {
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH)
    problems[field] = `1–${MAX_NAME_LENGTH} Zeichen / characters`;
}

export function checkSubject(problems: Problems, field: string, subject: string): void {
  if (subject.trim() === '' || subject.length > MAX_SUBJECT_LENGTH)
    problems[field] = `1–${MAX_SUBJECT_LENGTH} Zeichen / characters`;
}

function checkId(problems: Problems, field: string, id: string, seen: Map<string, string>): void {
  if (!UNIT_ID_PATTERN.test(id)) {
    problems[field] = 'Kleinbuchstaben, Ziffern, Bindestriche / lower-case letters, digits, hyphens';
    return;
  }
  const first = seen.get(id);
  if (first !== undefined) problems[field] = `doppelt, schon in ${first} / duplicate of ${first}`;
  else seen.set(id, field);
}

/** Every structural mistake of the file at once, with its field path (`areas.0.teams.1.id`). */
function validateFile(areas: readonly AreaInput[], state: OrganisationState): void {
  const problems: Problems = {};
  const seen = new Map<string, string>();
  const kindMatches = (field: string, id: string, kind: UnitKind): void => {
    const existing = state.units.get(id);
    if (existing && existing.kind !== kind && problems[field] === undefined)
      problems[field] = `bereits als ${existing.kind} definiert / already defined as ${existing.kind}`;
  };
  areas.forEach((area, a) => {
    checkId(problems, `areas.${a}.id`, area.id, seen);
    kindMatches(`areas.${a}.id`, area.id, 'area');
    checkName(problems, `areas.${a}.name`, area.name);
    area.teams.forEach((team, t) => {
      const at = `areas.${a}.teams.${t}`;
      checkId(problems, `${at}.id`, team.id, seen);
      kindMatches(`${at}.id`, team.id, 'team');
      checkName(problems, `${at}.name`, team.name);
      if (!UNIT_ID_PATTERN.test(team.process)) problems[`${at}.process`] = 'ein Kürzel / a slug';
      checkSubject(problems, `${at}.lead.subject`, team.lead.subject);
      if (team.deputy) {
        checkSubject(problems, `${at}.deputy.subject`, team.deputy.subject);
        if (team.deputy.subject === team.lead.subject)
          problems[`${at}.deputy.subject`] =
            'Die Stellvertretung ist eine andere Person als die Teamleitung / the deputy is not the team lead';
      }
    });
  });
  if (Object.keys(problems).length > 0)
    throw new DomainError('VALIDATION_FAILED', 'Ungültige Organisationsdatei / Invalid organisation file', {
      fields: problems,
    });
}

const samePerson = (current: PersonRef | null, next: PersonInput | null): boolean =>
  current === null || next === null
    ? current === next
    : current.subject === next.subject && current.nameFingerprint === next.nameFingerprint;

/** The event that brings a unit to the wanted shape, or nothing when it is already so. */
function unitEvent(
  existing: UnitState | undefined,
  wanted: { unitId: string; kind: UnitKind; parentId: string | null; name: string; process: string | null },
): OrganisationEvent[] {
  if (!existing) return [{ type: 'UnitDefined', data: wanted }];
  const unchanged =
    existing.parentId === wanted.parentId && existing.name === wanted.name && existing.process === wanted.process;
  return unchanged ? [] : [{ type: 'UnitRevised', data: wanted }];
}

export function teamLeadAssigned(
  teamId: string,
  lead: PersonInput,
  deputy: PersonInput | null,
  context: DecisionContext,
): TeamLeadAssigned {
  return {
    type: 'TeamLeadAssigned',
    data: {
      teamId,
      leadSubject: lead.subject,
      leadName: lead.name,
      leadNameFingerprint: lead.nameFingerprint,
      deputySubject: deputy?.subject ?? null,
      deputyName: deputy?.name ?? null,
      deputyNameFingerprint: deputy?.nameFingerprint ?? null,
      since: context.today,
    },
  };
}

/** Whether a team's lead or deputy differ from the wanted ones (subject or name). */
export const leadershipChanged = (team: UnitState | undefined, lead: PersonInput, deputy: PersonInput | null) =>
  !samePerson(team?.lead ?? null, lead) || !samePerson(team?.deputy ?? null, deputy);

/**
 * Loading is a diff: the file is the wanted state, the events are what differs. Units missing from the
 * file are kept (nothing here closes a team: its reviews, reports and history still point at it).
 */
export function decideLoad(
  areas: readonly AreaInput[],
  state: OrganisationState,
  context: DecisionContext,
): OrganisationEvent[] {
  validateFile(areas, state);
  const events: OrganisationEvent[] = [];
  for (const area of areas) {
    events.push(
      ...unitEvent(state.units.get(area.id), {
        unitId: area.id,
        kind: 'area',
        parentId: null,
        name: area.name,
        process: null,
      }),
    );
    for (const team of area.teams) {
      const existing = state.units.get(team.id);
      events.push(
        ...unitEvent(existing, {
          unitId: team.id,
          kind: 'team',
          parentId: area.id,
          name: team.name,
          process: team.process,
        }),
      );
      if (leadershipChanged(existing, team.lead, team.deputy))
        events.push(teamLeadAssigned(team.id, team.lead, team.deputy, context));
    }
  }
  return events;
}

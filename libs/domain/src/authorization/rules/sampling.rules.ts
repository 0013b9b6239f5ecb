import type { Rule } from '../roles.js';

/**
 * Populations and sampling. Who draws is also a programme setting (`drawnBy`: management in Heinsberg,
 * 000:71; the area head in the federal process, 002:88): the policy admits both roles, the handler then
 * refuses the one the programme does not name. Team leads may ask for more cases (n is a minimum, 003:45)
 * or a replacement for an unsuitable case of their own team. Only whoever draws may void a draw made by
 * mistake (before any of its reviews started). Auditors verify that samples were random. Samples carry
 * draw tokens only, never pseudonyms or clear case references.
 */
export const SAMPLING_RULES = {
  'sampling.population.import': { area_head: 'unit', management: 'tenant' },
  'sampling.population.read': { area_head: 'unit', management: 'tenant', auditor: 'tenant' },
  'sampling.draw': { area_head: 'unit', management: 'tenant' },
  'sampling.supplement': { area_head: 'unit', management: 'tenant', team_lead: 'own-team' },
  'sampling.replace': { area_head: 'unit', management: 'tenant', team_lead: 'own-team' },
  'sampling.void': { area_head: 'unit', management: 'tenant' },
  'sampling.read': {
    team_lead: 'own-team',
    deputy: 'own-team',
    area_head: 'unit',
    management: 'tenant',
    auditor: 'tenant',
  },
  'sampling.verify': { team_lead: 'own-team', area_head: 'unit', management: 'tenant', auditor: 'tenant' },
} as const satisfies Record<string, Rule>;

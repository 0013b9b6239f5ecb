import fs from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type {
  AggregateType,
  AppConfig,
  Clock,
  CommandContext,
  CommandPipeline,
  CommandResult,
} from '@pruefpfad/application';
import { embeddedFiles } from '@pruefpfad/composition';
import {
  type DomainEvent,
  ORGANISATION_EVENT_SCHEMAS,
  type OrganisationEvent,
  organisationStreamId,
  QUESTIONNAIRE_EVENT_SCHEMAS,
  type QuestionnaireEvent,
  questionnaireStreamId,
  REVIEW_EVENT_SCHEMAS,
  type ReviewEvent,
  reviewStreamId,
  type Sealed,
} from '@pruefpfad/domain';
import type { ProjectionsPort } from '../../apps/api/src/runtime/projections.port.js';
import { COMMAND_PIPELINE, PROJECTIONS } from '../../apps/api/src/runtime/tokens.js';
import {
  assertAuthorizationMatrix,
  type AuthorizationMatrixOptions,
} from '../../apps/api/src/security/authorization-matrix.js';
import { loadOrCreateSigningSecret } from '../../apps/api/src/security/signing-secret.js';
import { tokenFor } from './test-app.js';

/**
 * Set-up shared by the end-to-end suites: a clock the test moves, other contexts' facts appended through
 * the real pipeline (metadata, chain) instead of through their own commands, read-model waits, tokens,
 * and the checks every suite makes on the stores and the authorisation matrix.
 */

export interface TestClock extends Clock {
  /** Moves the clock to an ISO instant. */
  set(instant: string): void;
}

export function testClock(start: string): TestClock {
  let now = new Date(start);
  return {
    now: () => now,
    set: (instant) => {
      now = new Date(instant);
    },
  };
}

/**
 * An aggregate that appends the events it is given: other contexts' facts go through the real pipeline
 * with their own event types, while the suite is not about those contexts' deciders.
 */
export function recorderAggregate<E extends DomainEvent>(
  name: string,
  schemas: Readonly<Record<E['type'], number>>,
  streamId: (id: string) => string,
): AggregateType<readonly E[], null, E> {
  return {
    name,
    schemas,
    streamId,
    decider: { initialState: () => null, evolve: () => null, decide: (events) => events },
  };
}

export const organisationFacts = recorderAggregate<OrganisationEvent>(
  'organisation-facts',
  ORGANISATION_EVENT_SCHEMAS,
  organisationStreamId,
);
export const questionnaireFacts = recorderAggregate<QuestionnaireEvent>(
  'questionnaire-facts',
  QUESTIONNAIRE_EVENT_SCHEMAS,
  questionnaireStreamId,
);
export const reviewFacts = recorderAggregate<ReviewEvent>('review-facts', REVIEW_EVENT_SCHEMAS, reviewStreamId);

/** Who set-up commands run as. */
export const SETUP_CONTEXT: CommandContext = {
  tenant: 'jc-a',
  actor: { userId: 'setup', role: 'management' },
  correlationId: 'setup',
  causationId: null,
};

/** Runs a command through the app's command pipeline as the set-up, in `SETUP_CONTEXT`'s tenant. */
export function runCommand<C, S, E extends DomainEvent>(
  app: INestApplication,
  aggregate: AggregateType<C, S, E>,
  aggregateId: string,
  command: C,
): Promise<CommandResult> {
  const pipeline = app.get<CommandPipeline>(COMMAND_PIPELINE, { strict: false });
  return pipeline.execute(aggregate, { aggregateId, command, context: SETUP_CONTEXT });
}

/** `runCommand` for set-up that must write: resolves with the global position of what it appended. */
export async function seed<C, S, E extends DomainEvent>(
  app: INestApplication,
  aggregate: AggregateType<C, S, E>,
  aggregateId: string,
  command: C,
): Promise<number> {
  const result = await runCommand(app, aggregate, aggregateId, command);
  if (result.position === null) throw new Error(`set-up appended nothing to ${aggregate.name} ${aggregateId}`);
  return result.position;
}

/** Waits (bounded) until read model `name` has projected `position`. */
export async function projected(app: INestApplication, name: string, position: number): Promise<void> {
  const reached = await app
    .get<ProjectionsPort>(PROJECTIONS, { strict: false })
    .waitForPosition(name, position, 10_000);
  if (!reached) throw new Error(`read model ${name} did not reach ${position}`);
}

/** A unit of the organisation; teams work in `allgemeine-vermittlung` unless told otherwise. */
export function unitDefined(
  unitId: string,
  kind: 'area' | 'team',
  parentId: string | null,
  options: { readonly name?: string; readonly process?: string | null } = {},
): OrganisationEvent {
  const process = options.process === undefined ? (kind === 'team' ? 'allgemeine-vermittlung' : null) : options.process;
  return { type: 'UnitDefined', data: { unitId, kind, parentId, name: options.name ?? `Einheit ${unitId}`, process } };
}

/** A team lead (and deputy) since 1 January 2026, names left out unless sealed ones are given. */
export function teamLeadAssigned(
  teamId: string,
  leadSubject: string,
  deputySubject: string | null,
  leadName: Sealed | null = null,
): OrganisationEvent {
  return {
    type: 'TeamLeadAssigned',
    data: {
      teamId,
      leadSubject,
      leadName,
      leadNameFingerprint: null,
      deputySubject,
      deputyName: null,
      deputyNameFingerprint: null,
      since: '2026-01-01',
    },
  };
}

export function absenceRecorded(
  absenceId: string,
  teamId: string,
  period: { readonly from: string; readonly to: string },
): OrganisationEvent {
  return { type: 'AbsenceRecorded', data: { absenceId, teamId, ...period, recordedByRole: 'team_lead' } };
}

/** Defines a programme over HTTP (201 expected) and waits until the programmes read model has it. */
export async function defineProgramme(
  app: INestApplication,
  authorization: string,
  body: { readonly settings: Record<string, unknown>; readonly reason: string },
): Promise<{ id: string; position: number }> {
  const response = await request(app.getHttpServer())
    .post('/api/v1/programmes')
    .set('Authorization', authorization)
    .send(body);
  expect(response.status).toBe(201);
  await projected(app, 'programmes', response.body.position);
  return { id: response.body.id, position: response.body.position };
}

export type TokenClaims = Parameters<typeof tokenFor>[1];

/** One development token per name. */
export async function mintTokens<K extends string>(
  config: AppConfig,
  claims: Readonly<Record<K, TokenClaims>>,
): Promise<Record<K, string>> {
  const tokens = {} as Record<K, string>;
  for (const name of Object.keys(claims) as K[]) tokens[name] = await tokenFor(config, claims[name]);
  return tokens;
}

/**
 * The cast of the suites that work in one area of tenant jc-a: `area` holds team-1 (lead tl-1, deputy
 * dep-1) and team-2 (lead tl-2); `otherArea`'s head must not reach them, nor must another tenant.
 */
export function areaCast(area: string, otherArea: string) {
  const tenant = 'jc-a';
  return {
    teamLead: { roles: ['team_lead'], tenant, units: ['team-1'], subject: 'tl-1' },
    teamLead2: { roles: ['team_lead'], tenant, units: ['team-2'], subject: 'tl-2' },
    deputy: { roles: ['deputy'], tenant, units: ['team-1'], subject: 'dep-1' },
    areaHead: { roles: ['area_head'], tenant, units: [area], subject: 'ah-1' },
    otherAreaHead: { roles: ['area_head'], tenant, units: [otherArea], subject: 'ah-2' },
    management: { roles: ['management'], tenant, units: [], subject: 'gf-1' },
    employee: { roles: ['employee'], tenant, units: ['team-1'], subject: 'emp-1' },
    otherTenant: { roles: ['team_lead'], tenant: 'jc-b', units: ['team-1'], subject: 'tl-1' },
  } satisfies Record<string, TokenClaims>;
}

/**
 * No byte of the embedded event or read store (main files and WAL) holds any of `secrets` in clear, and
 * the event store is not empty (else the check would pass on an empty store too).
 */
export function expectNoClearTextInStores(config: AppConfig, secrets: readonly string[]): void {
  const files = embeddedFiles(config);
  let eventBytes = 0;
  for (const file of [files.events, files.readModels])
    for (const suffix of ['', '-wal']) {
      if (!fs.existsSync(file + suffix)) continue;
      const content = fs.readFileSync(file + suffix);
      if (file === files.events) eventBytes += content.length;
      for (const secret of secrets) expect(content.includes(Buffer.from(secret))).toBe(false);
    }
  expect(eventBytes).toBeGreaterThan(0);
}

/**
 * The role × action matrix generated from every route's declared action, with tokens signed by the app's
 * own secret. Writes carry an invalid body: allowed roles are refused by validation after authorisation,
 * so the matrix writes nothing.
 */
export async function expectAuthorizationMatrix(
  app: INestApplication,
  config: AppConfig,
  options: Omit<AuthorizationMatrixOptions, 'secret' | 'body'>,
): Promise<void> {
  await assertAuthorizationMatrix(app, {
    ...options,
    secret: loadOrCreateSigningSecret(config.dataDir),
    body: { invalid: true },
  });
}

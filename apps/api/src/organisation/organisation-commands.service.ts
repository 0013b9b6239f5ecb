import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandResult, IdGenerator } from '@pruefpfad/application';
import {
  type AreaInput,
  type OrganisationCommand,
  organisationKeyId,
  type PersonInput,
  type Principal,
} from '@pruefpfad/domain';
import { type Envelope, type KeyStore, tenantPseudonymKey } from '@pruefpfad/privacy';
import { ExecuteCommand } from '../commands/execute-command.js';
import { commandContext } from '../commands/command-context.js';
import { MailAddressBook } from '../mail/mail-address-book.js';
import { ENVELOPE, ID_GENERATOR, KEY_STORE } from '../runtime/tokens.js';
import { ActingRights } from './acting-rights.js';
import { organisationAggregate } from './organisation.aggregate.js';
import type { ApproveDelegationDto, OrganisationFileDto, PersonDto, RecordAbsenceDto } from './organisation.dto.js';

type Headers = Record<string, string | undefined>;

/**
 * Keyed fingerprint of a name, exact (case and spacing count: a corrected spelling is a change). The key
 * is the tenant's pseudonym key, so the fingerprint cannot be tested against guessed names without it.
 */
function nameFingerprint(key: Uint8Array, name: string): string {
  return createHmac('sha256', key)
    .update(`pruefpfad/organisation-name/v1\u0000${name}`, 'utf8')
    .digest()
    .subarray(0, 20)
    .toString('base64url');
}

/**
 * Turns requests into organisation commands: names are sealed (and fingerprinted) before they reach the
 * domain, team-scoped commands are authorised against the team's place in the organisation first.
 */
@Injectable()
export class OrganisationCommands {
  constructor(
    private readonly commands: CommandBus,
    private readonly actingRights: ActingRights,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly addressBook: MailAddressBook,
  ) {}

  async load(
    principal: Principal,
    file: OrganisationFileDto,
    expectedRevision: number | undefined,
    headers: Headers,
  ): Promise<CommandResult> {
    const tenant = principal.tenant;
    const key = await tenantPseudonymKey(this.keyStore, tenant);
    const person = async (input: PersonDto): Promise<PersonInput> => ({
      subject: input.subject,
      name: await this.envelope.seal(organisationKeyId(tenant), input.name),
      nameFingerprint: nameFingerprint(key, input.name),
    });
    const areas: AreaInput[] = await Promise.all(
      file.areas.map(async (area) => ({
        id: area.id,
        name: area.name,
        teams: await Promise.all(
          area.teams.map(async (team) => ({
            id: team.id,
            name: team.name,
            process: team.process,
            lead: await person(team.lead),
            deputy: team.deputy ? await person(team.deputy) : null,
          })),
        ),
      })),
    );
    const result = await this.execute(principal, headers, { type: 'LoadOrganisation', areas }, expectedRevision);
    // The digest's addresses (issue 12), after the organisation itself was accepted.
    await this.addressBook.recordOrganisation(tenant, file, {
      userId: principal.subject,
      role: principal.roles[0] ?? 'management',
    });
    return result;
  }

  async recordAbsence(
    principal: Principal,
    teamId: string,
    body: RecordAbsenceDto,
    headers: Headers,
  ): Promise<CommandResult> {
    await this.actingRights.assertMayRead(principal, 'organisation.record-absence', principal.tenant, teamId);
    const absenceId = this.ids.next();
    const result = await this.execute(principal, headers, {
      type: 'RecordAbsence',
      absenceId,
      teamId,
      from: body.from,
      to: body.to,
    });
    return { ...result, id: absenceId };
  }

  async cancelAbsence(principal: Principal, teamId: string, absenceId: string, headers: Headers) {
    await this.actingRights.assertMayRead(principal, 'organisation.record-absence', principal.tenant, teamId);
    const result = await this.execute(principal, headers, { type: 'CancelAbsence', absenceId, teamId });
    return { ...result, id: absenceId };
  }

  async approveDelegation(
    principal: Principal,
    teamId: string,
    body: ApproveDelegationDto,
    headers: Headers,
  ): Promise<CommandResult> {
    await this.actingRights.assertMayRead(principal, 'organisation.approve-delegation', principal.tenant, teamId);
    const delegationId = this.ids.next();
    const reason = await this.envelope.seal(organisationKeyId(principal.tenant), body.reason);
    const result = await this.execute(principal, headers, {
      type: 'ApproveDelegation',
      delegationId,
      teamId,
      toSubject: body.toSubject,
      from: body.from,
      to: body.to,
      reason,
    });
    return { ...result, id: delegationId };
  }

  private execute(
    principal: Principal,
    headers: Headers,
    command: OrganisationCommand,
    expectedRevision?: number,
  ): Promise<CommandResult> {
    return this.commands.execute(
      new ExecuteCommand(organisationAggregate, {
        aggregateId: principal.tenant,
        ...(expectedRevision === undefined ? {} : { expectedRevision }),
        command,
        context: commandContext(principal, headers),
      }),
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig, Clock, IdGenerator } from '@pruefpfad/application';
import {
  MAIL_ADDRESS_EVENT_SCHEMAS,
  type MailAddressEvent,
  type MailAddressRecorded,
  mailAddressStreamId,
  mailRecipients,
  organisationKeyId,
  type Principal,
  type Role,
} from '@pruefpfad/domain';
import { type EventStore, WrongExpectedRevisionError } from '@pruefpfad/event-store';
import type { Envelope } from '@pruefpfad/privacy';
import { APP_CONFIG, CLOCK, ENVELOPE, EVENT_STORE, ID_GENERATOR } from '../runtime/tokens.js';

export interface AddressEntry {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly units: readonly string[];
  /** Null removes the address this source gave. */
  readonly address: string | null;
}

export interface OpenRecipient {
  readonly principal: Principal;
  readonly address: string;
}

/**
 * Where digests go: the organisation file's addresses (team leads, deputies) and those a login's claims
 * carry. Kept as events in `mail-addresses-<tenant>`, addresses sealed under the organisation's key.
 * Only changes are appended, so loading the same file again writes nothing.
 */
@Injectable()
export class MailAddressBook {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async current(tenant: string) {
    const recorded = await this.events.readStream(mailAddressStreamId(tenant));
    const latest = new Map<string, { data: MailAddressRecorded['data']; address: string | null }>();
    for (const event of recorded) {
      const data = (event as unknown as MailAddressEvent).data;
      latest.set(`${data.source}\u0000${data.subject}`, { data, address: null });
    }
    for (const entry of latest.values())
      entry.address = entry.data.address === null ? null : String(await this.envelope.open(entry.data.address));
    return { recorded, latest };
  }

  async record(
    tenant: string,
    source: 'organisation' | 'login',
    entries: readonly AddressEntry[],
    actor: { readonly userId: string; readonly role: string },
    /** The entries are the source's whole list: subjects it no longer names lose their address. */
    complete = false,
  ): Promise<number> {
    // One writer per tenant stream: a conflict (two loads at once) is retried on the new state.
    for (let attempt = 0; ; attempt += 1) {
      const { recorded, latest } = await this.current(tenant);
      const same = (a: readonly string[], b: readonly string[]) =>
        [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
      const named = new Set(entries.map((entry) => entry.subject));
      const dropped: AddressEntry[] = complete
        ? [...latest.values()]
            .filter((entry) => entry.data.source === source && entry.address !== null && !named.has(entry.data.subject))
            .map((entry) => ({ subject: entry.data.subject, roles: [], units: [], address: null }))
        : [];
      const changed = [...entries, ...dropped].filter((entry) => {
        const before = latest.get(`${source}\u0000${entry.subject}`);
        if (before === undefined) return entry.address !== null;
        return (
          before.address !== entry.address ||
          !same(before.data.roles, entry.roles) ||
          !same(before.data.units, entry.units)
        );
      });
      if (changed.length === 0) return 0;
      const now = this.clock.now().toISOString();
      const correlationId = this.ids.next();
      const events = await Promise.all(
        changed.map(async (entry) => ({
          id: this.ids.next(),
          type: 'MailAddressRecorded',
          schemaVersion: MAIL_ADDRESS_EVENT_SCHEMAS.MailAddressRecorded,
          data: {
            subject: entry.subject,
            source,
            roles: [...entry.roles],
            units: [...entry.units],
            address: entry.address === null ? null : await this.envelope.seal(organisationKeyId(tenant), entry.address),
          } satisfies MailAddressRecorded['data'],
          metadata: {
            occurredAt: now,
            actor,
            tenant,
            correlationId,
            causationId: null,
            rulesVersion: this.config.rulesVersion,
          },
        })),
      );
      const last = recorded.at(-1);
      try {
        await this.events.append(mailAddressStreamId(tenant), events, {
          expectedRevision: last === undefined ? 'no_stream' : last.revision,
        });
        return changed.length;
      } catch (error) {
        if (attempt >= 3 || !(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
  }

  /**
   * The organisation file's people: each team lead and deputy with the address given (or none). People
   * the file no longer names, or named without an address, get no digest from it any more.
   */
  async recordOrganisation(
    tenant: string,
    file: {
      readonly areas: readonly {
        readonly teams: readonly {
          readonly id: string;
          readonly lead: { readonly subject: string; readonly email?: string };
          readonly deputy?: { readonly subject: string; readonly email?: string } | null;
        }[];
      }[];
    },
    actor: { readonly userId: string; readonly role: string },
  ): Promise<number> {
    const people = new Map<string, { roles: Set<Role>; units: Set<string>; address: string | null }>();
    const add = (person: { readonly subject: string; readonly email?: string }, role: Role, team: string) => {
      const entry = people.get(person.subject) ?? { roles: new Set(), units: new Set(), address: null };
      entry.roles.add(role);
      entry.units.add(team);
      entry.address = person.email ?? entry.address;
      people.set(person.subject, entry);
    };
    for (const area of file.areas)
      for (const team of area.teams) {
        add(team.lead, 'team_lead', team.id);
        if (team.deputy) add(team.deputy, 'deputy', team.id);
      }
    const entries: AddressEntry[] = [...people.entries()].map(([subject, entry]) => ({
      subject,
      roles: [...entry.roles].sort(),
      units: [...entry.units].sort(),
      address: entry.address,
    }));
    return this.record(tenant, 'organisation', entries, actor, true);
  }

  /** Recipients with their opened address and the principal they receive deadlines as. */
  async recipients(tenant: string): Promise<OpenRecipient[]> {
    const recorded = await this.events.readStream(mailAddressStreamId(tenant));
    const folded = mailRecipients(recorded.map((event) => event as unknown as MailAddressEvent));
    return Promise.all(
      folded.map(async (recipient) => ({
        principal: {
          subject: recipient.subject,
          tenant,
          roles: recipient.roles as Role[],
          units: [...recipient.units],
        },
        address: String(await this.envelope.open(recipient.address)),
      })),
    );
  }
}

import type { Sealed } from '../shared/sealed.js';
import type { DeadlineCount } from './deadline.js';
import type { KindLabel } from './digest-mail.js';

/**
 * The e-mail digest's durable outbox and the address book, as events.
 *
 * `digest-<digestId>`: `DigestQueued` opens the stream (expected revision "no stream", so queuing the same
 * digest twice, e.g. a restart on the same morning, appends nothing); the mail reactor sends it and appends
 * `DigestSent` (expected revision 0: a second sender conflicts, and a redelivered `DigestQueued` finds it
 * and sends nothing). A digest carries counts per kind and nothing else: no case, no name, no reference.
 *
 * `mail-addresses-<tenant>`: where digests go. Addresses are sealed under the organisation's key; the
 * roles and units say what the person is responsible for (the same claims a login carries).
 */
export const DIGEST_EVENT_SCHEMAS = { DigestQueued: 1, DigestSent: 1 } as const;
export const MAIL_ADDRESS_EVENT_SCHEMAS = { MailAddressRecorded: 1 } as const;

export interface DigestQueued {
  readonly type: 'DigestQueued';
  readonly data: {
    readonly digestId: string;
    /** The recipient's identity-provider subject (the address is looked up when sending). */
    readonly subject: string;
    /** Europe/Berlin local date the digest is for. */
    readonly date: string;
    readonly counts: readonly DeadlineCount[];
    /** German / English names of the kinds counted (a source's label; no case data). */
    readonly labels: Readonly<Record<string, KindLabel>>;
  };
}

export interface DigestSent {
  readonly type: 'DigestSent';
  readonly data: {
    readonly digestId: string;
    /** The Message-ID header, derived from the digest id (a receiving server can drop a duplicate). */
    readonly messageId: string;
    readonly sentAt: string;
  };
}

export type DigestEvent = DigestQueued | DigestSent;

export interface MailAddressRecorded {
  readonly type: 'MailAddressRecorded';
  readonly data: {
    readonly subject: string;
    /** Where it came from: the organisation file or the claims of a login. */
    readonly source: 'organisation' | 'login';
    readonly roles: readonly string[];
    readonly units: readonly string[];
    /** Null: the address was removed (no more digests from this source). */
    readonly address: Sealed | null;
  };
}

export type MailAddressEvent = MailAddressRecorded;

export const digestStreamId = (digestId: string): string => `digest-${digestId}`;
export const mailAddressStreamId = (tenant: string): string => `mail-addresses-${tenant}`;

export interface MailRecipient {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly units: readonly string[];
  readonly address: Sealed;
}

/**
 * The address book folded from its stream: per subject the latest entry of each source; the organisation
 * file wins over a login's claims (it is what the Jobcenter maintains).
 */
export function mailRecipients(events: readonly MailAddressEvent[]): MailRecipient[] {
  const bySource = new Map<string, MailAddressRecorded['data']>();
  for (const event of events) bySource.set(`${event.data.source}\u0000${event.data.subject}`, event.data);
  const result = new Map<string, MailRecipient>();
  for (const source of ['login', 'organisation'] as const) {
    for (const entry of bySource.values()) {
      if (entry.source !== source) continue;
      if (entry.address === null) {
        if (source === 'organisation') result.delete(entry.subject);
        continue;
      }
      const earlier = result.get(entry.subject);
      result.set(entry.subject, {
        subject: entry.subject,
        // A person who leads a team (file) and signs in as management (claims) gets one digest for both.
        roles: [...new Set([...(earlier?.roles ?? []), ...entry.roles])],
        units: [...new Set([...(earlier?.units ?? []), ...entry.units])],
        address: entry.address,
      });
    }
  }
  return [...result.values()].sort((a, b) => a.subject.localeCompare(b.subject));
}

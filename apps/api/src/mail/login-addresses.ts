import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import type { Principal } from '@pruefpfad/domain';
import { type LoginObserver, WebSessionService } from '../web-session/web-session.service.js';
import { MailAddressBook } from './mail-address-book.js';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/**
 * The address a sign-in's claims carry: the `email` claim when it looks like an address and the provider
 * does not say it is unverified; otherwise none (a null entry removes what an earlier sign-in gave).
 */
export function loginAddress(claims: Readonly<Record<string, unknown>>): string | null {
  const email = claims.email;
  if (typeof email !== 'string' || claims.email_verified === false) return null;
  const address = email.trim();
  return address.length <= 254 && ADDRESS.test(address) ? address : null;
}

/**
 * Records the e-mail address of each OIDC sign-in in the mail address book (source `login`), with the
 * roles and units the sign-in was mapped to, so the deadline digest reaches people the organisation file
 * names without an address. Only a change is written: this process remembers what it last recorded per
 * person, and the address book itself appends nothing when the entry is unchanged.
 */
@Injectable()
export class LoginAddresses implements LoginObserver, OnModuleInit {
  private readonly recorded = new Map<string, string>();

  constructor(
    private readonly addresses: MailAddressBook,
    @Optional() private readonly sessions?: WebSessionService,
  ) {}

  onModuleInit(): void {
    this.sessions?.observeLogins(this);
  }

  async signedIn(principal: Principal, claims: Readonly<Record<string, unknown>>): Promise<void> {
    const entry = {
      subject: principal.subject,
      roles: [...principal.roles].sort(),
      units: [...principal.units].sort(),
      address: loginAddress(claims),
    };
    const key = `${principal.tenant}\u0000${principal.subject}`;
    const fingerprint = JSON.stringify(entry);
    if (this.recorded.get(key) === fingerprint) return;
    await this.addresses.record(principal.tenant, 'login', [entry], {
      userId: principal.subject,
      role: principal.roles[0] ?? 'none',
    });
    this.recorded.set(key, fingerprint);
  }
}

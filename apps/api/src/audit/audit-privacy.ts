import { Inject, Injectable } from '@nestjs/common';
import {
  type AccessedResource,
  type AccessPurpose,
  collectSealed,
  DomainError,
  mapSealed,
  type Principal,
  pseudonymiseSealed,
  sealedFieldNames,
  sealedIdentity,
} from '@pruefpfad/domain';
import { type Envelope, type KeyStore, pseudonymise, tenantPseudonymKey } from '@pruefpfad/privacy';
import { AccessLog } from '../access-log/access-log.service.js';
import { ActingRights } from '../organisation/acting-rights.js';
import { ENVELOPE, KEY_STORE } from '../runtime/tokens.js';

/**
 * `full`: sealed fields opened, actors by their subject; `pseudonymised`: every sealed field replaced by
 * its stable placeholder (`«verschlüsselt: review:<id>#<n>»`, see libs/domain/src/audit/sealed-fields.ts),
 * nothing decrypted, and actors by a keyed pseudonym of their subject (the tenant's pseudonym key, which
 * stays with the Jobcenter), so an auditor can still see that the same person acted twice.
 */
export type AuditDisclosure = 'full' | 'pseudonymised';

const ACTOR_PURPOSE = 'audit-actor';

@Injectable()
export class AuditPrivacy {
  constructor(
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
    private readonly acting: ActingRights,
    private readonly accessLog: AccessLog,
  ) {}

  /**
   * The same rule as a review's detail (apps/api/src/reviews/reviews.queries.ts): stored checklists are
   * for the team's lead, the deputy while deputising and management (000:93); everyone else who may read
   * the record (auditors, area heads) gets it pseudonymised. Kept in step with it by the e2e tests.
   */
  async disclosure(principal: Principal, tenant: string, teamId: string): Promise<AuditDisclosure> {
    if (principal.tenant !== tenant) return 'pseudonymised';
    if (principal.roles.includes('management')) return 'full';
    if (principal.roles.includes('team_lead') && principal.units.includes(teamId)) return 'full';
    if (principal.roles.includes('deputy') && principal.units.includes(teamId)) {
      try {
        const acting = await this.acting.assertMayAct(principal, 'review.read', tenant, teamId);
        return acting.asDeputy ? 'full' : 'pseudonymised';
      } catch (error) {
        if (error instanceof DomainError) return 'pseudonymised';
        throw error;
      }
    }
    return 'pseudonymised';
  }

  /**
   * Reads of personal data are recorded in the access log (architecture: security and privacy): the
   * review (and the measures shown with it) for `purpose`; `present` adds the names of the fields it opens.
   */
  recordRead(purpose: AccessPurpose, reviewId: string, measureIds: readonly string[] = []): void {
    const resources: AccessedResource[] = [
      { kind: 'review', id: reviewId, reviewId },
      ...measureIds.map((id): AccessedResource => ({ kind: 'measure', id, reviewId })),
    ];
    this.accessLog.note({ purpose, resources, fields: [] });
  }

  /** `recordRead` for callers that name the view (`history`, `as-of`) and the review in a record. */
  logRead(_principal: Principal, what: Record<string, unknown>): void {
    const reviewId = typeof what['reviewId'] === 'string' ? what['reviewId'] : null;
    const purpose: AccessPurpose = what['view'] === 'as-of' ? 'audit-as-of' : 'audit-history';
    if (reviewId === null) this.accessLog.note({ purpose, resources: [], fields: [] });
    else this.recordRead(purpose, reviewId);
  }

  /**
   * `value` with its sealed fields shown as `disclosure` allows. `numbers` numbers the sealed values of the
   * streams `value` comes from. A destroyed key (retention purge) shows as null, as in every other view.
   */
  async present(value: unknown, numbers: ReadonlyMap<string, number>, disclosure: AuditDisclosure): Promise<unknown> {
    if (disclosure === 'pseudonymised') return pseudonymiseSealed(value, numbers);
    const fields = sealedFieldNames(value);
    if (fields.length > 0) this.accessLog.note({ resources: [], fields });
    const opened = new Map<string, unknown>();
    for (const sealed of collectSealed(value)) {
      const identity = sealedIdentity(sealed);
      if (!opened.has(identity)) opened.set(identity, await this.envelope.openOrNull(sealed));
    }
    return mapSealed(value, (sealed) => opened.get(sealedIdentity(sealed)) ?? null);
  }

  /** Actor subjects: clear for `full`, otherwise keyed pseudonyms (one key lookup per call site). */
  async actorNamer(tenant: string, disclosure: AuditDisclosure): Promise<(subject: string) => string> {
    if (disclosure === 'full') return (subject) => subject;
    const key = await tenantPseudonymKey(this.keyStore, tenant);
    return (subject) => (subject.trim() === '' ? subject : `pseudonym:${pseudonymise(key, subject, ACTOR_PURPOSE)}`);
  }
}

import { SetMetadata } from '@nestjs/common';
import type { Deadline, KindLabel } from '@pruefpfad/domain';

/**
 * The contract of a deadline source: one injectable class per kind of deadline, in the feature's own
 * module (listed in its `providers`), marked with `@DeadlineSourceProvider()`. The inbox finds every marked
 * provider at start (Nest's DiscoveryService); nothing else has to be registered anywhere.
 *
 * `collect` derives the tenant's open deadlines of its kind from read models on every call (never stores
 * them): a deadline is gone as soon as the read model shows the thing done. It returns everything open,
 * whatever its date and whoever is responsible; the inbox filters by the policy (`deadline.action` on
 * `deadline.resource`), by the horizon, and marks overdue (Europe/Berlin `today` after `dueDate`).
 * It must not put personal or case data into a deadline (ids and dates only; the digest counts kinds).
 */
export interface DeadlineSource {
  /** Stable kind name, unique across sources, e.g. `risk-recheck`; the `kind` of every deadline it yields. */
  readonly kind: string;
  /** German / English name of the kind, for the inbox and the digest. */
  readonly label: KindLabel;
  collect(tenant: string, today: string): Promise<readonly Deadline[]>;
}

export const DEADLINE_SOURCE = 'pruefpfad:deadline-source';

/** Marks an injectable `DeadlineSource` for the inbox. */
export const DeadlineSourceProvider = (): ClassDecorator => SetMetadata(DEADLINE_SOURCE, true);

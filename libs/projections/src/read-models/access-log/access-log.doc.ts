import type { AccessedResource, AccessPurpose } from '@pruefpfad/domain';

export const ACCESS_LOG = 'access-log';

/** One read of personal data (one `PersonalDataAccessed` event). Ids and names of fields only, no content. */
export interface AccessLogDoc {
  /** The event's id. */
  readonly _id: string;
  readonly tenant: string;
  /** Global position of the event: the order "newest first" and the paging cursor. */
  readonly position: number;
  readonly at: string;
  /** Europe/Berlin date of `at` (yyyy-mm-dd): what `from`/`to` filter on. */
  readonly day: string;
  readonly actor: { readonly subject: string; readonly role: string };
  readonly purpose: AccessPurpose;
  readonly endpoint: string;
  readonly resources: readonly AccessedResource[];
  /** The reviews the resources belong to, for the `review` filter. */
  readonly reviewIds: readonly string[];
  readonly fields: readonly string[];
  readonly correlationId: string;
  readonly streamId: string;
  [key: string]: unknown;
}

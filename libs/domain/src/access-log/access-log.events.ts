import { isSealedValue } from '../audit/sealed-fields.js';
import type { DomainEvent } from '../shared/decider.js';

/**
 * The access log (Zugriffsprotokoll): one event per HTTP request that returned decrypted personal data.
 *
 * It names who read (the metadata's actor and role), when (`occurredAt`), what (resource ids, never their
 * content), through which route template and for which purpose, and which fields were opened (names only).
 * It holds no customer data: no case reference, no pseudonym, no decrypted value, no query string.
 *
 * Stream `access-log-<tenant>-<yyyy-mm>` (Europe/Berlin month of the access), appended with expected
 * revision `any`: there are no invariants to guard, and the event store's HMAC chain makes every month's
 * stream tamper-evident. Nothing ever appends anything else to it, and no endpoint changes it.
 */

export const ACCESS_RESOURCE_KINDS = ['review', 'measure', 'report', 'programme', 'organisation'] as const;
export type AccessResourceKind = (typeof ACCESS_RESOURCE_KINDS)[number];

/** Fixed purpose codes: why the personal data was opened (the endpoint says where). */
export const ACCESS_PURPOSES = [
  'review-detail',
  'worklist',
  'audit-history',
  'audit-as-of',
  'audit-export',
  'case-lookup',
  'measure-detail',
  'measure-list',
  'team-report',
  'legal-report',
  'area-summary',
  // Who supervises (000:77: the team leads' and deputies' names, shown to the Jobcenter's staff).
  'organisation',
  // A programme's notes and its change log's notes (free text).
  'programme',
  // A read whose code named no purpose: still recorded (never dropped), and a defect to fix.
  'unspecified',
  'sampling-record',
] as const;
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

export interface AccessedResource {
  readonly kind: AccessResourceKind;
  readonly id: string;
  /** The review the resource belongs to (itself for a review), or null. */
  readonly reviewId: string | null;
}

export type PersonalDataAccessed = DomainEvent<
  'PersonalDataAccessed',
  {
    readonly purpose: AccessPurpose;
    /** Route template with its method, e.g. `GET /api/v1/reviews/:id`: never the URL with its values. */
    readonly endpoint: string;
    readonly resources: readonly AccessedResource[];
    /** Names of the fields opened (e.g. `caseRef`, `talks.employee`), never their values. */
    readonly fields: readonly string[];
    readonly disclosure: 'full';
  }
>;

export type AccessLogEvent = PersonalDataAccessed;

export const ACCESS_LOG_EVENT_SCHEMAS = {
  PersonalDataAccessed: 1,
} as const satisfies Record<AccessLogEvent['type'], number>;

export const ACCESS_LOG_STREAM_PREFIX = 'access-log-';

/** `month` is yyyy-mm in Europe/Berlin. */
export const accessLogStreamId = (tenant: string, month: string): string =>
  `${ACCESS_LOG_STREAM_PREFIX}${tenant}-${month}`;

/** What one part of a request opened; a request's notes are merged into one event. */
export interface AccessNote {
  /** Left out by parts that only add fields or resources to a read whose purpose another part named. */
  readonly purpose?: AccessPurpose;
  readonly resources: readonly AccessedResource[];
  readonly fields: readonly string[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The one event of a request from its notes: the first purpose named (a request serves one purpose),
 * resources without duplicates in the order first named, fields sorted without duplicates. Null when
 * nothing was noted (nothing to log).
 */
export function mergeAccessNotes(notes: readonly AccessNote[], endpoint: string): PersonalDataAccessed['data'] | null {
  if (notes.length === 0) return null;
  const purpose = notes.find((note) => note.purpose !== undefined)?.purpose ?? 'unspecified';
  const resources = new Map<string, AccessedResource>();
  for (const note of notes)
    for (const resource of note.resources) {
      const key = `${resource.kind}|${resource.id}`;
      if (!resources.has(key)) resources.set(key, resource);
    }
  const fields = [...new Set(notes.flatMap((note) => note.fields))].sort(byText);
  return { purpose, endpoint, resources: [...resources.values()], fields, disclosure: 'full' };
}

/**
 * Names of the sealed fields inside `value` as dotted paths without array indexes (`talks.employee`),
 * sorted: what an audit view opens when it shows an event's data in clear.
 */
export function sealedFieldNames(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (node: unknown, path: string): void => {
    if (isSealedValue(node)) names.add(path === '' ? '(value)' : path);
    else if (Array.isArray(node)) node.forEach((item) => visit(item, path));
    else if (typeof node === 'object' && node !== null)
      for (const [key, item] of Object.entries(node)) visit(item, path === '' ? key : `${path}.${key}`);
  };
  visit(value, '');
  return [...names].sort(byText);
}

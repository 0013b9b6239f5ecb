import type { PurgeTrigger, Sealed } from '@pruefpfad/domain';

/** Read model `retention`: purge records and legal holds, per review. */
export const RETENTION = 'retention';

export const purgeRecordId = (tenant: string, reviewId: string): string => `${tenant}:purge:${reviewId}`;
export const legalHoldId = (tenant: string, reviewId: string): string => `${tenant}:hold:${reviewId}`;
export const populationPurgeId = (tenant: string, populationId: string): string =>
  `${tenant}:population-purge:${populationId}`;

/** The record of a purge: no content, kept for good (a request for the review answers 410 with it). */
export interface PurgeRecordDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'purge';
  readonly tenant: string;
  readonly reviewId: string;
  readonly state: 'started' | 'held' | 'purged';
  readonly trigger: PurgeTrigger;
  readonly retentionEndedOn: string;
  readonly startedAt: string;
  readonly purgedAt: string | null;
  readonly streamsDeleted: number;
  readonly keysDestroyed: number;
  /** The measures purged with the review (ids only): a request for one answers 410 with this record. */
  readonly measureIds: readonly string[];
}

export interface LegalHoldDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'hold';
  readonly tenant: string;
  readonly reviewId: string;
  readonly held: boolean;
  readonly placedOn: string;
  /** Sealed under the review's key: read in clear only by those who may read the review. */
  readonly reason: Sealed;
  readonly liftedOn: string | null;
  readonly liftReason: Sealed | null;
}

/** A population purged with the last review drawn from it (no content). */
export interface PopulationPurgeDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly kind: 'population-purge';
  readonly tenant: string;
  readonly populationId: string;
  readonly programmeId: string;
  readonly month: string;
  readonly state: 'started' | 'purged';
  readonly startedAt: string;
  readonly purgedAt: string | null;
}

export type RetentionDoc = PurgeRecordDoc | LegalHoldDoc | PopulationPurgeDoc;

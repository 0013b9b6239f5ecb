import type { CoverageRecord, Sealed } from '@pruefpfad/domain';

/**
 * Read model `samples`: one document per team draw, `_id` = sampleId. Draw tokens only (anonymous once the
 * population's references are destroyed), never pseudonyms or clear case references (those live in the
 * reviews). Coverage history of later draws is read from here.
 */
export const SAMPLES = 'samples';

export interface SampleCaseDoc {
  readonly reviewId: string;
  readonly token: string;
  readonly customerGroup: string;
  readonly rank: number;
  readonly origin: 'draw' | 'supplementary' | 'replacement';
  /** For a replacement: the review it replaces. */
  readonly replaces: string | null;
  readonly status: 'active' | 'replaced';
  readonly replacedBy: string | null;
}

export interface SampleFollowUpDoc {
  readonly kind: 'supplementary' | 'replacement';
  readonly at: string;
  readonly byRole: string;
  /** Sealed (supplementary: the month's sampling key; replacement: the replaced review's key). */
  readonly reason: Sealed;
  readonly reviewIds: readonly string[];
}

export interface SampleDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly programmeId: string;
  readonly month: string;
  readonly teamId: string;
  readonly areaId: string;
  readonly populationId: string;
  readonly populationFingerprint: string;
  readonly seed: string;
  readonly algorithm: string;
  readonly n: number;
  readonly eligible: number;
  readonly excluded: { readonly recentlyDrawn: number; readonly section16a: number };
  readonly section16aIncluded: boolean;
  readonly coverage: CoverageRecord;
  readonly questionnaireId: string;
  readonly questionnaireVersion: number;
  readonly deadline: string;
  readonly drawnAt: string;
  readonly drawnByRole: string;
  /** All cases ever drawn for the sample, replaced ones included (status says which count). */
  readonly cases: readonly SampleCaseDoc[];
  readonly activeCases: number;
  readonly followUps: readonly SampleFollowUpDoc[];
  /** A draw for a month already past: when it was made, and its reason (sealed, the month's sampling key). */
  readonly backdated: { readonly drawnOn: string; readonly reason: Sealed } | null;
  /** Voided by mistake before any review started (its reviews withdrawn; the team could be drawn again). */
  readonly voided: { readonly at: string; readonly byRole: string; readonly reason: Sealed } | null;
  readonly streamRevision: number;
}

/** Read model `populations`: one summary per imported population, without clear data or pseudonyms. */
export const POPULATIONS = 'populations';

export interface PopulationDoc extends Record<string, unknown> {
  readonly _id: string;
  readonly _position?: number;
  readonly tenant: string;
  readonly programmeId: string;
  readonly month: string;
  readonly rowCount: number;
  /** Rows of the chunks projected so far (equals `rowCount` once the import's events are projected). */
  readonly rowsReceived: number;
  readonly fingerprint: string;
  /** The import's content key (`PopulationImported.importKey`); null for populations imported before it. */
  readonly importKey?: string | null;
  readonly source: { readonly format: 'csv' | 'json'; readonly fileName: string | null };
  readonly importedAt: string;
  readonly importedByRole: string;
  readonly teams: readonly { readonly teamId: string; readonly rows: number }[];
  readonly customerGroups: readonly { readonly customerGroup: string; readonly rows: number }[];
  readonly section16a: number;
  /** Set once the population's clear case references were destroyed (no more supplementary draws or replacements). */
  readonly referencesDestroyed: { readonly keptUntil: string; readonly at: string } | null;
  /**
   * False while an import written in bounded appends lacks its completion marker: such a population is
   * not listed, not drawn from and not counted (a retry of the import resumes it). Documents of
   * projection version 2 lack the field and are complete: readers filter with `complete: { $ne: false }`.
   */
  readonly complete?: boolean;
  /** When the last append of the import was made (`importedAt` for an import in one append). */
  readonly completedAt?: string | null;
  /**
   * Global position of the event that made it complete: the order in which a month's populations became
   * available (the latest is drawn from), also when two imports carry the same time.
   */
  readonly completedPosition?: number | null;
}

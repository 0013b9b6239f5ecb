/**
 * Technical limits of population imports. Configuration with defaults like `DEFAULT_RULES`
 * (libs/application/src/rules.ts), kept here until the rule configuration gains a sampling section.
 */
export const SAMPLING_DEFAULTS = {
  /** Rows per `PopulationRowsAdded` event. */
  populationChunkRows: 500,
  /**
   * Bounds of one append of a population import (about 300 bytes a row). KurrentDB refuses an append
   * above its `MaxAppendSize` (default 1 MiB = 1,048,576 bytes, counting data, metadata and type since
   * 24.10.4; configurable up to 16 MiB) and must write it within `WriteTimeoutMs` (default 2 s): 512 KiB
   * leaves half the default limit as margin for what the adapter adds (metadata with chain, correlation,
   * schema version: `eventOverheadBytes` per event, an upper bound), and 1,000 rows (≈ 300 KB) keep each
   * append a small, quick write. A 50,000-row import is then about 50 appends plus the marker.
   */
  populationAppend: { maxRows: 1000, maxBytes: 512 * 1024, eventOverheadBytes: 2048 },
  /** Largest CSV body the HTTP import accepts (bigger files: the CLI). */
  maxImportBytes: 32 * 1024 * 1024,
  /** Row errors listed in a rejection (the count of all of them is always given). */
  maxReportedErrors: 100,
} as const;

/**
 * What readers of the `populations` read model add to every query: complete populations only. An import
 * written in bounded appends has a document from its first append on, with `complete: false` until its
 * completion marker is stored. `$ne: false` rather than `true`, so the documents of projection version 2
 * (all complete, without the field) still count while version 3 is being built.
 */
export const COMPLETE_POPULATIONS = { complete: { $ne: false } } as const;

/**
 * Newest first: by the position at which each population became complete (population ids are derived
 * from their content, so their order says nothing), then as before for documents of projection version 2.
 */
export const LATEST_POPULATIONS_FIRST = { completedPosition: -1, importedAt: -1, _id: -1 } as const;

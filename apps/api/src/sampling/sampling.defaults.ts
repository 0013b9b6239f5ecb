/**
 * Technical limits of population imports. Configuration with defaults like `DEFAULT_RULES`
 * (libs/application/src/rules.ts), kept here until the rule configuration gains a sampling section.
 */
export const SAMPLING_DEFAULTS = {
  /** Rows per `PopulationRowsAdded` event; all chunks go into the import's single append. */
  populationChunkRows: 500,
  /** Largest CSV body the HTTP import accepts (bigger files: the CLI). */
  maxImportBytes: 32 * 1024 * 1024,
  /** Row errors listed in a rejection (the count of all of them is always given). */
  maxReportedErrors: 100,
} as const;

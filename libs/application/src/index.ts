/**
 * @pruefpfad/application: the write side's use of the stores.
 *
 * For: the command pipeline (read stream, fold, decide, append with the expected revision, retry on
 * conflict), the cached and caught-up stream states, the configuration read from the environment, the
 * rules (defaults and the rules file), the clock and Berlin dates, and the application's error types.
 *
 * Exports: the names below.
 *
 * Must not depend on: projections, the read store, privacy or composition (it sees the event store and
 * the domain only); never on an app.
 */

export { berlinDate } from './berlin-time.js';
export { clockStartingAt, type Clock, type IdGenerator, serviceClock, systemClock, uuidV7Ids } from './clock.js';
export {
  type AggregateType,
  type CommandContext,
  CommandPipeline,
  type CommandRequest,
  type CommandResult,
  FRESH_READ_ATTEMPTS,
} from './command-pipeline.js';
export { type AppConfig, ConfigurationError, loadConfig, type OidcConfig, type WebLoginConfig } from './config.js';
export { NotFoundError, PreconditionFailedError, ReviewPurgedError } from './errors.js';
export {
  codeVersionOf,
  countedSeverity,
  type DashboardRules,
  DEFAULT_READ_MODEL_RULES,
  loadRulesConfig,
  parseRulesConfig,
  type ReadModelRules,
  ruleDrivenVersion,
  RULES_VERSION_SPAN,
  type SeriousDefectRule,
} from './rules-config.js';
export { DEFAULT_RULES } from './rules.js';
export { readStreamState, type StreamFold, type StreamReader, StreamStates } from './stream-state.js';

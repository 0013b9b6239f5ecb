/** DI tokens for the ports: feature code injects these, never an adapter class. */
export const EVENT_STORE = Symbol('EventStore');
export const DOCUMENT_STORE = Symbol('DocumentStore');
export const CHECKPOINT_STORE = Symbol('CheckpointStore');
export const KEY_STORE = Symbol('KeyStore');
export const ENVELOPE = Symbol('Envelope');
export const PROJECTIONS = Symbol('Projections');
export const COMMAND_PIPELINE = Symbol('CommandPipeline');
/** Folded states of long-lived streams, caught up on every read (`StreamStates`). */
export const STREAM_STATES = Symbol('StreamStates');
export const CLOCK = Symbol('Clock');
export const APP_CONFIG = Symbol('AppConfig');
export const RUNTIME = Symbol('Runtime');
export const ID_GENERATOR = Symbol('IdGenerator');

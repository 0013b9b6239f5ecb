export * from './read-store.port.js';
export { EmbeddedReadStore, type EmbeddedReadStoreOptions } from './embedded/embedded-read-store.js';
export { EmbeddedDocumentStore } from './embedded/embedded-document-store.js';
export { EmbeddedCheckpointStore } from './embedded/embedded-checkpoint-store.js';

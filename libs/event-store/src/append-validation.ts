import { InvalidAppendError } from './errors.js';
import type { AppendOptions, NewEvent } from './event-store.port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The port's input rules, checked before anything is written so every adapter refuses the same appends
 * (KurrentDB would reject a non-UUID id only after a round trip, and the embedded store not at all).
 * Throws `InvalidAppendError`.
 */
export function validateAppend(streamId: string, events: readonly NewEvent[], options: AppendOptions): void {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new InvalidAppendError('streamId must be a non-empty string');
  const expected: unknown = options?.expectedRevision;
  if (!(
    expected === 'any' ||
    expected === 'no_stream' ||
    (Number.isSafeInteger(expected) && (expected as number) >= 0)
  )) {
    throw new InvalidAppendError(`${streamId}: expectedRevision must be 'any', 'no_stream' or an integer >= 0`);
  }
  // Callers outside TypeScript's reach (HTTP, CLI) may pass anything; `Array.isArray` on `events` itself
  // would widen it to any[].
  const list: unknown = events;
  if (!Array.isArray(list) || list.length === 0) throw new InvalidAppendError(`${streamId}: no events to append`);
  const ids = new Set<string>();
  for (const [index, event] of events.entries()) {
    const where = `${streamId} event #${index}`;
    if (typeof event?.id !== 'string' || !UUID.test(event.id))
      throw new InvalidAppendError(`${where}: id must be a UUID`);
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new InvalidAppendError(`${where}: duplicate event id ${event.id}`);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0)
      throw new InvalidAppendError(`${where}: type must be a non-empty string`);
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidAppendError(`${where}: schemaVersion must be an integer >= 1`);
    }
    if (event.data === undefined) throw new InvalidAppendError(`${where}: data is missing`);
    if (event.metadata === null || typeof event.metadata !== 'object')
      throw new InvalidAppendError(`${where}: metadata is missing`);
  }
}

import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** The server clock, injected wherever time is read, so tests and replays control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and runs on at the real pace (the test environment's shifted clock). */
export function clockStartingAt(start: string, real: Clock = systemClock): Clock {
  const offset = new Date(start).getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offset) };
}

/** The service's clock: the system clock, or the test environment's shifted one (`PRUEFPFAD_TEST_CLOCK_START`). */
export function serviceClock(config: { readonly testClockStart: string | null }): Clock {
  return config.testClockStart === null ? systemClock : clockStartingAt(config.testClockStart);
}

/** Time-ordered UUIDv7 ids: indexes stay append-mostly and ids sort by creation (to the millisecond). */
export interface IdGenerator {
  next(): string;
}

/**
 * Random bits for ids come from a pool refilled from the CSPRNG, one system call per 256 ids instead of
 * one per id (the benchmark showed the per-id call on the command path); each 16-byte slice is used once.
 */
const RANDOM_POOL = new Uint8Array(16 * 256);
let poolOffset = RANDOM_POOL.length;

function random16(): Uint8Array {
  if (poolOffset + 16 > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    poolOffset = 0;
  }
  const slice = RANDOM_POOL.slice(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return slice;
}

export const uuidV7Ids: IdGenerator = { next: () => uuidv7({ random: random16() }) };

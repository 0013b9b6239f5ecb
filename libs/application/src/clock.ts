import { v7 as uuidv7 } from 'uuid';

/** The server clock, injected wherever time is read, so tests and replays control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Time-ordered UUIDv7 ids: indexes stay append-mostly and ids sort by creation. */
export interface IdGenerator {
  next(): string;
}

export const uuidV7Ids: IdGenerator = { next: () => uuidv7() };

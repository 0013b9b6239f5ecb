/**
 * Writes in call order where order matters (port contract): a write waits for the writes issued before it
 * that touch the same collection, checkpoint or alias, so writes issued back to back without awaiting
 * cannot overtake each other on the connection pool. Writes to different ones run in parallel: one
 * projection's slow transaction does not hold up another's commits or a lease renewal. A failed write
 * rejects its own promise and leaves the queues running. Reads are not queued.
 */
export class OrderedWrites {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const before = Promise.all(unique.map((key) => this.tails.get(key) ?? Promise.resolve()));
    const result = before.then(work, work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of unique) this.tails.set(key, settled);
    // Forget a key once nothing is queued behind its last write.
    void settled.then(() => {
      for (const key of unique) if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }
}

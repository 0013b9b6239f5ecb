import { OrderedWrites } from './ordered-writes.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('OrderedWrites', () => {
  it('runs writes to the same key one after another, in call order, a failure not stopping the queue', async () => {
    const writes = new OrderedWrites();
    const log: string[] = [];
    const first = deferred();
    const started = deferred();
    const a = writes.run(['c'], async () => {
      log.push('a start');
      started.resolve();
      await first.promise;
      log.push('a end');
    });
    const b = writes.run(['c', 'cp'], () => {
      log.push('b');
      return Promise.reject(new Error('b failed'));
    });
    const c = writes.run(['cp'], () => {
      log.push('c');
      return Promise.resolve();
    });
    await started.promise;
    // b shares a key with the running a, and c one with the waiting b: neither may start.
    expect(log).toEqual(['a start']);
    first.resolve();
    await expect(b).rejects.toThrow('b failed');
    await Promise.all([a, c]);
    expect(log).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('lets writes to other keys pass a slow one (a lease renewal behind a long transaction)', async () => {
    const writes = new OrderedWrites();
    const slow = deferred();
    const blocked = writes.run(['collection:reviews', 'checkpoint:reviews'], () => slow.promise);
    let renewed = false;
    await writes.run(['collection:_leases'], () => {
      renewed = true;
      return Promise.resolve();
    });
    expect(renewed).toBe(true);
    slow.resolve();
    await blocked;
  });
});

/**
 * `node:sqlite` is synchronous, the ports are promise-based: run the work now and turn a throw into a
 * rejection, so callers see one failure channel whatever the adapter.
 */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(toError(error));
  }
}

/** The same for work that checks its input synchronously and then hands off to the writer. */
export function settleAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(toError(error));
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

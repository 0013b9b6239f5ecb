/**
 * `node:sqlite` is synchronous, the ports are promise-based: run the work now and turn a throw into a
 * rejection, so callers see one failure channel whatever the adapter.
 */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` in one write transaction of a `node:sqlite` connection: committed when it returns, rolled
 * back when it throws. `BEGIN IMMEDIATE` takes the write lock up front, so a transaction never fails
 * half-way on a lock upgrade (the embedded read store, key store and purge ledger all write this way).
 */
export function inWriteTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

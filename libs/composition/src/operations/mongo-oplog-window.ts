import { MongoClient, type Timestamp } from 'mongodb';

export interface OplogWindow {
  /** Oldest and newest entries of the oplog (`local.oplog.rs`), and the hours between them. */
  readonly firstAt: string;
  readonly lastAt: string;
  readonly hours: number;
  /** Configured maximum size in bytes (the oplog is capped by size; its window in time follows the load). */
  readonly maxSizeBytes: number | null;
  readonly sizeBytes: number | null;
}

const toDate = (ts: Timestamp): Date => new Date(ts.getHighBits() * 1000);

/**
 * The replica set member's oplog window, as `rs.printReplicationInfo()` computes it: the time between the
 * oldest and the newest oplog entry, and the oplog's configured size. Needs read access to `local`
 * (e.g. the `clusterMonitor` role); answers the reason as an error otherwise.
 */
export async function mongoOplogWindow(uri: string): Promise<OplogWindow> {
  const client = await MongoClient.connect(uri);
  try {
    const oplog = client.db('local').collection<{ ts: Timestamp }>('oplog.rs');
    const first = await oplog
      .find({}, { projection: { ts: 1 } })
      .sort({ $natural: 1 })
      .limit(1)
      .next();
    const last = await oplog
      .find({}, { projection: { ts: 1 } })
      .sort({ $natural: -1 })
      .limit(1)
      .next();
    if (first === null || last === null) throw new Error('local.oplog.rs ist leer / is empty');
    const [stats] = await oplog
      .aggregate<{ storageStats?: { maxSize?: number; size?: number } }>([{ $collStats: { storageStats: {} } }])
      .toArray();
    const firstAt = toDate(first.ts);
    const lastAt = toDate(last.ts);
    return {
      firstAt: firstAt.toISOString(),
      lastAt: lastAt.toISOString(),
      hours: Math.round(((lastAt.getTime() - firstAt.getTime()) / 3_600_000) * 10) / 10,
      maxSizeBytes: stats?.storageStats?.maxSize ?? null,
      sizeBytes: stats?.storageStats?.size ?? null,
    };
  } finally {
    await client.close();
  }
}

import { type Collection, MongoClient } from 'mongodb';
import type { PurgeLedger, PurgeLedgerEntry, PurgeLedgerKind } from './purge-ledger.port.js';

/** The collection's name inside the ledger's own database. */
export const PURGE_LEDGER_COLLECTION = 'purge_ledger';

interface LedgerDoc {
  _id: string;
  kind: PurgeLedgerKind;
  tenant: string;
  subjectId: string;
  keys: string[];
  streams: string[];
  record: Record<string, unknown>;
  recordedAt: string;
}

/**
 * The server-mode purge ledger: a collection in a MongoDB database of its own (not the read models' and
 * not the keys' database), so restoring either of those from a dump never rolls the ledger back, and a
 * `mongorestore` of a ledger dump WITHOUT `--drop` only adds entries (the union is always safe).
 *
 * One upsert per record: `$setOnInsert` keeps the first version, `$addToSet` adds keys and streams, so
 * the write is atomic on the one document and idempotent. Writes are acknowledged by a majority and
 * journaled: a recorded entry survives a primary failover before the destruction it announces.
 */
export class MongoPurgeLedger implements PurgeLedger {
  private constructor(
    private readonly client: MongoClient,
    private readonly ownsClient: boolean,
    private readonly collection: Collection<LedgerDoc>,
    readonly location: string,
  ) {}

  static async open(options: {
    readonly uri?: string;
    readonly client?: MongoClient;
    readonly database: string;
  }): Promise<MongoPurgeLedger> {
    if (!options.client === !options.uri) throw new Error('MongoPurgeLedger: pass exactly one of `uri` and `client`');
    const client = options.client ?? (await MongoClient.connect(options.uri!));
    try {
      const collection = client
        .db(options.database)
        .collection<LedgerDoc>(PURGE_LEDGER_COLLECTION, { writeConcern: { w: 'majority', journal: true } });
      await collection.createIndex({ recordedAt: 1, _id: 1 }, { name: 'recordedAt_id' });
      return new MongoPurgeLedger(
        client,
        options.client === undefined,
        collection,
        `mongodb:${options.database}.${PURGE_LEDGER_COLLECTION}`,
      );
    } catch (error) {
      if (options.client === undefined) await client.close();
      throw error;
    }
  }

  async record(entry: PurgeLedgerEntry): Promise<PurgeLedgerEntry> {
    const stored = await this.collection.findOneAndUpdate(
      { _id: entry.id },
      {
        $setOnInsert: {
          kind: entry.kind,
          tenant: entry.tenant,
          subjectId: entry.subjectId,
          record: { ...entry.record },
          recordedAt: entry.recordedAt,
        },
        $addToSet: { keys: { $each: [...entry.keys] }, streams: { $each: [...entry.streams] } },
      },
      { upsert: true, returnDocument: 'after' },
    );
    if (stored === null) throw new Error(`Purge ledger ${this.location}: upsert of ${entry.id} returned nothing`);
    return toEntry(stored);
  }

  async list(): Promise<readonly PurgeLedgerEntry[]> {
    const docs = await this.collection.find({}).sort({ recordedAt: 1, _id: 1 }).toArray();
    return docs.map(toEntry);
  }

  count(): Promise<number> {
    return this.collection.countDocuments({});
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}

function toEntry(doc: LedgerDoc): PurgeLedgerEntry {
  return {
    id: doc._id,
    kind: doc.kind,
    tenant: doc.tenant,
    subjectId: doc.subjectId,
    keys: doc.keys,
    streams: doc.streams,
    record: doc.record,
    recordedAt: doc.recordedAt,
  };
}

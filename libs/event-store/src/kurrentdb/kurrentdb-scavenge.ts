import type { CallOptions, Metadata, ServiceError } from '@grpc/grpc-js';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
// The client (1.3.1) has no public operations API; its own features call the generated gRPC stubs through
// `execute`, which is what this file does for the Operations service (KurrentDB's documented gRPC API).
import operationsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/operations_grpc_pb.js';
import operationsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/operations_pb.js';

export type ScavengeState = 'started' | 'in-progress' | 'stopped';

export interface ScavengeAnswer {
  readonly scavengeId: string;
  readonly state: ScavengeState;
}

export interface StartScavengeOptions {
  /** Threads the node uses (default 1: a scavenge competes with the node's normal work). */
  readonly threadCount?: number;
  /** First chunk to scavenge (default 0). */
  readonly startFromChunk?: number;
}

type OperationsClient = InstanceType<typeof operationsGrpc.OperationsClient>;

/** The members of the client that its own feature modules use (protected in its typings). */
interface ClientInternals {
  execute<T>(
    client: typeof operationsGrpc.OperationsClient,
    debugName: string,
    action: (client: OperationsClient) => Promise<T>,
  ): Promise<T>;
  callArguments(options: { readonly requiresLeader?: boolean }): [Metadata, CallOptions];
}

const STATES: Record<number, ScavengeState> = {
  [operationsPb.ScavengeResp.ScavengeResult.STARTED]: 'started',
  [operationsPb.ScavengeResp.ScavengeResult.INPROGRESS]: 'in-progress',
  [operationsPb.ScavengeResp.ScavengeResult.STOPPED]: 'stopped',
};

function answer(response: InstanceType<typeof operationsPb.ScavengeResp>): ScavengeAnswer {
  return { scavengeId: response.getScavengeId(), state: STATES[response.getScavengeResult()] ?? 'stopped' };
}

function internals(client: KurrentDBClient): ClientInternals {
  return client as unknown as ClientInternals;
}

/**
 * Starts a scavenge on the node the client is connected to (KurrentDB's Operations service,
 * `StartScavenge`; the same as `POST /admin/scavenge` of its HTTP API). A scavenge rewrites COMPLETED
 * chunks without the events of deleted (tombstoned) streams; the chunk being written is never scavenged.
 * It runs per node: in a cluster, start it on every node (or use the server's auto-scavenge). Needs a user
 * in `$ops` or `$admins` on a secure cluster. Resolves as soon as the node accepted it; the scavenge runs on.
 */
export async function startKurrentDbScavenge(
  client: KurrentDBClient,
  options: StartScavengeOptions = {},
): Promise<ScavengeAnswer> {
  const threadCount = options.threadCount ?? 1;
  const startFromChunk = options.startFromChunk ?? 0;
  if (!Number.isInteger(threadCount) || threadCount < 1) throw new RangeError('threadCount must be a positive integer');
  if (!Number.isInteger(startFromChunk) || startFromChunk < 0)
    throw new RangeError('startFromChunk must be a non-negative integer');
  const request = new operationsPb.StartScavengeReq().setOptions(
    new operationsPb.StartScavengeReq.Options().setThreadCount(threadCount).setStartFromChunk(startFromChunk),
  );
  const inner = internals(client);
  return inner.execute(operationsGrpc.OperationsClient, 'startScavenge', (operations) => {
    return new Promise<ScavengeAnswer>((resolve, reject) => {
      operations.startScavenge(request, ...inner.callArguments({}), (error: ServiceError | null, response) => {
        if (error) reject(error);
        else resolve(answer(response));
      });
    });
  });
}

/** Stops a running scavenge by its id (`StopScavenge`; `DELETE /admin/scavenge/<id>`). */
export async function stopKurrentDbScavenge(client: KurrentDBClient, scavengeId: string): Promise<ScavengeAnswer> {
  const request = new operationsPb.StopScavengeReq().setOptions(
    new operationsPb.StopScavengeReq.Options().setScavengeId(scavengeId),
  );
  const inner = internals(client);
  return inner.execute(operationsGrpc.OperationsClient, 'stopScavenge', (operations) => {
    return new Promise<ScavengeAnswer>((resolve, reject) => {
      operations.stopScavenge(request, ...inner.callArguments({}), (error: ServiceError | null, response) => {
        if (error) reject(error);
        else resolve(answer(response));
      });
    });
  });
}

/** Opens a client for the connection string, runs `work`, and disposes of it. */
export async function withKurrentDbClient<T>(
  connectionString: string,
  work: (client: KurrentDBClient) => Promise<T>,
): Promise<T> {
  const client = KurrentDBClient.connectionString(connectionString);
  try {
    return await work(client);
  } finally {
    await client.dispose();
  }
}

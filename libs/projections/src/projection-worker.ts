import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { ProjectionRunner } from './projection-runner.js';
import {
  type ProjectionStores,
  type ProjectionWorkerData,
  type ProjectionWorkerModule,
  serializeError,
  type WorkerCommand,
  type WorkerMessage,
  type WorkerReplyValue,
  type WorkerRequest,
} from './projection-worker-protocol.js';

/**
 * Worker thread entry (embedded mode): `node:sqlite` is synchronous, so catch-up and rebuilds run here,
 * off the event loop that serves HTTP. Started by `WorkerProjectionHost`; see
 * `projection-worker-protocol.ts` for how it finds its definitions and stores.
 */
if (parentPort === null) throw new Error('projection-worker.js runs as a worker thread (see WorkerProjectionHost)');
const port: MessagePort = parentPort;

const post = (message: WorkerMessage): void => port.postMessage(message);

async function main(): Promise<void> {
  const data = workerData as ProjectionWorkerData;
  const module = (await import(data.definitionsModule)) as Partial<ProjectionWorkerModule>;
  if (!Array.isArray(module.projections) || typeof module.openStores !== 'function') {
    throw new Error(`${data.definitionsModule} must export projections (an array) and openStores(config)`);
  }
  const stores: ProjectionStores = await module.openStores(data.config, { role: 'projection-worker' });
  const runner = new ProjectionRunner({
    definitions: module.projections,
    eventStore: stores.eventStore,
    documentStore: stores.documentStore,
    checkpointStore: stores.checkpointStore,
    ...data.runner,
    onStatus: (status) => post({ type: 'status', status }),
    onPoison: (report) => post({ type: 'poison', report }),
  });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await runner.stop();
      await stores.close();
    })());

  const execute = async (command: WorkerCommand): Promise<WorkerReplyValue> => {
    switch (command.kind) {
      case 'reached':
        return runner.reached(command.name, command.position);
      case 'rebuild':
        return runner.rebuild(command.name, { fresh: command.fresh });
      case 'confirm-rebuild':
        return runner.confirmRebuild(command.name);
      case 'stop':
        await stop();
        return null;
    }
  };

  port.on('message', (request: WorkerRequest) => {
    if (request.type !== 'request') return;
    execute(request.command).then(
      (value) => {
        post({ type: 'reply', id: request.id, ok: true, value });
        // Nothing keeps the thread alive once the port is closed: it exits after the reply.
        if (request.command.kind === 'stop') port.close();
      },
      (error: unknown) => post({ type: 'reply', id: request.id, ok: false, error: serializeError(error) }),
    );
  });

  runner.start();
  post({ type: 'ready', statuses: runner.status() });
}

main().catch((error: unknown) => {
  post({ type: 'fatal', error: serializeError(error) });
  port.close();
});

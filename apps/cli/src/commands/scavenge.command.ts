import { parseArgs } from 'node:util';
import type { AppConfig } from '@pruefpfad/application';
import { embeddedFileStates } from '@pruefpfad/composition';
import { startKurrentDbScavenge, stopKurrentDbScavenge, withKurrentDbClient } from '@pruefpfad/event-store';
import { UsageError, type CliIo } from '../cli-io.js';

export const SCAVENGE_USAGE = 'scavenge [--threads <n>] [--from-chunk <n>] | scavenge --stop <scavenge-id>';

function count(value: string | undefined, option: string, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum)
    throw new UsageError(`${option}: ganze Zahl ≥ ${minimum} / integer ≥ ${minimum}`);
  return parsed;
}

/**
 * `scavenge`: server mode starts a KurrentDB scavenge on the node the connection string reaches (it runs on
 * in the node; follow it in the node's log or UI), so tombstoned events of purged streams leave the
 * completed chunks. In a cluster, run it against each node. Embedded mode needs none: the events went with
 * the delete (secure_delete, WAL truncated); the command says so and shows the files' state.
 */
export async function scavengeCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { threads: { type: 'string' }, 'from-chunk': { type: 'string' }, stop: { type: 'string' } },
    strict: true,
  });
  const threadCount = count(values.threads, '--threads', 1);
  const startFromChunk = count(values['from-chunk'], '--from-chunk', 0);
  if (values.stop === '') throw new UsageError('--stop: Scavenge-ID fehlt / scavenge id missing');
  if (config.stores.kind === 'embedded') {
    for (const file of embeddedFileStates(config))
      io.out(
        [file.role, file.file, `WAL ${file.walBytes} B`, `free pages ${file.freelistPages}/${file.pageCount}`].join(
          '\t',
        ),
      );
    io.err(
      'Eingebettet ist kein Scavenge nötig: gelöschte Streams sind mit secure_delete überschrieben und das WAL geleert. / ' +
        'Embedded mode needs no scavenge: deleted streams are overwritten (secure_delete) and the WAL truncated.',
    );
    return 0;
  }
  const { kurrentdbConnectionString } = config.stores;
  const answer = await withKurrentDbClient(kurrentdbConnectionString, (client) =>
    values.stop !== undefined
      ? stopKurrentDbScavenge(client, values.stop)
      : startKurrentDbScavenge(client, {
          ...(threadCount === undefined ? {} : { threadCount }),
          ...(startFromChunk === undefined ? {} : { startFromChunk }),
        }),
  );
  io.out(`${answer.scavengeId}\t${answer.state}`);
  io.err(
    values.stop !== undefined
      ? `Scavenge ${answer.scavengeId}: ${answer.state}`
      : `Scavenge ${answer.scavengeId} ${answer.state}; danach zeigt "npm run cli -- storage", was noch lesbar ist. / ` +
          'afterwards "npm run cli -- storage" shows what is still readable.',
  );
  return 0;
}

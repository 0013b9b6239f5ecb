import { parseArgs } from 'node:util';
import { type AppConfig, loadRulesConfig, serviceClock, uuidV7Ids } from '@pruefpfad/application';
import { restore } from '@pruefpfad/composition';
import { UsageError, type CliIo } from '../cli-io.js';

export const RESTORE_USAGE =
  'restore --from <sicherung/backup> [--keys-from <schlüsselsicherung/key backup>] | restore --reapply-only';

/**
 * `restore` with the service stopped: checks the backup against its manifest, refuses while the embedded
 * files are open elsewhere, puts the backup in place, re-applies every purge of the purge ledger (kept apart
 * from the events, never restored), rebuilds every projection and verifies the HMAC chains. `--reapply-only`
 * does the last three on the configured stores (server mode, after the operator restored KurrentDB and
 * MongoDB with their own tools). Prints every re-applied purge (ids only) and the chain findings to stdout;
 * exit 0 when the chains verify and every rebuild succeeded, 1 otherwise.
 */
export async function restoreCommand(
  args: string[],
  config: AppConfig,
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      'keys-from': { type: 'string' },
      'reapply-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const reapplyOnly = values['reapply-only'];
  if (reapplyOnly && (values.from !== undefined || values['keys-from'] !== undefined))
    throw new UsageError('--reapply-only steht allein / stands alone');
  if (!reapplyOnly && (values.from === undefined || values.from === ''))
    throw new UsageError('--from: Sicherungsverzeichnis fehlt / backup directory missing (oder / or --reapply-only)');
  if (values['keys-from'] === '') throw new UsageError('--keys-from: Verzeichnis fehlt / directory missing');

  const result = await restore(config, {
    ...(values.from === undefined ? {} : { from: values.from }),
    ...(values['keys-from'] === undefined ? {} : { keysFrom: values['keys-from'] }),
    reapplyOnly,
    rules: loadRulesConfig(env),
    clock: serviceClock(config),
    ids: uuidV7Ids,
    onStep: (message) => io.err(message),
    onProgress: (message) => io.progress(message),
  });
  for (const outcome of result.reapplied)
    if (outcome.keysDestroyed + outcome.streamsDeleted > 0 || outcome.recorded)
      io.out(
        [
          'reapplied',
          outcome.entry.id,
          outcome.entry.tenant,
          `keys ${outcome.keysDestroyed}`,
          `streams ${outcome.streamsDeleted}`,
          outcome.recorded ? 'recorded' : 'record present',
        ].join('\t'),
      );
  for (const finding of result.chains.findings)
    io.out(['chain', finding.streamId, `Revision ${finding.revision ?? '-'}`, finding.kind, finding.reason].join('\t'));
  for (const reviewId of result.reviewsWithoutKey) io.out(['no-key', `review-${reviewId}`].join('\t'));
  io.err(
    result.ok
      ? 'Wiederherstellung fertig / restore complete'
      : 'Wiederherstellung mit Befunden – siehe oben / restore finished with findings – see above',
  );
  return result.ok ? 0 : 1;
}

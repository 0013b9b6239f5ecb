import { parseArgs } from 'node:util';
import { type AppConfig, serviceClock } from '@pruefpfad/application';
import {
  backupEmbeddedEvents,
  backupEmbeddedKeys,
  type BackupResult,
  DEFAULT_EVENT_BACKUP_DAYS,
  DEFAULT_KEY_BACKUP_DAYS,
  type PageProgress,
} from '@pruefpfad/composition';
import { UsageError, type CliIo } from '../cli-io.js';

export const BACKUP_USAGE = 'backup --to <verz./dir> [--keys-to <verz./dir>] [--keep-days <n>] [--keys-keep-days <n>]';
export const BACKUP_KEYS_USAGE = 'backup-keys --to <verz./dir> [--keep-days <n>]';

function days(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`${option}: ganze Zahl ≥ 1 / integer ≥ 1`);
  return parsed;
}

function progress(io: CliIo): (progress: PageProgress) => void {
  return ({ file, totalPages, remainingPages }) =>
    io.progress(`Sichern / backing up ${file}: ${totalPages - remainingPages}/${totalPages} Seiten / pages`);
}

function report(io: CliIo, result: BackupResult): void {
  io.err('');
  for (const file of result.manifest.files) io.out([result.dir, file.name, `${file.bytes}`, file.sha256].join('\t'));
  io.err(
    `Sicherung fertig / backup complete: ${result.dir} (manifest.json zuletzt geschrieben / written last; ` +
      `aufbewahren bis / keep until ${result.manifest.keepUntil})`,
  );
}

/**
 * `backup`: an online backup of the embedded event and read stores (SQLite's backup API; the service may
 * keep running) into `<to>/pruefpfad-events-<time>/`, 0700 with 0600 files, manifest written last. Keys
 * never go there: `--keys-to` writes the key backup to its own target (another medium, a shorter life),
 * as `backup-keys` does on its own schedule.
 */
export async function backupCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      to: { type: 'string' },
      'keys-to': { type: 'string' },
      'keep-days': { type: 'string' },
      'keys-keep-days': { type: 'string' },
    },
    strict: true,
  });
  if (values.to === undefined || values.to === '')
    throw new UsageError('--to: Zielverzeichnis fehlt / target directory missing');
  if (values['keys-to'] === '') throw new UsageError('--keys-to: Zielverzeichnis fehlt / target directory missing');
  const keepDays = days(values['keep-days'], DEFAULT_EVENT_BACKUP_DAYS, '--keep-days');
  const keysKeepDays = days(values['keys-keep-days'], DEFAULT_KEY_BACKUP_DAYS, '--keys-keep-days');
  if (keysKeepDays > keepDays)
    throw new UsageError(
      '--keys-keep-days darf nicht länger sein als --keep-days: zerstörte Schlüssel sollen zuerst aus den Sicherungen verschwinden / ' +
        'must not be longer than --keep-days: destroyed keys must leave the backups first',
    );
  const clock = serviceClock(config);
  const now = () => clock.now();
  report(io, await backupEmbeddedEvents(config, { to: values.to, now, keepDays, onProgress: progress(io) }));
  if (values['keys-to'] !== undefined)
    report(
      io,
      await backupEmbeddedKeys(config, {
        to: values['keys-to'],
        now,
        keepDays: keysKeepDays,
        onProgress: progress(io),
      }),
    );
  return 0;
}

/** `backup-keys`: the key backup alone, to its own target. */
export async function backupKeysCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { to: { type: 'string' }, 'keep-days': { type: 'string' } },
    strict: true,
  });
  if (values.to === undefined || values.to === '')
    throw new UsageError('--to: Zielverzeichnis fehlt / target directory missing');
  const keepDays = days(values['keep-days'], DEFAULT_KEY_BACKUP_DAYS, '--keep-days');
  const clock = serviceClock(config);
  report(
    io,
    await backupEmbeddedKeys(config, { to: values.to, now: () => clock.now(), keepDays, onProgress: progress(io) }),
  );
  return 0;
}

import { parseArgs } from 'node:util';
import type { AppConfig } from '@pruefpfad/application';
import { openInfrastructure, openPurgeLedger, type StorageReport, storageReport } from '@pruefpfad/composition';
import type { CliIo } from '../cli-io.js';

export const STORAGE_USAGE = 'storage | speicher [--json]';

const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MiB`;

/**
 * `storage` (`speicher`): what of the destroyed data is still physically present. Purged streams per the
 * purge ledger whose events the store still returns (KurrentDB until a scavenge), destroyed keys with key
 * material left or no tombstone, the embedded files' WAL and free pages, MongoDB's oplog window. Reads
 * only (may run beside the service). Exit 0 when nothing destroyed is readable any more, 1 otherwise.
 */
export async function storageCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true });
  const infrastructure = await openInfrastructure(config, { readOnlyEvents: true });
  const ledger = await openPurgeLedger(config, { readOnly: true });
  let report: StorageReport;
  try {
    report = await storageReport(config, infrastructure, ledger, {
      onProgress: (position, head) => io.progress(`Ereignisse lesen / reading events: Position ${position}/${head}`),
    });
  } finally {
    await ledger?.close();
    await infrastructure.close();
  }
  const readableEvents = report.purgedStreams.stillReadable.reduce((total, entry) => total + entry.events, 0);
  const clean =
    report.purgedStreams.stillExisting.length === 0 && readableEvents === 0 && report.keys.stillPresent.length === 0;
  if (values.json) {
    io.out(JSON.stringify(report));
    return clean ? 0 : 1;
  }
  io.err('');
  io.out(`Löschprotokoll / purge ledger\t${report.ledger.location}\t${report.ledger.entries} Einträge / entries`);
  io.out(
    `Gelöschte Streams / purged streams\t${report.purgedStreams.total}\t` +
      `noch vorhanden / still existing ${report.purgedStreams.stillExisting.length}\t` +
      `Ereignisse noch lesbar / events still readable ${readableEvents}`,
  );
  for (const streamId of report.purgedStreams.stillExisting) io.out(`stream-exists\t${streamId}`);
  for (const entry of report.purgedStreams.stillReadable) io.out(`readable\t${entry.streamId}\t${entry.events}`);
  io.out(
    `Zerstörte Schlüssel / destroyed keys\t${report.keys.total}\t` +
      `noch vorhanden / still present ${report.keys.stillPresent.length}\t` +
      `ohne Grabstein / without tombstone ${report.keys.withoutTombstone.length}`,
  );
  for (const keyId of report.keys.stillPresent) io.out(`key-present\t${keyId}`);
  for (const file of report.files)
    io.out(
      [
        `Datei / file ${file.role}`,
        file.file,
        mib(file.bytes),
        `WAL ${mib(file.walBytes)}`,
        `freie Seiten / free pages ${file.freelistPages}/${file.pageCount}`,
      ].join('\t'),
    );
  if (report.oplog !== null)
    io.out(
      'error' in report.oplog
        ? `MongoDB-Oplog\tnicht lesbar / not readable: ${report.oplog.error}`
        : `MongoDB-Oplog\tFenster / window ${report.oplog.hours} h (${report.oplog.firstAt} – ${report.oplog.lastAt})` +
            (report.oplog.maxSizeBytes === null ? '' : `\tmax ${mib(report.oplog.maxSizeBytes)}`),
    );
  if (report.mode === 'embedded')
    io.err(
      'Eingebettet: gelöschte Zeilen sind mit secure_delete überschrieben, das WAL nach jeder Löschung geleert; ' +
        'freie Seiten enthalten nur Nullen, VACUUM ist nicht nötig. Sicherungen behalten Gelöschtes bis zu ihrem Ablauf. / ' +
        'Embedded: deleted rows are overwritten (secure_delete), the WAL is truncated after every purge; free pages hold ' +
        'only zeros, no VACUUM needed. Backups keep what was destroyed until they expire.',
    );
  else if (readableEvents > 0)
    io.err(
      `KurrentDB liefert noch ${readableEvents} Ereignisse gelöschter Streams: "npm run cli -- scavenge" auf jedem Knoten, ` +
        'wirksam für abgeschlossene Chunks (256 MiB). / KurrentDB still returns events of deleted streams: run ' +
        '"npm run cli -- scavenge" on every node; it takes effect for completed chunks (256 MiB).',
    );
  io.err(
    clean
      ? 'Nichts Gelöschtes mehr lesbar / nothing destroyed is readable any more'
      : 'Gelöschtes noch vorhanden – siehe oben / destroyed data still present – see above',
  );
  return clean ? 0 : 1;
}

import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { AppConfig } from '@pruefpfad/application';
import { embeddedFiles, openInfrastructure, verifyChains } from '@pruefpfad/composition';
import { UsageError, type CliIo } from '../cli-io.js';

export const VERIFY_CHAIN_USAGE = 'verify-chain [--stream <stream-id>] [--tenant <mandant>]';

/**
 * Checks every stream's HMAC chain and the sealed chain heads; prints one line per finding (stream,
 * revision, position, reason) to stdout and exits 1 on any finding, 0 when the store is clean. Opens the
 * event store read-only: it may run beside the service.
 */
export async function verifyChainCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { stream: { type: 'string' }, tenant: { type: 'string' } },
    strict: true,
  });
  if (values.stream === '') throw new UsageError('--stream: Stream-ID fehlt / stream id missing');
  if (values.tenant === '') throw new UsageError('--tenant: Mandant fehlt / tenant missing');

  // A missing events file is a finding, not an empty store: it may have been removed as a whole.
  const eventsFile = embeddedFiles(config).events;
  if (config.stores.kind === 'embedded' && !fs.existsSync(eventsFile)) {
    io.err(`Kein Event-Store unter / no event store at ${eventsFile}`);
    return 1;
  }
  const infrastructure = await openInfrastructure(config, { readOnlyEvents: true });
  try {
    let progressShown = false;
    const report = await verifyChains(infrastructure.eventStore, {
      ...(values.stream === undefined ? {} : { streamId: values.stream }),
      ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
      onProgress: ({ position, head, streams }) => {
        progressShown = true;
        io.progress(`Streams ermitteln / listing streams: Position ${position}/${head}, ${streams} Streams`);
      },
    });
    if (progressShown) io.err('');
    if (report === null) {
      io.err(`Stream ${values.stream ?? ''} nicht gefunden / not found`);
      return 1;
    }
    for (const finding of report.findings) {
      io.out(
        [
          finding.streamId,
          `Revision ${finding.revision ?? '-'}`,
          `Position ${finding.position ?? '-'}`,
          finding.kind,
          finding.reason,
        ].join('\t'),
      );
    }
    const seals =
      report.seals.count === 0
        ? 'keine Siegel – gekürzte oder entfernte Streams sind so nicht erkennbar / no seals – truncated or removed streams cannot be detected'
        : `${report.seals.count} Siegel / seals, versiegelt bis Position / sealed through position ${report.seals.sealedThrough ?? '-'} (${report.seals.lastSealedAt ?? '-'})`;
    io.err(seals);
    io.err(
      `${report.streamsChecked} Streams, ${report.eventsChecked} Ereignisse geprüft / events checked` +
        (report.streamsPurged > 0
          ? `, ${report.streamsPurged} nach Aufbewahrungsfrist gelöscht / purged after retention`
          : '') +
        ': ' +
        (report.clean ? 'keine Befunde / clean' : `${report.findings.length} Befunde / findings`),
    );
    return report.clean ? 0 : 1;
  } finally {
    await infrastructure.close();
  }
}

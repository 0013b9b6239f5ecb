import { parseArgs } from 'node:util';
import { type AppConfig, serviceClock, uuidV7Ids } from '@pruefpfad/application';
import {
  openInfrastructure,
  populationPurgeReactor,
  type PurgePlanEntry,
  purgeReactor,
  readModelsBehind,
  runRetentionPurge,
} from '@pruefpfad/composition';
import { ReactorRunner, type ReactorStatus } from '@pruefpfad/projections';
import { UsageError, type CliIo } from '../cli-io.js';

export const PURGE_USAGE = 'purge [--dry-run] [--tenant <mandant>]';

/** The read models the plan reads have not caught up with the store: planning on them could miss data. */
export class ReadModelsBehindError extends Error {
  constructor(readonly behind: readonly string[]) {
    super(
      `Die Lesemodelle sind nicht aktuell (${behind.join(', ')}); den Dienst laufen lassen, bis sie aufgeholt haben, ` +
        `dann erneut. / The read models are behind (${behind.join(', ')}); keep the service running until they ` +
        'have caught up, then run again.',
    );
    this.name = 'ReadModelsBehindError';
  }
}

/** A population's line: what goes of it (the whole population, or its clear references) and when. */
function populationLine(
  population: {
    readonly tenant: string;
    readonly populationId: string;
    readonly programmeId: string;
    readonly month: string;
  },
  detail: string,
  verdict: string,
): string {
  return [
    population.tenant,
    `population ${population.populationId}`,
    population.programmeId,
    population.month,
    detail,
    verdict,
  ].join('\t');
}

function line(entry: PurgePlanEntry): string {
  return [
    entry.tenant,
    entry.reviewId,
    entry.teamId,
    entry.month,
    entry.status,
    `closed ${entry.closedOn}`,
    `retention ends ${entry.verdict.endsOn ?? '-'}`,
    entry.verdict.due ? 'due' : `kept: ${entry.verdict.reason}`,
  ].join('\t');
}

/**
 * The retention purge (000:92) by hand: `--dry-run` lists what would go today and what is kept and why
 * (ids and dates only, no content) and changes nothing. Without it, the purges are started and carried out
 * here by the purge reactor, with progress; the running service's projections then remove the read
 * documents (in embedded mode at the latest when the service starts next). Safe beside the service: every
 * step is idempotent. Exit 0 when every started purge finished, 1 otherwise.
 */
export async function purgeCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'dry-run': { type: 'boolean' }, tenant: { type: 'string' } },
    strict: true,
  });
  if (values.tenant === '') throw new UsageError('--tenant: Mandant fehlt / tenant missing');
  const dryRun = values['dry-run'] === true;
  const infrastructure = await openInfrastructure(config);
  try {
    const run = await runRetentionPurge(
      {
        eventStore: infrastructure.eventStore,
        documents: infrastructure.documents,
        clock: serviceClock(config),
        ids: uuidV7Ids,
        rulesVersion: config.rulesVersion,
        // The plan is made of read models, which the service's projections keep: they must be current.
        readModelsCurrent: async () => {
          const behind = await readModelsBehind(infrastructure, config.maxWaitMs);
          if (behind.length > 0) throw new ReadModelsBehindError(behind);
        },
        keyStore: infrastructure.keyStore,
        purgeLedger: infrastructure.purgeLedger,
        populationReferenceDays: config.sampling.populationReferenceDays,
        checkpoints: infrastructure.checkpoints,
      },
      { dryRun, trigger: 'cli', ...(values.tenant === undefined ? {} : { tenant: values.tenant }) },
    );
    for (const entry of [...run.due, ...run.kept]) io.out(line(entry));
    for (const population of run.populations)
      io.out(populationLine(population, `${population.reviewsPurged} reviews purged`, 'due'));
    for (const entry of run.populationReferences)
      io.out(
        populationLine(
          entry,
          `references kept until ${entry.keptUntil}`,
          dryRun ? 'references due' : 'references destroyed',
        ),
      );
    const kept = `${run.kept.length} behalten / kept (Frist läuft, Sperre oder in Arbeit / not yet due, legal hold or under way)`;
    if (dryRun) {
      io.err(
        `Probelauf ${run.today} / dry run: ${run.due.length} Prüfungen und ${run.populations.length} Grundgesamtheiten würden gelöscht / reviews and populations would be purged, ${kept}`,
      );
      return 0;
    }
    if (run.started + run.populationsStarted === 0) {
      io.err(
        run.populationReferencesDestroyed > 0
          ? `${run.today}: Fallnummern von ${run.populationReferencesDestroyed} Grundgesamtheit(en) gelöscht / case references of ${run.populationReferencesDestroyed} population(s) destroyed; ${kept}`
          : `${run.today}: nichts zu löschen / nothing to purge; ${kept}`,
      );
      return 0;
    }
    const dependencies = {
      eventStore: infrastructure.eventStore,
      keyStore: infrastructure.keyStore,
      purgeLedger: infrastructure.purgeLedger,
      clock: serviceClock(config),
      ids: uuidV7Ids,
      rulesVersion: config.rulesVersion,
    };
    const runner = new ReactorRunner({
      reactor: purgeReactor(dependencies),
      eventStore: infrastructure.eventStore,
      checkpointStore: infrastructure.checkpoints,
    });
    const populations = new ReactorRunner({
      reactor: populationPurgeReactor(dependencies),
      eventStore: infrastructure.eventStore,
      checkpointStore: infrastructure.checkpoints,
    });
    // Done once the reactor's checkpoint passed the last start (the service's reactor may have got there
    // first: then the saved checkpoint shows it right after loading, hence the timer besides the events).
    const finished = new Promise<ReactorStatus>((resolve) => {
      const check = (status: ReactorStatus): void => {
        io.progress(`Löschen / purging: Position ${status.position}/${run.position}`);
        if (status.position >= run.position || status.state === 'failed') {
          clearInterval(timer);
          unsubscribe();
          resolve(status);
        }
      };
      const unsubscribe = runner.onStatus(check);
      const timer = setInterval(() => check(runner.status()), 250);
    });
    runner.start();
    populations.start();
    const status = await finished;
    await runner.stop();
    await populations.stop();
    io.err('');
    if (status.position < run.position) {
      io.err(
        `Löschen unterbrochen / purge interrupted at position ${status.position}: ${status.lastError?.message ?? status.state}`,
      );
      return 1;
    }
    io.err(
      `${run.today}: ${run.started} Prüfungen gelöscht / reviews purged; ${run.populationsStarted} Grundgesamtheiten / populations; ${kept}`,
    );
    return 0;
  } finally {
    await infrastructure.close();
  }
}

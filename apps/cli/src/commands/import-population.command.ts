import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type AppConfig, StreamStates, serviceClock, uuidV7Ids } from '@pruefpfad/application';
import { openInfrastructure, readModelsBehind } from '@pruefpfad/composition';
import { POPULATIONS } from '@pruefpfad/projections';
import { programmeAggregate } from '../../../api/src/programmes/programme.aggregate.js';
import { programmeFacts } from '../../../api/src/programmes/programme.facts.js';
import { PopulationImportService } from '../../../api/src/sampling/population-import.service.js';
import { UsageError, type CliIo } from '../cli-io.js';

export const IMPORT_POPULATION_USAGE =
  'import-population --programme <prüfplan-id> --month <jjjj-mm> --file <datei.csv|datei.json> [--format csv|json]';

/**
 * Imports a large population file straight into the stores through the same application service as
 * `POST /api/v1/programmes/:id/populations` (same checks, same bounded appends), showing progress. Run
 * again after a crash or a store error, the same file resumes the same population where its stored rows
 * end; run again after success, it answers with the population already imported.
 */
export async function importPopulationCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      programme: { type: 'string' },
      month: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
    },
    strict: true,
  });
  if (!values.programme || !values.month || !values.file)
    throw new UsageError('--programme, --month und --file sind nötig / are required');
  const format = values.format ?? (values.file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format: csv | json');
  const text = fs.readFileSync(values.file, 'utf8');
  let content: unknown = text;
  if (format === 'json') {
    try {
      content = JSON.parse(text) as unknown;
    } catch {
      throw new UsageError(`${values.file}: kein gültiges JSON / not valid JSON`);
    }
  }

  const infrastructure = await openInfrastructure(config);
  try {
    // The programme as its stream has it (the operator names it; its tenant comes with it).
    const streams = new StreamStates(infrastructure.eventStore);
    const stream = await streams.read(programmeAggregate, values.programme);
    if (!stream) throw new UsageError(`Prüfplan ${values.programme} nicht gefunden. / Programme not found.`);
    const programme = await programmeFacts(streams, stream.tenant, values.programme);
    const importer = new PopulationImportService({
      eventStore: infrastructure.eventStore,
      streams,
      keyStore: infrastructure.keyStore,
      envelope: infrastructure.envelope,
      clock: serviceClock(config),
      populationReferenceDays: config.sampling.populationReferenceDays,
      rulesVersion: config.rulesVersion,
      documents: infrastructure.documents,
      // The service's projections keep the read model; which population is the month's latest decides
      // what this import is, so it must be current (a second import while the service is down waits for it).
      populationsCurrent: async () => {
        const behind = await readModelsBehind(infrastructure, config.maxWaitMs, undefined, [POPULATIONS]);
        if (behind.length > 0)
          throw new Error(
            'Das Lesemodell der Grundgesamtheiten ist nicht aktuell; den Dienst laufen lassen, bis es aufgeholt hat, dann erneut. / ' +
              'The populations read model is behind; keep the service running until it has caught up, then run again.',
          );
      },
    });
    const result = await importer.import({
      programme,
      month: values.month,
      format,
      content,
      fileName: path.basename(values.file),
      context: {
        tenant: programme.tenant,
        actor: { userId: `cli:${os.userInfo().username}`, role: 'operator' },
        correlationId: uuidV7Ids.next(),
        causationId: null,
      },
      onProgress: (progress) => {
        const label =
          progress.phase === 'parsed'
            ? 'geprüft / checked'
            : progress.phase === 'sealed'
              ? 'tokenisiert und verschlüsselt / tokenised and sealed'
              : 'gespeichert / stored';
        io.progress(`${label}: ${progress.rows}/${progress.total}`);
      },
    });
    io.err('');
    io.out(JSON.stringify(result));
    return 0;
  } catch (error) {
    const rejected = error as { code?: string; errors?: readonly { field: string; message: string }[] };
    if (rejected.code === 'VALIDATION_FAILED' && rejected.errors !== undefined) {
      io.err(error instanceof Error ? error.message : String(error));
      for (const problem of rejected.errors) io.err(`  ${problem.field}: ${problem.message}`);
      return 1;
    }
    throw error;
  } finally {
    await infrastructure.close();
  }
}

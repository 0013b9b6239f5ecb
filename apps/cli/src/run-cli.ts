import { ConfigurationError, loadConfig } from '@pruefpfad/application';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { BACKUP_KEYS_USAGE, BACKUP_USAGE, backupCommand, backupKeysCommand } from './commands/backup.command.js';
import { DEMO_USAGE, demoCommand } from './commands/demo.command.js';
import { IMPORT_POPULATION_USAGE, importPopulationCommand } from './commands/import-population.command.js';
import { PROJECTIONS_USAGE, projectionsCommand } from './commands/projections.command.js';
import { PURGE_USAGE, purgeCommand } from './commands/purge.command.js';
import { RESTORE_USAGE, restoreCommand } from './commands/restore.command.js';
import { ROTATE_MASTER_KEY_USAGE, rotateMasterKeyCommand } from './commands/rotate-master-key.command.js';
import { SCAVENGE_USAGE, scavengeCommand } from './commands/scavenge.command.js';
import { STORAGE_USAGE, storageCommand } from './commands/storage.command.js';
import { TOKEN_USAGE, tokenCommand } from './commands/token.command.js';
import { VERIFY_CHAIN_USAGE, verifyChainCommand } from './commands/verify-chain.command.js';

const USAGE = `Prüfpfad – Betriebswerkzeuge / operator commands

  npm run cli -- ${TOKEN_USAGE}
  npm run cli -- ${IMPORT_POPULATION_USAGE}
  npm run cli -- ${PROJECTIONS_USAGE}
  npm run cli -- ${VERIFY_CHAIN_USAGE}
  npm run cli -- ${PURGE_USAGE}
  npm run cli -- ${DEMO_USAGE}
  npm run cli -- ${BACKUP_USAGE}
  npm run cli -- ${BACKUP_KEYS_USAGE}
  npm run cli -- ${RESTORE_USAGE}
  npm run cli -- ${STORAGE_USAGE}
  npm run cli -- ${SCAVENGE_USAGE}
  npm run cli -- ${ROTATE_MASTER_KEY_USAGE}

Konfiguration wie beim Dienst über Umgebungsvariablen (siehe README). / Configured like the service through environment variables (see README).`;

/** Runs one command; returns the exit code (0 ok, 1 failed, 2 usage or configuration error). */
export async function runCli(argv: string[], io: CliIo = processIo, env = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    const config = loadConfig(env);
    switch (command) {
      case 'rotate-master-key':
        return await rotateMasterKeyCommand(rest, config, io, env);
      case 'token':
        return await tokenCommand(rest, config, io);
      case 'import-population':
        return await importPopulationCommand(rest, config, io);
      case 'projections':
        return await projectionsCommand(rest, config, io, env);
      case 'verify-chain':
        return await verifyChainCommand(rest, config, io);
      case 'purge':
        return await purgeCommand(rest, config, io);
      case 'demo':
        return await demoCommand(rest, config, io);
      case 'backup':
        return await backupCommand(rest, config, io);
      case 'backup-keys':
        return await backupKeysCommand(rest, config, io);
      case 'restore':
        return await restoreCommand(rest, config, io, env);
      case 'storage':
      case 'speicher':
        return await storageCommand(rest, config, io);
      case 'scavenge':
        return await scavengeCommand(rest, config, io);
      default:
        throw new UsageError(`Unbekannter Befehl / unknown command: ${command}`);
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof ConfigurationError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      io.err(error instanceof Error ? error.message : String(error));
      io.err(USAGE);
      return 2;
    }
    io.err(`Fehler / error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

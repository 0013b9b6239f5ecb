import { ConfigurationError, loadConfig } from '@pruefpfad/application';
import { createApp } from './bootstrap.js';
import { createJsonLogger } from './logging/json-logger.js';

/** `npm start`: validate the configuration, open the stores, listen. */
export async function runApi(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createJsonLogger(config.logLevel, 'Bootstrap');
  try {
    const app = await createApp(config);
    await app.listen(config.port, config.host);
    logger.log({
      message: `Prüfpfad hört auf http://${config.host}:${config.port} / listening`,
      mode: config.stores.kind,
      environment: config.environment,
      dataDir: config.dataDir,
      keyDir: config.keyDir,
    });
  } catch (error) {
    logger.error({
      message: 'Start fehlgeschlagen / start failed',
      error: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  }
}

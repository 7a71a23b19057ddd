import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { startAddon } from './runtime';

/** `npm start`: configuration from the environment (and .env), then the add-on until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const addon = await startAddon(config);
  const onSignal = (signal: string) => {
    addon.services.logger.info({ signal }, 'shutting down');
    addon.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        addon.services.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
